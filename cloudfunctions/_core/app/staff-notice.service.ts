import type { NoticeLevel, NoticePageInput, StaffNotice } from '../../../types/api'
import { DomainError } from '../domain/errors'
import { parseNoticePages, parseNoticeText, parseNoticeWindow } from '../domain/notice'
import { auditTarget, type StaffActor } from '../domain/staff'
import type { Deps } from '../runtime/deps'
import { appendAudit } from './staff.service'

/**
 * Emergency notices set and ended by staff (agent or admin, a reason each time), audited as
 * notice.set / notice.end like every staff action. People read them with profile.notices
 * (notice.service.ts).
 */

export async function setNotice(
  deps: Deps,
  actor: StaffActor,
  input: { level: NoticeLevel; text: string; from?: string; until: string; pages: NoticePageInput | NoticePageInput[]; reason: string },
): Promise<{ notice: StaffNotice }> {
  const now = deps.clock.now()
  const window = parseNoticeWindow(now, input.from, input.until)
  const notice: StaffNotice = {
    id: `NTC${deps.random.id().replace(/-/g, '').slice(0, 16).toUpperCase()}`,
    level: input.level,
    text: parseNoticeText(input.text),
    pages: parseNoticePages(input.pages),
    from: window.from,
    until: window.until,
    endedAt: null,
    createdBy: actor.name,
    createdAt: now.toISOString(),
  }
  await deps.siteNotices.add(notice)
  await appendAudit(deps, actor, { action: 'notice.set', target: auditTarget('notice', notice.id), reason: input.reason, before: null, after: notice })
  deps.log.info('notice set', { notice: notice.id, level: notice.level, pages: notice.pages.join(','), from: notice.from, until: notice.until, by: actor.name })
  return { notice }
}

/** viewer+: the notices in force now (not ended, within their window), as staff see them. */
export async function listNotices(deps: Deps): Promise<{ notices: StaffNotice[] }> {
  return { notices: await deps.siteNotices.active(deps.clock.now().toISOString(), 50) }
}

export async function endNotice(deps: Deps, actor: StaffActor, input: { noticeId: string; reason: string }): Promise<{ notice: StaffNotice }> {
  const before = await deps.siteNotices.findById(input.noticeId)
  if (!before) throw new DomainError('NOTICE.NOT_FOUND', '找不到该公告')
  if (before.endedAt) return { notice: before }
  const after = await deps.siteNotices.end(before.id, deps.clock.now().toISOString())
  if (!after) throw new DomainError('NOTICE.NOT_FOUND', '找不到该公告')
  await appendAudit(deps, actor, { action: 'notice.end', target: auditTarget('notice', before.id), reason: input.reason, before, after, onlyIfChanged: true })
  deps.log.info('notice ended', { notice: before.id, by: actor.name })
  return { notice: after }
}
