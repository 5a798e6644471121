import type { TicketCategory, TicketStatus } from '../../../types/aftersales'
import { DomainError } from './errors'
import { hasInvisible } from '../../../types/text-rules'

/**
 * Customer-service tickets (问题反馈): open (waiting for staff) -> answered (staff replied,
 * waiting for the person) -> open (the person replied) ... -> closed by the person (with an
 * optional rating) or by staff (with a reason). A person's reply while still open keeps it open.
 */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ['answered', 'closed'],
  answered: ['open', 'closed'],
  closed: [],
}

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

export const fromStatesOf = (to: TicketStatus): TicketStatus[] => (Object.keys(TRANSITIONS) as TicketStatus[]).filter((s) => canTransition(s, to))

/** A person may write while the ticket is not closed. */
export const TICKET_WRITABLE: readonly TicketStatus[] = ['open', 'answered']

export const TICKET_CATEGORIES: readonly TicketCategory[] = ['invoice_missing', 'invoice_wrong', 'invoice_lost', 'topup', 'suggestion']
export const CATEGORY_LABELS: Record<TicketCategory, string> = {
  invoice_missing: '没收到发票',
  invoice_wrong: '发票信息有误',
  invoice_lost: '发票丢失',
  topup: '充值问题',
  suggestion: '建议与意见',
}

export const TICKET_STATUS_LABELS: Record<TicketStatus, string> = {
  open: '待回复',
  answered: '已回复',
  closed: '已关闭',
}

export const TICKET_TEXT_MAX = 500
/** a thread is bounded so one document stays small (cloud database documents are limited in size) */
export const TICKET_MAX_MESSAGES = 100

/** 1-500 characters after trimming; line breaks allowed, other control characters not. */
export function parseTicketText(raw: unknown): string {
  const s = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : ''
  if (s === '') throw new DomainError('TICKET.TEXT_INVALID', '请描述遇到的问题')
  if (Array.from(s).length > TICKET_TEXT_MAX) throw new DomainError('TICKET.TEXT_INVALID', `内容最多 ${TICKET_TEXT_MAX} 个字`)
  if (hasInvisible(s, { multiline: true })) throw new DomainError('TICKET.TEXT_INVALID', '内容含有无法识别的字符，请重新输入')
  return s
}

export function parseCategory(raw: unknown): TicketCategory {
  if (typeof raw !== 'string' || !TICKET_CATEGORIES.includes(raw as TicketCategory)) throw new DomainError('COMMON.BAD_REQUEST', '请选择问题类型')
  return raw as TicketCategory
}

export function parseRating(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > 5) throw new DomainError('TICKET.RATING_INVALID', '评分应为 1 到 5 星')
  return raw
}
