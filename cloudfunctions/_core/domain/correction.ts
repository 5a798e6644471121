import type { CorrectionStatus, InvoiceColor } from '../../../types/aftersales'
import { isSamePrintedTitle } from '../../../types/aftersales-rules'
import type { InvoiceDocument, InvoiceStatus, TitleSnapshot } from '../../../types/domain'
import { totalInCapitals } from './capitals'
import { DomainError } from './errors'
import { buildInvoiceDocument, qrPayload, type SellerConfig } from './invoice'

/**
 * 换开 (correction): a red-letter invoice reverses a blue one, then a new blue invoice with the
 * corrected title takes over the orders. Pure rules only: statuses, eligibility, who confirms,
 * the red document and the money invariant.
 */

/**
 * requested -> (awaiting_buyer ->) red_issuing -> reissuing -> done.
 * requested | awaiting_buyer -> refused | lapsed: nothing changed, the original stays valid.
 * Once the red-letter confirmation exists, the red invoice must follow: there is no way back
 * from red_issuing (a red invoice already submitted cannot be un-submitted).
 */
const TRANSITIONS: Record<CorrectionStatus, readonly CorrectionStatus[]> = {
  requested: ['awaiting_buyer', 'red_issuing', 'refused', 'lapsed'],
  awaiting_buyer: ['red_issuing', 'refused', 'lapsed'],
  red_issuing: ['reissuing'],
  reissuing: ['done'],
  done: [],
  refused: [],
  lapsed: [],
}

export function canTransitionCorrection(from: CorrectionStatus, to: CorrectionStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

export const correctionFromStatesOf = (to: CorrectionStatus): CorrectionStatus[] =>
  (Object.keys(TRANSITIONS) as CorrectionStatus[]).filter((s) => canTransitionCorrection(s, to))

export const TERMINAL_CORRECTION: readonly CorrectionStatus[] = ['done', 'refused', 'lapsed']
export const ACTIVE_CORRECTION: readonly CorrectionStatus[] = ['requested', 'awaiting_buyer', 'red_issuing', 'reissuing']
export const isTerminalCorrection = (s: CorrectionStatus) => TERMINAL_CORRECTION.includes(s)

/** 红字确认单 reasons (1 开票有误, 2 销货退回, 3 服务中止, 4 销售折让); self-service is always 01. */
export const RED_REASON = { code: '01', label: '开票有误' } as const

// ---------------------------------------------------------------------------------------
// Eligibility

export interface CorrectableInvoice {
  status: InvoiceStatus
  color: InvoiceColor
  reversedById: string | null
  correctionCount: number
}

export interface EligibilityVerdict {
  allowed: boolean
  /** when not allowed: the code a correct request would get */
  code: 'CORRECTION.NOT_ALLOWED' | 'CORRECTION.LIMIT_REACHED' | 'CORRECTION.WINDOW_PASSED' | null
  reason: string | null
  routeToApplication: boolean
  remaining: number
  windowEndsAt: string | null
}

/**
 * Whether the person may correct this invoice by themselves. `originalIssuedAt` is the issue
 * date of the FIRST blue invoice of the chain: a new blue invoice does not restart the window.
 * Beyond the count or the window the person is routed to an application staff review.
 */
export function correctionVerdict(
  inv: CorrectableInvoice,
  originalIssuedAt: string | null,
  limits: { maxPerInvoice: number; windowDays: number },
  now: Date,
): EligibilityVerdict {
  const remaining = Math.max(limits.maxPerInvoice - inv.correctionCount, 0)
  const windowEndsAt = originalIssuedAt ? new Date(Date.parse(originalIssuedAt) + limits.windowDays * 86400_000).toISOString() : null
  const no = (code: NonNullable<EligibilityVerdict['code']>, reason: string, routeToApplication: boolean): EligibilityVerdict => ({
    allowed: false,
    code,
    reason,
    routeToApplication,
    remaining,
    windowEndsAt,
  })
  if (inv.color === 'red') return no('CORRECTION.NOT_ALLOWED', '红字发票不能换开', false)
  if (inv.reversedById) return no('CORRECTION.NOT_ALLOWED', '该发票已红冲，请查看换开后的新发票', false)
  if (inv.status !== 'issued') return no('CORRECTION.NOT_ALLOWED', '发票开具完成后才能申请换开', false)
  if (remaining <= 0) {
    return no('CORRECTION.LIMIT_REACHED', `每张发票最多自助换开 ${limits.maxPerInvoice} 次；如仍需修改，请提交换开申请，由客服审核处理`, true)
  }
  if (windowEndsAt && now.getTime() > Date.parse(windowEndsAt)) {
    return no('CORRECTION.WINDOW_PASSED', `开票超过 ${limits.windowDays} 天的发票不能自助换开；请提交换开申请，由客服审核处理`, true)
  }
  return { allowed: true, code: null, reason: null, routeToApplication: false, remaining, windowEndsAt }
}

/**
 * A correction must change what is printed about the buyer. When nothing printed changes (the
 * usual case: only the e-mail was wrong), re-sending the same invoice is the answer, not a
 * red-letter invoice. The rule's one home is types/aftersales-rules.ts (the form checks it too).
 */
export function checkTitleChanged(oldTitle: TitleSnapshot, newTitle: TitleSnapshot): void {
  if (isSamePrintedTitle(oldTitle, newTitle)) {
    throw new DomainError('CORRECTION.SAME_TITLE', '新抬头与原发票相同，无需换开；如只是邮箱填错，可在发票详情中「重新发送」到新邮箱')
  }
}

/** Whether two requests mean the same new title (a repeated tap with a fresh token). */
export const sameTitle = (a: TitleSnapshot, b: TitleSnapshot): boolean => isSamePrintedTitle(a, b)

/**
 * Who must confirm the red-letter form: a natural person never; an enterprise only when it has
 * already booked the invoice (已入账 / 用途确认), within 72 hours in its tax digital account.
 */
export function buyerMustConfirm(title: TitleSnapshot, buyerBooked: boolean): boolean {
  return title.kind === 'enterprise' && buyerBooked
}

export const CORRECTION_FAILURES = {
  refused: '购买方拒绝了红字发票信息确认单，原发票继续有效；如需换开请联系购买方后重新申请',
  lapsed: '购买方未在 72 小时内确认红字发票信息确认单，确认单已失效，原发票继续有效；如需换开请重新申请',
} as const

// ---------------------------------------------------------------------------------------
// The red document

export const RED_TYPE_LABEL = '电子发票（普通发票）（红字）'

export const redRemarks = (blueInvoiceNo: string, confirmationNo: string) =>
  `被红冲蓝字数电发票号码：${blueInvoiceNo} 红字发票信息确认单编号：${confirmationNo}`

/**
 * The red invoice of a full reversal (全额红冲): the blue one's buyer and lines with negative
 * quantities and amounts (the unit price stays positive, as on a 数电 red invoice), totals in
 * negative figures, the capitals marked （负数）, and the remarks naming the blue invoice and
 * the confirmation.
 */
export function buildRedDocument(input: {
  invoiceNo: string
  issuedAt: string
  /** the buyer of the blue invoice: a red invoice reverses exactly what was issued */
  title: TitleSnapshot
  orders: { id: string; amountFen: number; cardNo: string }[]
  seller: SellerConfig
  blueInvoiceNo: string
  confirmationNo: string
  /** the QR check the provider returned for the red invoice (sandbox: its own) */
  checkCode?: string | null
}): InvoiceDocument {
  const blue = buildInvoiceDocument(input)
  const total = blue.totalFen
  return {
    ...blue,
    typeLabel: RED_TYPE_LABEL,
    items: blue.items.map((i) => ({ ...i, quantity: -i.quantity, amountFen: -i.amountFen, taxFen: i.taxFen === 0 ? 0 : -i.taxFen })),
    amountFen: -blue.amountFen,
    taxFen: blue.taxFen === 0 ? 0 : -blue.taxFen,
    totalFen: -total,
    totalCapital: totalInCapitals(-total),
    remarks: redRemarks(input.blueInvoiceNo, input.confirmationNo),
    qrPayload: qrPayload({ invoiceNo: input.invoiceNo, totalFen: -total, issuedAt: input.issuedAt, checkCode: input.checkCode }),
  }
}

// ---------------------------------------------------------------------------------------
// The money invariant (checked by tests over whole data sets)

export interface InvariantInvoice {
  id: string
  openid: string
  color: InvoiceColor
  status: InvoiceStatus
  amountFen: number
  orderIds: string[]
  reversedById: string | null
}

export interface InvariantOrder {
  id: string
  openid: string
  status: string
  amountFen: number
}

/**
 * For every invoiced order exactly one live blue invoice (blue, not reversed); per person,
 * sum(blue) - sum(red) = sum(invoiced paid orders), to the fen. Returns the violations
 * (empty when it holds).
 */
export function moneyInvariantViolations(invoices: InvariantInvoice[], orders: InvariantOrder[]): string[] {
  const out: string[] = []
  const orderById = new Map(orders.map((o) => [o.id, o]))
  const liveBlue = new Map<string, string[]>()
  const invoiced = new Set<string>()
  for (const inv of invoices) {
    for (const id of inv.orderIds) {
      invoiced.add(id)
      if (inv.color === 'blue' && !inv.reversedById) liveBlue.set(id, [...(liveBlue.get(id) ?? []), inv.id])
    }
  }
  for (const id of invoiced) {
    const live = liveBlue.get(id) ?? []
    if (live.length !== 1) out.push(`order ${id}: ${live.length} live blue invoices (${live.join(', ')})`)
    const o = orderById.get(id)
    if (!o) out.push(`order ${id}: invoiced but unknown`)
    else if (o.status !== 'paid') out.push(`order ${id}: invoiced but ${o.status}`)
  }
  const people = new Set([...invoices.map((i) => i.openid), ...orders.map((o) => o.openid)])
  for (const openid of people) {
    let invoicedFen = 0
    for (const inv of invoices) if (inv.openid === openid) invoicedFen += inv.color === 'blue' ? inv.amountFen : -inv.amountFen
    let ordersFen = 0
    for (const o of orders) if (o.openid === openid && o.status === 'paid' && invoiced.has(o.id)) ordersFen += o.amountFen
    if (invoicedFen !== ordersFen) out.push(`person ${openid}: invoices net ${invoicedFen} fen, invoiced orders ${ordersFen} fen`)
  }
  return out
}
