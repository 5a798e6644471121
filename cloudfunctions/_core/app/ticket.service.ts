import type { Page } from '../../../types/api'
import type { TicketInput, TicketMessage, TicketStatus, TicketView } from '../../../types/aftersales'
import { maskPhone, parseContactPhone, parseReason } from '../domain/application'
import { DomainError } from '../domain/errors'
import { CATEGORY_LABELS, parseCategory, parseRating, parseTicketText, TICKET_MAX_MESSAGES, TICKET_STATUS_LABELS, TICKET_WRITABLE } from '../domain/ticket'
import { DuplicateKeyError } from '../ports/errors'
import type { StoredTicket } from '../ports/aftersales.repo'
import type { Deps } from '../runtime/deps'
import { newRecordId, pageOf, type StaffActor } from './application.service'
import { notifyAfterSales } from './notify.service'
import { checkPhotos } from './upload.service'

export function toTicketView(t: StoredTicket): TicketView {
  return {
    id: t.id,
    category: t.category,
    status: t.status,
    orderId: t.orderId,
    invoiceId: t.invoiceId,
    messages: t.messages,
    rating: t.rating,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  }
}

async function ownedTicket(deps: Deps, openid: string, id: string): Promise<StoredTicket> {
  const t = await deps.tickets.findById(id)
  if (!t || t.openid !== openid) throw new DomainError('TICKET.NOT_FOUND', '找不到该反馈')
  return t
}

async function loadTicket(deps: Deps, id: string): Promise<StoredTicket> {
  const t = await deps.tickets.findById(id)
  if (!t) throw new DomainError('TICKET.NOT_FOUND', '找不到该反馈')
  return t
}

/**
 * One conditional write (status in `from` and the revision read): a message appended, the
 * status moved, or both. A lost race re-reads and tries again while the ticket is still in a
 * state for it, so two replies at once both land, in some order, and none is lost.
 */
async function write(
  deps: Deps,
  t: StoredTicket,
  from: readonly TicketStatus[],
  patch: (cur: StoredTicket) => Partial<StoredTicket>,
  message?: TicketMessage,
): Promise<StoredTicket> {
  let cur = t
  for (let attempt = 0; attempt < 5; attempt++) {
    if (!from.includes(cur.status)) break
    if (message && cur.messages.length >= TICKET_MAX_MESSAGES) throw new DomainError('TICKET.CLOSED', '对话过长，请提交新的反馈')
    if (await deps.tickets.update(cur.id, { from: [cur.status], rev: cur.rev }, { ...patch(cur), updatedAt: deps.clock.now().toISOString() }, message)) {
      return (await deps.tickets.findById(cur.id))!
    }
    cur = await loadTicket(deps, cur.id)
  }
  if (cur.status === 'closed') throw new DomainError('TICKET.CLOSED', '该反馈已关闭，如仍有问题请提交新的反馈')
  throw new DomainError('COMMON.BAD_REQUEST', '反馈刚刚有更新，请刷新后重试')
}

function notifyTicket(deps: Deps, t: StoredTicket, text: string) {
  return notifyAfterSales(deps, {
    openid: t.openid,
    kind: 'ticket',
    id: t.id,
    statusLabel: TICKET_STATUS_LABELS[t.status],
    text,
    page: `pages/ticket-detail/index?id=${t.id}`,
    key: `ticket:${t.id}:${t.rev}`,
  })
}

/**
 * Opens a ticket with its first message. The related order or invoice, when given, must be the
 * caller's. Idempotent per clientToken.
 */
export async function openTicket(deps: Deps, openid: string, input: TicketInput): Promise<StoredTicket> {
  const existing = await deps.tickets.findByClientToken(openid, input.clientToken)
  if (existing) {
    if (existing.category !== input.category) throw new DomainError('COMMON.BAD_REQUEST', '请求已过期，请重新提交反馈')
    return existing
  }
  const category = parseCategory(input.category)
  const text = parseTicketText(input.text)
  const contactPhone = input.contactPhone ? parseContactPhone(input.contactPhone) : null
  const orderId = input.orderId || null
  const invoiceId = input.invoiceId || null
  if (orderId) {
    const o = await deps.orders.findById(orderId)
    if (!o || o.openid !== openid) throw new DomainError('ORDER.NOT_FOUND', '找不到该订单')
  }
  if (invoiceId) {
    const i = await deps.invoices.findById(invoiceId)
    if (!i || i.openid !== openid) throw new DomainError('INVOICE.NOT_FOUND', '找不到该发票')
  }
  const photoFileIds = await checkPhotos(deps, openid, input.photoFileIds)
  const now = deps.clock.now()
  const at = now.toISOString()
  const t: StoredTicket = {
    id: newRecordId('TKT', now, deps),
    openid,
    clientToken: input.clientToken,
    category,
    status: 'open',
    orderId,
    invoiceId,
    contactPhone,
    messages: [{ from: 'user', text, at, photoFileIds }],
    rating: null,
    closeReason: null,
    closedBy: null,
    rev: 0,
    createdAt: at,
    updatedAt: at,
  }
  try {
    await deps.tickets.insert(t)
  } catch (e) {
    if (!(e instanceof DuplicateKeyError)) throw e
    const twin = await deps.tickets.findByClientToken(openid, input.clientToken)
    if (twin) return twin
    throw e
  }
  deps.log.info('ticket opened', { ticket: t.id, category: CATEGORY_LABELS[category], phone: contactPhone ? maskPhone(contactPhone) : null })
  return t
}

export async function listTickets(deps: Deps, openid: string, input: { cursor?: string; limit?: number }): Promise<Page<TicketView>> {
  return pageOf((page) => deps.tickets.listByOwner(openid, page), toTicketView, input)
}

export const getTicket = ownedTicket

/** The person writes again: the ticket is open (waiting for staff) again. */
export async function replyTicket(deps: Deps, openid: string, id: string, input: { text: string; photoFileIds?: string[] }): Promise<StoredTicket> {
  const t = await ownedTicket(deps, openid, id)
  if (t.status === 'closed') throw new DomainError('TICKET.CLOSED', '该反馈已关闭，如仍有问题请提交新的反馈')
  const text = parseTicketText(input.text)
  const photoFileIds = await checkPhotos(deps, openid, input.photoFileIds)
  return write(deps, t, TICKET_WRITABLE, () => ({ status: 'open' }), { from: 'user', text, at: deps.clock.now().toISOString(), photoFileIds })
}

/**
 * The person closes it, optionally rating the help 1-5; a closed ticket can still be rated
 * once (a second rating is refused, a repeated close without rating is a no-op).
 */
export async function closeTicket(deps: Deps, openid: string, id: string, ratingRaw?: number): Promise<StoredTicket> {
  const t = await ownedTicket(deps, openid, id)
  const rating = ratingRaw === undefined || ratingRaw === null ? null : parseRating(ratingRaw)
  if (t.status === 'closed') {
    if (rating === null) return t
    if (t.rating !== null) throw new DomainError('TICKET.RATING_INVALID', '您已评价过了')
    let cur = t
    for (let attempt = 0; attempt < 3; attempt++) {
      if (cur.rating !== null) break
      if (await deps.tickets.update(cur.id, { from: ['closed'], rev: cur.rev }, { rating, updatedAt: deps.clock.now().toISOString() }))
        return (await deps.tickets.findById(id))!
      cur = await loadTicket(deps, id)
    }
    throw new DomainError('TICKET.RATING_INVALID', '您已评价过了')
  }
  const closed = await write(deps, t, TICKET_WRITABLE, () => ({ status: 'closed', closedBy: 'user', rating }))
  deps.log.info('ticket closed', { ticket: id, by: 'user', rating })
  return closed
}

export async function listTicketsByStatus(deps: Deps, statuses: readonly TicketStatus[], limit: number): Promise<StoredTicket[]> {
  return deps.tickets.listByStatus(statuses, limit)
}

/** Staff reply: the ticket becomes answered (waiting for the person), who is notified. */
export async function replyAsStaff(deps: Deps, actor: StaffActor, id: string, textRaw: string): Promise<StoredTicket> {
  const t = await loadTicket(deps, id)
  if (t.status === 'closed') throw new DomainError('TICKET.CLOSED', '该反馈已关闭')
  const text = parseTicketText(textRaw)
  const moved = await write(deps, t, TICKET_WRITABLE, () => ({ status: 'answered' }), {
    from: 'staff',
    text,
    at: deps.clock.now().toISOString(),
    photoFileIds: [],
  })
  deps.log.info('ticket answered', { ticket: id, by: actor.name })
  await notifyTicket(deps, moved, '客服已回复您的反馈，请查看')
  return moved
}

/** Staff close with a reason, which the person reads in the thread. */
export async function closeAsStaff(deps: Deps, actor: StaffActor, id: string, reasonRaw: string): Promise<StoredTicket> {
  const reason = parseReason(reasonRaw)
  const t = await loadTicket(deps, id)
  if (t.status === 'closed') throw new DomainError('TICKET.CLOSED', '该反馈已关闭')
  const moved = await write(deps, t, TICKET_WRITABLE, () => ({ status: 'closed', closedBy: 'staff', closeReason: reason }), {
    from: 'staff',
    text: `客服已关闭此反馈：${reason}`,
    at: deps.clock.now().toISOString(),
    photoFileIds: [],
  })
  deps.log.info('ticket closed', { ticket: id, by: actor.name })
  await notifyTicket(deps, moved, `反馈已处理完毕：${reason}`)
  return moved
}

export async function ticketSummary(deps: Deps, openid: string): Promise<number> {
  return deps.tickets.countByOwner(openid, ['answered'])
}
