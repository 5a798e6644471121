import type { TemplateKey } from '../../../types/domain'
import { invoiceFailedMessage, invoiceIssuedMessage } from '../domain/subscribe'
import type { OutboxItem, OutboxKind, StoredInvoice } from '../ports/invoice.repo'
import type { Deps } from '../runtime/deps'
import { invoiceMail } from './invoice-mail'
import { notifyIssuedBySms } from './sms.service'

/** Mail retry backoff: 1, 5, 15, 30 minutes, then hourly. */
const MAIL_BACKOFF_MINUTES = [1, 5, 15, 30, 60]
const MAIL_LEASE_MS = 2 * 60_000

/**
 * Queues an invoice e-mail. The first delivery of an invoice is unique per invoice in the
 * store, so an invoice finished twice (two workers) still e-mails once; re-sends are new items.
 */
export async function enqueueMail(deps: Deps, inv: StoredInvoice, to: string, kind: OutboxKind): Promise<OutboxItem | null> {
  const now = deps.clock.now().toISOString()
  const item: OutboxItem = {
    id: kind === 'issued' ? `${inv.id}-issued` : `${inv.id}-${deps.random.id().slice(0, 12)}`,
    invoiceId: inv.id,
    openid: inv.openid,
    to,
    kind,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    createdAt: now,
    sentAt: null,
  }
  return (await deps.outbox.add(item)) ? item : null
}

/**
 * Sends one queued e-mail with both files from our own stored copies. None is lost: a failed
 * send stays queued with a later attempt (the worker picks it up), and only after
 * mailMaxAttempts is it marked failed, visible in the invoice history.
 */
export async function deliverMail(deps: Deps, item: OutboxItem, justStored?: { pdf: Buffer; xml: Buffer; invoice: StoredInvoice }): Promise<boolean> {
  const now = deps.clock.now()
  if (!(await deps.outbox.claim(item.id, item.attempts, new Date(now.getTime() + MAIL_LEASE_MS).toISOString()))) return false
  const attempts = item.attempts + 1
  const idempotencyKey = mailKey(item.id)
  try {
    // An earlier attempt may have been accepted by the server and died before markSent (crash,
    // or a timeout after the server's answer). Ask when the server can be asked; otherwise the
    // same Message-ID lets the receiving side and our logs tell the repeat.
    if (item.attempts > 0 && (await deps.mailer.accepted?.(idempotencyKey)) === true) {
      const at = deps.clock.now().toISOString()
      await deps.outbox.markSent(item.id, at)
      await deps.invoices.addEvent(item.invoiceId, 'emailed', at, maskAddress(item.to))
      deps.log.info('invoice e-mail already accepted by the server; not sent again', { invoice: item.invoiceId, email: item.to })
      return true
    }
    // Right after issuing, the record just read back and the bytes just stored are at hand (no
    // second read of either); later sends read the record and our stored copy.
    const inv = justStored?.invoice.id === item.invoiceId ? justStored.invoice : await deps.invoices.findById(item.invoiceId)
    if (!inv || !inv.pdfFileId || !inv.xmlFileId || !inv.invoiceNo) throw new Error('invoice files missing')
    const [pdf, xml] = justStored
      ? [justStored.pdf, justStored.xml]
      : await Promise.all([deps.storage.download(inv.pdfFileId), deps.storage.download(inv.xmlFileId)])
    await deps.mailer.send({ ...invoiceMail(inv, { pdf, xml, invoiceNo: inv.invoiceNo }, { to: item.to }), idempotencyKey })
    const at = deps.clock.now().toISOString()
    await deps.outbox.markSent(item.id, at)
    await deps.invoices.addEvent(inv.id, 'emailed', at, maskAddress(item.to))
    deps.log.info('invoice e-mailed', { invoice: inv.id, email: item.to, kind: item.kind })
    return true
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e)
    const giveUp = attempts >= deps.config.invoice.mailMaxAttempts
    const wait = MAIL_BACKOFF_MINUTES[Math.min(attempts, MAIL_BACKOFF_MINUTES.length) - 1]
    await deps.outbox.markRetry(item.id, attempts, new Date(now.getTime() + wait * 60_000).toISOString(), error, giveUp)
    await deps.invoices.addEvent(
      item.invoiceId,
      'email_failed',
      deps.clock.now().toISOString(),
      giveUp ? '多次发送失败，请核对邮箱后重新发送' : '发送失败，稍后自动重试',
    )
    deps.log.warn('invoice e-mail failed', { invoice: item.invoiceId, email: item.to, attempts, giveUp, error })
    return false
  }
}

/** The Message-ID local part of an outbox item: the same for every attempt of the item. */
export const mailKey = (itemId: string) => `wt-mail.${itemId.replace(/[^A-Za-z0-9_-]/g, '_')}`

const maskAddress = (email: string) => email.replace(/^(.)[^@]*(@.*)$/, '$1***$2')

/**
 * Sends a subscribe message only when the person granted one (one accept = one message):
 * quota is taken atomically first, given back when the send did not happen, and cleared
 * when WeChat says there is none (43101).
 */
export async function notifyInvoice(deps: Deps, inv: StoredInvoice, key: TemplateKey, emailed = false): Promise<void> {
  // people without e-mail who opted in to SMS get the number and amount by text, once per invoice
  if (key === 'invoiceIssued') await notifyIssuedBySms(deps, inv)
  const templateId = deps.config.subscribe.templates[key]
  const at = () => deps.clock.now().toISOString()
  if (!templateId) return
  try {
    const data =
      key === 'invoiceIssued'
        ? invoiceIssuedMessage(
            { title: inv.title, amountFen: inv.amountFen, invoiceNo: inv.invoiceNo, issuedAt: inv.issuedAt, email: inv.email, emailed },
            deps.config.subscribe.fields.invoiceIssued,
          )
        : invoiceFailedMessage(
            { title: inv.title, amountFen: inv.amountFen, requestedAt: inv.requestedAt, reason: '开票服务暂时繁忙' },
            deps.config.subscribe.fields.invoiceFailed,
          )
    if (!(await deps.quota.take(inv.openid, key))) {
      await deps.invoices.addEvent(inv.id, 'message_skipped', at(), `${key}: 未订阅`)
      return
    }
    let result
    try {
      result = await deps.subscribe.send({ openid: inv.openid, templateKey: key, templateId, page: `pages/invoice-detail/index?id=${inv.id}`, data })
    } catch (e) {
      await deps.quota.giveBack(inv.openid, key)
      throw e
    }
    if (result.ok) {
      await deps.invoices.addEvent(inv.id, 'message_sent', at(), key)
      return
    }
    if (result.errcode === 43101) await deps.quota.clear(inv.openid, key)
    else await deps.quota.giveBack(inv.openid, key)
    await deps.invoices.addEvent(inv.id, 'message_skipped', at(), `${key}: ${result.errcode}`)
    deps.log.warn('subscribe message not sent', { invoice: inv.id, key, errcode: result.errcode })
  } catch (e) {
    deps.log.error('subscribe message failed', { invoice: inv.id, key, error: e instanceof Error ? e.message : String(e) })
  }
}
