/** 问题反馈: customer-service tickets with a thread (the `aftersales` function). */
import type { Page } from '@shared/api'
import type { TicketCategory, TicketInput, TicketStatus, TicketView } from '@shared/aftersales'
import type { InvoiceDetail } from '@shared/domain'
import { TICKET_TEXT_MAX, textLength } from '@shared/aftersales-rules'
import { callFunction } from './cloud'
import { formatDateTime, maskEmail } from './format'

export const TICKETS_PAGE_SIZE = 20

export const TICKET_CATEGORIES: { key: TicketCategory; label: string; hint: string }[] = [
  { key: 'invoice_missing', label: '没收到发票', hint: '发票开了但邮箱里找不到' },
  { key: 'invoice_wrong', label: '发票信息有误', hint: '抬头、税号或金额不对' },
  { key: 'invoice_lost', label: '发票丢失', hint: '找不到以前开的发票' },
  { key: 'topup', label: '充值问题', hint: '扣款了没到账、金额不对' },
  { key: 'suggestion', label: '建议与意见', hint: '告诉我们哪里可以更好' },
]

export function categoryLabel(category: TicketCategory): string {
  return TICKET_CATEGORIES.find((c) => c.key === category)?.label ?? '其他'
}

export const TICKET_STATUS_LABEL: Record<TicketStatus, string> = {
  open: '待回复',
  answered: '客服已回复',
  closed: '已关闭',
}

export const TICKET_STATUS_TAG: Record<TicketStatus, string> = {
  open: 'tag--created',
  answered: 'tag--paid',
  closed: 'tag--closed',
}

export function listTickets(cursor: string | null): Promise<Page<TicketView>> {
  return callFunction('aftersales', 'listTickets', { limit: TICKETS_PAGE_SIZE, ...(cursor ? { cursor } : {}) })
}

export async function getTicket(ticketId: string): Promise<TicketView> {
  const { ticket } = await callFunction('aftersales', 'getTicket', { ticketId })
  return ticket
}

/** The same clientToken for every tap on the same input: a retry finds the same ticket. */
export async function openTicket(input: TicketInput): Promise<TicketView> {
  const { ticket } = await callFunction('aftersales', 'openTicket', input)
  return ticket
}

export async function replyTicket(ticketId: string, text: string, photoFileIds: string[]): Promise<TicketView> {
  const { ticket } = await callFunction('aftersales', 'replyTicket', {
    ticketId,
    text: text.trim(),
    ...(photoFileIds.length > 0 ? { photoFileIds } : {}),
  })
  return ticket
}

export async function closeTicket(ticketId: string, rating: number | null): Promise<TicketView> {
  const { ticket } = await callFunction('aftersales', 'closeTicket', { ticketId, ...(rating ? { rating } : {}) })
  return ticket
}

export function checkTicketText(text: string): string | null {
  const n = textLength(text.trim())
  if (n === 0) return '请写下遇到的问题'
  if (n > TICKET_TEXT_MAX) return `最多 ${TICKET_TEXT_MAX} 个字，当前 ${n} 个字`
  return null
}

/** The last message for the list row, one line. */
export function lastMessage(ticket: TicketView): string {
  const last = ticket.messages[ticket.messages.length - 1]
  if (!last) return ''
  return (last.from === 'staff' ? '客服：' : '') + last.text.replace(/\s+/g, ' ')
}

export type MailState = 'issuing' | 'failed' | 'no_email' | 'email_failed' | 'emailed' | 'issued'

/**
 * What really happened to an invoice, for the self-help of 没收到发票: is it issued, was it
 * e-mailed (and to which address, masked), did the mail bounce.
 */
export function invoiceMailState(inv: InvoiceDetail): { state: MailState; text: string } {
  if (inv.status === 'requested' || inv.status === 'issuing') {
    return { state: 'issuing', text: '发票还在开具中，通常几分钟内完成，完成后会发送到邮箱。' }
  }
  if (inv.status === 'failed') {
    return { state: 'failed', text: '这张发票开具失败，系统会自动重试，无需重新申请；如长时间未完成，请继续反馈。' }
  }
  const issued = `已于 ${formatDateTime(inv.issuedAt)} 开具`
  if (!inv.email) return { state: 'no_email', text: `${issued}，但开票时没有填写邮箱，所以没有发送邮件。可以现在发送到邮箱，或直接下载 PDF。` }
  const mailEvents = inv.history.filter((e) => e.type === 'emailed' || e.type === 'email_failed')
  const last = mailEvents.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0]
  if (last?.type === 'email_failed') {
    return { state: 'email_failed', text: `${issued}，发送到 ${maskEmail(inv.email)} 失败（系统会重试）。请核对邮箱，或重新发送到其他邮箱。` }
  }
  if (last?.type === 'emailed') {
    return { state: 'emailed', text: `${issued}，已于 ${formatDateTime(last.at)} 发送到 ${maskEmail(inv.email)}。` }
  }
  return { state: 'issued', text: `${issued}，正在发送到 ${maskEmail(inv.email)}。` }
}
