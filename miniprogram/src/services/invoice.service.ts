/** Invoices (the `invoice` function): what can be invoiced, requests, the list, details and files. */
import type { Page } from '@shared/api'
import type { InvoiceCaps, InvoiceDetail, InvoiceEventType, InvoiceStatus, InvoiceSummary, TopupOrder } from '@shared/domain'
import { callFunction } from './cloud'
import { handOff } from './handoff'

export { newClientToken } from './topup.service'

export const UNINVOICED_PAGE_SIZE = 20
export const INVOICES_PAGE_SIZE = 20

/** Shown on the page-1 preview; the cloud prints the configured seller on the real document. */
export const SELLER_NAME = '武汉城市一卡通有限公司'
export const ITEM_NAME = '*预付卡销售和充值*武汉通卡充值'
export const TAX_RATE_LABEL = '不征税'

export function getCaps(): Promise<InvoiceCaps> {
  return callFunction('invoice', 'caps', {})
}

/** group: only the top-ups of that group of my cards ('' = cards without a group); null: all */
export function listUninvoiced(cursor: string | null, group: string | null = null): Promise<Page<TopupOrder>> {
  return callFunction('invoice', 'listUninvoiced', { limit: UNINVOICED_PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(group !== null ? { group } : {}) })
}

/** Every top-up of 待开票 (for 全选's automatic split), page after page, at most `max`. */
export async function listAllUninvoiced(group: string | null = null, max = 2000): Promise<TopupOrder[]> {
  const out: TopupOrder[] = []
  let cursor: string | null = null
  do {
    const page: Page<TopupOrder> = await callFunction('invoice', 'listUninvoiced', {
      limit: 50,
      ...(cursor ? { cursor } : {}),
      ...(group !== null ? { group } : {}),
    })
    out.push(...page.items)
    cursor = page.nextCursor
  } while (cursor && out.length < max)
  return out
}

/**
 * One ordinary invoice (普通发票) for the selected orders. Pass the same clientToken for every tap
 * in one confirmation sheet: a retry after a lost answer then finds the same invoice.
 */
export async function requestInvoice(input: { orderIds: string[]; titleId: string; email: string | null; clientToken: string }): Promise<InvoiceDetail> {
  const email = input.email?.trim() || null
  const { invoice } = await callFunction('invoice', 'request', {
    orderIds: input.orderIds,
    titleId: input.titleId,
    email,
    kind: 'normal',
    clientToken: input.clientToken,
  })
  return invoice
}

/** The status filter of 已开票: 开具中 covers requested and issuing. */
export type StatusFilter = 'all' | 'pending' | 'issued' | 'failed'
export const STATUS_FILTERS: { key: StatusFilter; label: string }[] = [
  { key: 'all', label: '全部状态' },
  { key: 'pending', label: '开具中' },
  { key: 'issued', label: '已开具' },
  { key: 'failed', label: '开具失败' },
]

export interface InvoiceFilters {
  status: StatusFilter
  month: string | null
  cardNo: string | null
  /** one of my titles (as printed on the invoice); absent or null: any */
  titleId?: string | null
  /** a group of my cards; '' = cards without a group; absent or null: any */
  group?: string | null
}

export function isInFlight(status: InvoiceStatus): boolean {
  return status === 'requested' || status === 'issuing'
}

const MAX_PAGES_PER_LOAD = 5

export async function listInvoices(cursor: string | null, filters: InvoiceFilters): Promise<Page<InvoiceSummary>> {
  const base = {
    limit: INVOICES_PAGE_SIZE,
    ...(filters.month ? { month: filters.month } : {}),
    ...(filters.cardNo ? { cardNo: filters.cardNo } : {}),
    ...(filters.titleId ? { titleId: filters.titleId } : {}),
    ...(filters.group != null ? { group: filters.group } : {}),
  }
  if (filters.status !== 'pending') {
    const status: InvoiceStatus | undefined = filters.status === 'all' ? undefined : filters.status
    return callFunction('invoice', 'list', { ...base, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) })
  }
  // The list filters one status at a time; 开具中 is two (requested, issuing), so read the
  // unfiltered pages and keep those. In-flight invoices are few and recent (newest first).
  const items: InvoiceSummary[] = []
  let next = cursor
  for (let i = 0; i < MAX_PAGES_PER_LOAD; i++) {
    const page = await callFunction('invoice', 'list', { ...base, ...(next ? { cursor: next } : {}) })
    items.push(...page.items.filter((x) => isInFlight(x.status)))
    next = page.nextCursor
    if (items.length > 0 || !next) break
  }
  return { items, nextCursor: next }
}

export async function getInvoice(invoiceId: string): Promise<InvoiceDetail> {
  const { invoice } = await callFunction('invoice', 'get', { invoiceId })
  return invoice
}

export function getFiles(invoiceId: string): Promise<{ pdfUrl: string; xmlUrl: string; expiresAt: string }> {
  return callFunction('invoice', 'files', { invoiceId })
}

/** 补发: the same invoice again to an e-mail address (never a second invoice). */
export function resendInvoice(invoiceId: string, email: string | null): Promise<{ queued: true; email: string }> {
  return callFunction('invoice', 'resend', { invoiceId, email: email?.trim() || null })
}

export async function invoiceForOrder(orderId: string): Promise<InvoiceSummary | null> {
  const { invoice } = await callFunction('invoice', 'forOrder', { orderId })
  return invoice
}

export const INVOICE_STATUS_LABEL: Record<InvoiceStatus, string> = {
  requested: '开具中',
  issuing: '开具中',
  issued: '已开具',
  failed: '开具失败',
}

/** CSS modifier of the status chip */
export const INVOICE_STATUS_TAG: Record<InvoiceStatus, string> = {
  requested: 'tag--created',
  issuing: 'tag--created',
  issued: 'tag--paid',
  failed: 'tag--failed',
}

export const INVOICE_EVENT_LABEL: Record<InvoiceEventType, string> = {
  requested: '已提交',
  submitted: '开具中',
  issued: '已开具',
  failed: '这次没开出来，系统会自动再试',
  retry_scheduled: '稍后自动再试',
  stored: '发票文件已生成',
  emailed: '已发送至邮箱',
  email_failed: '邮件暂未送达，系统会再发',
  resend_requested: '已重新发送到邮箱',
  message_sent: '已发微信通知',
  message_skipped: '未开启微信通知，没有提醒',
  correction_requested: '已申请换开',
  red_confirmation_pending: '等待购买方确认作废原发票',
  red_confirmed: '购买方已确认作废原发票',
  correction_refused: '购买方不同意作废原发票，换开未完成',
  correction_lapsed: '购买方没有按期确认，换开已取消',
  reversed: '原发票已作废（红冲）',
  replaced: '已换开新发票',
  paper_requested: '已申请邮寄纸质版',
  paper_status: '纸质版邮寄有新进展',
  staff_action: '客服已处理',
}

/** The short fingerprint shown to people: the first 16 hex characters of the SHA-256. */
export function shortSha(sha256: string | null | undefined): string {
  return sha256 ? sha256.slice(0, 16).toLowerCase() : ''
}

/** pay-result -> the 发票 tab (switchTab takes no query): the order to select in 待开票. */
export function preselectOrder(orderId: string): void {
  handOff('invoice.preselectOrder', orderId)
}
