import { afterSalesUpdateMessage, maskEmail, time } from '../domain/subscribe'
import type { NoticeItem } from '../ports/aftersales.repo'
import type { OutgoingMail } from '../ports/mailer.port'
import type { Deps } from '../runtime/deps'
import { oneLine } from '../../../types/text-rules'

export type NoticeKind = 'application' | 'paper' | 'ticket' | 'correction'

export const NOTICE_KIND_LABELS: Record<NoticeKind, string> = {
  application: '补开申请',
  paper: '纸质发票邮寄',
  ticket: '问题反馈',
  correction: '发票换开',
}

export interface AfterSalesNotice {
  openid: string
  kind: NoticeKind
  /** the record's id */
  id: string
  /** <= 5 汉字: the subscribe message's phrase field */
  statusLabel: string
  /** one sentence for people, no personal data */
  text: string
  /** the mini-program page the message opens */
  page: string
  /**
   * what makes this notice unique (default kind:id:statusLabel): the e-mail is queued once per
   * key, so a retried call that already notified does not e-mail twice
   */
  key?: string
}

/** Notice e-mail retry backoff: 1, 5, 15, 30 minutes, then hourly. */
const BACKOFF_MINUTES = [1, 5, 15, 30, 60]
const LEASE_MS = 2 * 60_000

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** The notice e-mail: plain Chinese, text and HTML (every value escaped). Pure. */
export function noticeMail(n: Pick<AfterSalesNotice, 'kind' | 'statusLabel' | 'text'>, at: string): { subject: string; text: string; html: string } {
  const kindLabel = NOTICE_KIND_LABELS[n.kind]
  const subject = oneLine(`【武汉通】您的${kindLabel}有新进度：${n.statusLabel}`)
  const lines = [
    '您好：',
    '',
    `您的${kindLabel}有新进度。`,
    `处理状态：${n.statusLabel}`,
    `更新时间：${time(at)}`,
    `说明：${n.text}`,
    '',
    '可在微信「武汉通充值」小程序「我的」→「我的申请」中查看详情。',
    '本邮件由系统自动发送，请勿直接回复。',
  ]
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.6">',
    '<p>您好：</p>',
    `<p>您的${esc(kindLabel)}有新进度。</p>`,
    '<table cellpadding="4">',
    `<tr><td>处理状态</td><td><b>${esc(n.statusLabel)}</b></td></tr>`,
    `<tr><td>更新时间</td><td>${esc(time(at))}</td></tr>`,
    `<tr><td>说明</td><td>${esc(n.text)}</td></tr>`,
    '</table>',
    '<p>可在微信「武汉通充值」小程序「我的」→「我的申请」中查看详情。</p>',
    '<p style="color:#888">本邮件由系统自动发送，请勿直接回复。</p>',
    '</body></html>',
  ].join('')
  return { subject, text: lines.join('\n'), html }
}

/**
 * Tells the person about a status change: a subscribe message (afterSalesUpdate) within their
 * quota — taken first, given back when the send did not happen, cleared on 43101 — and an
 * e-mail when they have a default address, through the notice outbox (retried by the sweep,
 * none lost). Never throws: a notice must not undo or fail the change it reports.
 */
export async function notifyAfterSales(deps: Deps, n: AfterSalesNotice): Promise<void> {
  const at = deps.clock.now().toISOString()
  await sendSubscribe(deps, n, at).catch((e) =>
    deps.log.error('after-sales message failed', { kind: n.kind, id: n.id, error: e instanceof Error ? e.message : String(e) }),
  )
  try {
    const email = (await deps.settings.get(n.openid)).defaultEmail
    if (!email) return
    await queueNotice(deps, { id: n.key ?? `${n.kind}:${n.id}:${n.statusLabel}`, openid: n.openid, to: email, mail: noticeMail(n, at) }, at)
  } catch (e) {
    deps.log.error('after-sales e-mail not queued', { kind: n.kind, id: n.id, error: e instanceof Error ? e.message : String(e) })
  }
}

async function sendSubscribe(deps: Deps, n: AfterSalesNotice, at: string): Promise<void> {
  const key = 'afterSalesUpdate' as const
  const templateId = deps.config.subscribe.templates[key]
  if (!templateId) return
  const data = afterSalesUpdateMessage(
    { kindLabel: NOTICE_KIND_LABELS[n.kind], statusLabel: n.statusLabel, at, text: n.text },
    deps.config.subscribe.fields.afterSalesUpdate,
  )
  if (!(await deps.quota.take(n.openid, key))) return
  let result
  try {
    result = await deps.subscribe.send({ openid: n.openid, templateKey: key, templateId, page: n.page, data })
  } catch (e) {
    await deps.quota.giveBack(n.openid, key)
    throw e
  }
  if (result.ok) return
  if (result.errcode === 43101) await deps.quota.clear(n.openid, key)
  else await deps.quota.giveBack(n.openid, key)
  deps.log.warn('after-sales message not sent', { kind: n.kind, id: n.id, errcode: result.errcode })
}

/** Sends one queued notice; on failure it stays queued with a later attempt (given up after mailMaxAttempts). */
/**
 * Puts an e-mail in the notice outbox (pending, due at `at`) and tries it once now; a failed try is
 * left to the sweep. The id is deterministic, so the same notice is queued once: false when it was.
 */
export async function queueNotice(
  deps: Deps,
  notice: { id: string; openid: string; to: string; mail: Pick<NoticeItem, 'subject' | 'text' | 'html'> },
  at: string,
): Promise<boolean> {
  const item: NoticeItem = {
    id: notice.id.slice(0, 120),
    openid: notice.openid,
    to: notice.to,
    subject: notice.mail.subject,
    text: notice.mail.text,
    html: notice.mail.html,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    lastError: null,
    createdAt: at,
    sentAt: null,
  }
  if (!(await deps.notices.add(item))) return false
  await deliverNotice(deps, item)
  return true
}

export async function deliverNotice(deps: Deps, item: NoticeItem): Promise<boolean> {
  const now = deps.clock.now()
  if (!(await deps.notices.claim(item.id, item.attempts, new Date(now.getTime() + LEASE_MS).toISOString()))) return false
  const attempts = item.attempts + 1
  try {
    const mail: OutgoingMail = { to: item.to, subject: item.subject, text: item.text, html: item.html, attachments: [] }
    await deps.mailer.send(mail)
    await deps.notices.markSent(item.id, deps.clock.now().toISOString())
    deps.log.info('after-sales notice e-mailed', { notice: item.id, email: maskEmail(item.to) })
    return true
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e)
    const giveUp = attempts >= deps.config.invoice.mailMaxAttempts
    const wait = BACKOFF_MINUTES[Math.min(attempts, BACKOFF_MINUTES.length) - 1]
    await deps.notices.markRetry(item.id, attempts, new Date(now.getTime() + wait * 60_000).toISOString(), error, giveUp)
    deps.log.warn('after-sales notice e-mail failed', { notice: item.id, email: maskEmail(item.to), attempts, giveUp, error })
    return false
  }
}

/** The sweep's part: every due notice e-mail, oldest first. */
export async function deliverDueNotices(deps: Deps, batch = 50): Promise<number> {
  let sent = 0
  for (const item of await deps.notices.due(deps.clock.now().toISOString(), batch)) {
    if (await deliverNotice(deps, item)) sent++
  }
  return sent
}
