/**
 * 我的申请: applications reviewed by staff (补开, and 换开 beyond the self-service limits) and the
 * list of paper-copy requests (the `aftersales` function), plus the inline checks of the 补开 form.
 */
import type { Page } from '@shared/api'
import type {
  ApplicationInput,
  ApplicationStatus,
  ApplicationType,
  ApplicationView,
  OffPlatformTopup,
  PaperRequestView,
  PaperStatus,
  TopupChannel,
} from '@shared/aftersales'
import type { TopupOrder } from '@shared/domain'
import { cardNoProblem, normalizeCardNo } from '@shared/card-rules'
import { APPLICATION_NOTE_MAX, contactPhoneProblem, normalizePhone, textLength } from '@shared/aftersales-rules'
import { callFunction } from './cloud'
import { getCaps } from './invoice.service'
import { listOrders } from './topup.service'
import { validateEmail } from './profile.service'

export const APPLICATIONS_PAGE_SIZE = 20

export const APPLICATION_TYPE_LABEL: Record<ApplicationType, string> = { supplement: '补开', correction: '换开' }

export const APPLICATION_STATUS_LABEL: Record<ApplicationStatus, string> = {
  submitted: '已提交',
  in_review: '审核中',
  approved: '已通过',
  done: '已完成',
  rejected: '未通过',
  withdrawn: '已撤回',
}

/** CSS modifier of the status chip */
export const APPLICATION_STATUS_TAG: Record<ApplicationStatus, string> = {
  submitted: 'tag--created',
  in_review: 'tag--created',
  approved: 'tag--paid',
  done: 'tag--paid',
  rejected: 'tag--failed',
  withdrawn: 'tag--closed',
}

export const PAPER_STATUS_LABEL: Record<PaperStatus, string> = {
  requested: '待打印',
  printed: '已打印',
  mailed: '已寄出',
  delivered: '已签收',
  returned: '已退回',
  cancelled: '已取消',
}

export const PAPER_STATUS_TAG: Record<PaperStatus, string> = {
  requested: 'tag--created',
  printed: 'tag--created',
  mailed: 'tag--paid',
  delivered: 'tag--paid',
  returned: 'tag--failed',
  cancelled: 'tag--closed',
}

export const CHANNELS: { key: TopupChannel; label: string }[] = [
  { key: 'service_hall', label: '服务网点' },
  { key: 'machine', label: '自助机' },
  { key: 'other_online', label: '其他线上渠道' },
  { key: 'bank', label: '银行' },
  { key: 'other', label: '其他' },
]

export function channelLabel(channel: TopupChannel): string {
  return CHANNELS.find((c) => c.key === channel)?.label ?? '其他'
}

/** The person may still withdraw while staff have not decided. */
export function canWithdraw(status: ApplicationStatus): boolean {
  return status === 'submitted' || status === 'in_review'
}

export function isActiveApplication(status: ApplicationStatus): boolean {
  return status === 'submitted' || status === 'in_review' || status === 'approved'
}

export function listApplications(cursor: string | null): Promise<Page<ApplicationView>> {
  return callFunction('aftersales', 'listApplications', { limit: APPLICATIONS_PAGE_SIZE, ...(cursor ? { cursor } : {}) })
}

export async function getApplication(applicationId: string): Promise<ApplicationView> {
  const { application } = await callFunction('aftersales', 'getApplication', { applicationId })
  return application
}

export async function withdrawApplication(applicationId: string): Promise<ApplicationView> {
  const { application } = await callFunction('aftersales', 'withdrawApplication', { applicationId })
  return application
}

/** One submission: the same clientToken for every tap on the same input (a retry finds the same application). */
export async function submitApplication(input: ApplicationInput): Promise<ApplicationView> {
  const { application } = await callFunction('aftersales', 'apply', input)
  return application
}

export function listPaperRequests(cursor: string | null): Promise<Page<PaperRequestView>> {
  return callFunction('aftersales', 'listPaper', { limit: APPLICATIONS_PAGE_SIZE, ...(cursor ? { cursor } : {}) })
}

export function afterSalesSummary() {
  return callFunction('aftersales', 'summary', {})
}

const MAX_ORDER_PAGES = 5

/**
 * Our paid top-ups that have no invoice and are older than the request window (those inside it
 * are invoiced at once from 发票 → 待开票, no review needed). Newest first, a few pages at most.
 */
export async function ordersForSupplement(now: number = Date.now()): Promise<{ orders: TopupOrder[]; windowDays: number }> {
  const caps = await getCaps()
  const cutoff = now - caps.windowDays * 24 * 3600 * 1000
  const orders: TopupOrder[] = []
  let cursor: string | null = null
  for (let i = 0; i < MAX_ORDER_PAGES; i++) {
    const page = await listOrders(cursor)
    for (const o of page.items) {
      if (o.status === 'paid' && o.invoiceId === null && o.paidAt && Date.parse(o.paidAt) < cutoff) orders.push(o)
    }
    cursor = page.nextCursor
    if (!cursor) break
  }
  return { orders, windowDays: caps.windowDays }
}

// ---- inline checks of the form (the cloud checks again and has the last word) ----

export interface OffPlatformDraft {
  cardNo: string
  date: string
  amountText: string
  channel: TopupChannel | null
}

export type OffPlatformErrors = Partial<Record<'cardNo' | 'date' | 'amount' | 'channel', string>>

/** "YYYY-MM-DD" of today in Asia/Shanghai (no DST, a fixed +8 h). */
export function todayShanghai(now: number = Date.now()): string {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

export function checkOffPlatform(
  draft: OffPlatformDraft,
  parseFen: (text: string) => number | null,
  limits: { minFen: number; maxFen: number } | null,
): { value: OffPlatformTopup | null; errors: OffPlatformErrors } {
  const errors: OffPlatformErrors = {}
  const cardError = cardNoProblem(draft.cardNo)
  if (cardError) errors.cardNo = cardError
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.date)) errors.date = '请选择充值日期'
  else if (draft.date > todayShanghai()) errors.date = '充值日期不能晚于今天'
  const amountFen = parseFen(draft.amountText)
  if (amountFen === null || amountFen <= 0) errors.amount = '请填写充值金额，如 100 或 88.50'
  else if (limits && amountFen > limits.maxFen) errors.amount = `单笔充值金额不超过 ¥${(limits.maxFen / 100).toFixed(2)}，请核对`
  if (!draft.channel) errors.channel = '请选择充值渠道'
  if (Object.keys(errors).length > 0 || amountFen === null || !draft.channel) return { value: null, errors }
  return { value: { cardNo: normalizeCardNo(draft.cardNo), date: draft.date, amountFen, channel: draft.channel }, errors }
}

export function checkNote(note: string): string | null {
  return textLength(note.trim()) > APPLICATION_NOTE_MAX ? `说明最多 ${APPLICATION_NOTE_MAX} 个字` : null
}

export function checkPhone(phone: string): string | null {
  return contactPhoneProblem(phone)
}

export function checkEmail(email: string): string | null {
  return validateEmail(email)
}

export { normalizePhone }
