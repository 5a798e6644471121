import type { ApplicationStatus, ApplicationType, OffPlatformTopup, TopupChannel } from '../../../types/aftersales'
import { isValidPhone, maskPhone, normalizePhone } from '../../../types/aftersales-rules'
import { parseCardNo } from './card'
import { DomainError } from './errors'
import { hasInvisible } from '../../../types/text-rules'
import { splitUnderCaps } from '../../../types/batch'

/**
 * Applications reviewed by staff (补开, and 换开 beyond the self-service limits).
 * submitted -> in_review -> approved -> done; rejected (reason) by staff while submitted or in
 * review; withdrawn by the person while submitted or in review.
 */
const TRANSITIONS: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  submitted: ['in_review', 'rejected', 'withdrawn'],
  in_review: ['approved', 'rejected', 'withdrawn'],
  // approved -> rejected: only the system, when an approved 换开 ended without change (the buyer
  // refused or let the red-letter form lapse); staff cannot reject what they approved.
  approved: ['done', 'rejected'],
  done: [],
  rejected: [],
  withdrawn: [],
}

export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

export const fromStatesOf = (to: ApplicationStatus): ApplicationStatus[] =>
  (Object.keys(TRANSITIONS) as ApplicationStatus[]).filter((s) => canTransition(s, to))

/** Counted against maxOpenApplications and shown as 处理中 on 我的. */
export const APPLICATION_OPEN: readonly ApplicationStatus[] = ['submitted', 'in_review', 'approved']

export const APPLICATION_TYPES: readonly ApplicationType[] = ['supplement', 'correction']
export const TOPUP_CHANNELS: readonly TopupChannel[] = ['service_hall', 'machine', 'other_online', 'bank', 'other']
export const CHANNEL_LABELS: Record<TopupChannel, string> = {
  service_hall: '营业厅',
  machine: '自助充值机',
  other_online: '其他线上渠道',
  bank: '银行',
  other: '其他',
}

/** Labels the person reads on the timeline and in notices (phrase fields: 5 汉字 at most). */
export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  submitted: '已提交',
  in_review: '审核中',
  approved: '已通过',
  done: '已完成',
  rejected: '未通过',
  withdrawn: '已撤回',
}

export const MAX_OFF_PLATFORM = 10
export const NOTE_MAX = 200
/** how far back an off-platform top-up may be claimed: about three years (the 发票 retention people ask about) */
export const OFF_PLATFORM_MAX_AGE_DAYS = 3 * 366

/** A contact phone: 11-digit mobile or a landline with area code; stored without spaces. */
export function parseContactPhone(raw: unknown): string {
  if (typeof raw !== 'string' || !isValidPhone(raw)) {
    throw new DomainError('APPLICATION.PHONE_INVALID', '联系电话格式不正确：请填写 11 位手机号，或带区号的座机号（如 027-85551234）')
  }
  return normalizePhone(raw)
}

export { maskPhone }

/** Free text for staff: at most NOTE_MAX characters, no control characters; blank -> null. */
export function parseNote(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null
  if (typeof raw !== 'string') throw new DomainError('APPLICATION.INVALID', '补充说明格式不正确')
  const s = raw.replace(/\r\n?/g, '\n').trim()
  if (s === '') return null
  if (Array.from(s).length > NOTE_MAX) throw new DomainError('APPLICATION.INVALID', `补充说明最多 ${NOTE_MAX} 个字`)
  if (hasInvisible(s, { multiline: true })) throw new DomainError('APPLICATION.INVALID', '补充说明含有无法识别的字符，请重新输入')
  return s
}

/** Today's date in China (UTC+8, no daylight saving time) as YYYY-MM-DD. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

/**
 * The off-platform top-ups a person lists (service hall, machine, another channel): each a
 * valid card number, a real date not in the future and not older than ~3 years, an amount
 * within the top-up limits, and a known channel. Messages name the entry (第 n 笔).
 */
export function parseOffPlatform(raw: unknown, now: Date, limits: { minFen: number; maxFen: number }): OffPlatformTopup[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw new DomainError('APPLICATION.INVALID', '其他渠道充值记录格式不正确')
  if (raw.length > MAX_OFF_PLATFORM) throw new DomainError('APPLICATION.INVALID', `一次最多申请 ${MAX_OFF_PLATFORM} 笔其他渠道充值`)
  const today = chinaDate(now)
  const oldest = chinaDate(new Date(now.getTime() - OFF_PLATFORM_MAX_AGE_DAYS * 86400_000))
  return raw.map((e, i) => {
    const n = `第 ${i + 1} 笔充值`
    if (!e || typeof e !== 'object' || Array.isArray(e)) throw new DomainError('APPLICATION.INVALID', `${n}格式不正确`)
    const entry = e as Record<string, unknown>
    let cardNo: string
    try {
      if (typeof entry.cardNo !== 'string') throw new DomainError('CARD.NUMBER_INVALID', '请填写卡号')
      cardNo = parseCardNo(entry.cardNo)
    } catch (err) {
      throw new DomainError('APPLICATION.INVALID', `${n}：${err instanceof Error ? err.message : '卡号不正确'}`)
    }
    const date = typeof entry.date === 'string' ? entry.date.trim() : ''
    if (!validDate(date)) throw new DomainError('APPLICATION.INVALID', `${n}：充值日期应为 YYYY-MM-DD`)
    if (date > today) throw new DomainError('APPLICATION.INVALID', `${n}：充值日期不能晚于今天`)
    if (date < oldest) throw new DomainError('APPLICATION.INVALID', `${n}：只能申请近 3 年内的充值`)
    const amountFen = entry.amountFen
    if (typeof amountFen !== 'number' || !Number.isSafeInteger(amountFen)) throw new DomainError('APPLICATION.INVALID', `${n}：金额应以分为单位的整数`)
    if (amountFen < limits.minFen || amountFen > limits.maxFen) {
      throw new DomainError('APPLICATION.INVALID', `${n}：金额应在 ${limits.minFen / 100} 到 ${limits.maxFen / 100} 元之间`)
    }
    const channel = entry.channel
    if (typeof channel !== 'string' || !TOPUP_CHANNELS.includes(channel as TopupChannel)) {
      throw new DomainError('APPLICATION.INVALID', `${n}：请选择充值渠道`)
    }
    return { cardNo, date, amountFen, channel: channel as TopupChannel }
  })
}

/** What an application asks for must fit its type (checked before anything is looked up). */
export function checkApplicationShape(type: ApplicationType, parts: { orderIds: string[]; offPlatform: OffPlatformTopup[]; invoiceId: string | null }): void {
  if (type === 'supplement') {
    if (parts.invoiceId) throw new DomainError('APPLICATION.INVALID', '补开申请不需要选择发票')
    if (parts.orderIds.length === 0 && parts.offPlatform.length === 0) {
      throw new DomainError('APPLICATION.INVALID', '请选择要补开的充值订单，或填写在其他渠道的充值记录')
    }
    if (new Set(parts.orderIds).size !== parts.orderIds.length) throw new DomainError('APPLICATION.INVALID', '订单重复选择')
  } else {
    if (!parts.invoiceId) throw new DomainError('APPLICATION.INVALID', '请选择要换开的发票')
    if (parts.orderIds.length > 0 || parts.offPlatform.length > 0) throw new DomainError('APPLICATION.INVALID', '换开申请只针对一张已开发票')
  }
}

/**
 * The order id recorded for the n-th off-platform top-up of an application: derived, so a
 * retried approval finds the rows it already wrote instead of doubling them. 32 characters
 * (the outTradeNo limit every order id respects), prefixed OP so staff tell them apart.
 */
export function offPlatformOrderId(applicationId: string, index: number, sha256Hex: (s: string) => string): string {
  return `OP${sha256Hex(`${applicationId}:${index}`).slice(0, 30).toUpperCase()}`
}

/** An off-platform top-up's date as the paid time: noon in China that day (the exact time is unknown). */
export function offPlatformPaidAt(date: string): string {
  return new Date(`${date}T04:00:00.000Z`).toISOString()
}

/**
 * Splits orders (in the given order) into groups within the invoice caps, so one approval
 * issues as few invoices as it may. Deterministic: a retry makes the same groups.
 */
export function splitByCaps<T extends { amountFen: number }>(orders: T[], caps: { maxOrders: number; maxTotalFen: number }): T[][] {
  // the split rule has one home (types/batch.ts, also batch invoicing and 待开票's 全选); an
  // approval cannot leave an order out, so one larger than an invoice may hold is refused
  const { groups, oversize } = splitUnderCaps(orders, caps)
  if (oversize.length) throw new DomainError('INVOICE.CAP_EXCEEDED', '单笔充值金额超过单张发票上限，请联系客服')
  return groups
}

/** The clientToken of the n-th invoice of an approval (one invoice: app-<id>; split: app-<id>-<n>). */
export function applicationInvoiceToken(applicationId: string, index: number, count: number): string {
  return count === 1 ? `app-${applicationId}` : `app-${applicationId}-${index + 1}`
}

/** Rejection reasons are shown to the person: 2-200 characters. */
export function parseReason(raw: unknown): string {
  const s = typeof raw === 'string' ? raw.trim() : ''
  if (Array.from(s).length < 2) throw new DomainError('STAFF.REASON_REQUIRED', '请填写原因（至少 2 个字）')
  if (Array.from(s).length > NOTE_MAX) throw new DomainError('APPLICATION.INVALID', `原因最多 ${NOTE_MAX} 个字`)
  if (hasInvisible(s, { multiline: true })) throw new DomainError('APPLICATION.INVALID', '原因含有无法识别的字符')
  return s
}
