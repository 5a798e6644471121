import type { ActiveNotice, NoticePage } from '../../../types/api'
import { LEVEL_RANK, MAX_ACTIVE_NOTICES } from '../domain/notice'
import type { Deps } from '../runtime/deps'

/**
 * Emergency notices as people see them: the mini-program reads the ones in force with
 * profile.notices (one query) and shows a banner. Staff set and end them in
 * staff-notice.service.ts (kept apart so the profile function does not carry the staff code).
 */

/** The notices in force now, for one page or all; critical first. */
export async function activeNotices(deps: Deps, page: NoticePage | undefined): Promise<{ notices: ActiveNotice[] }> {
  const rows = await deps.siteNotices.active(deps.clock.now().toISOString(), MAX_ACTIVE_NOTICES)
  const notices = rows
    .filter((n) => !page || n.pages.includes(page))
    .sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level])
    .map(({ id, level, text, pages }) => ({ id, level, text, pages }))
  return { notices }
}
