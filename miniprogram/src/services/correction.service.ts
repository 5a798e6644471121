/** 换开 (correction: red-letter + a new blue invoice) through the `invoice` function. */
import type { CorrectionStatus, CorrectionView } from '@shared/aftersales'
import type { InvoiceDetail, InvoiceSummary } from '@shared/domain'
import { callFunction } from './cloud'

export { isSamePrintedTitle } from '@shared/aftersales-rules'
export { newClientToken } from './topup.service'

/**
 * Asks for 换开 with another title. Pass the same clientToken for every tap in one confirmation
 * sheet: a retry after a lost answer then finds the same correction instead of a second one.
 */
export async function requestCorrection(input: {
  invoiceId: string
  titleId: string
  buyerBooked: boolean
  email: string | null
  clientToken: string
}): Promise<CorrectionView> {
  const { correction } = await callFunction('invoice', 'correct', {
    invoiceId: input.invoiceId,
    titleId: input.titleId,
    buyerBooked: input.buyerBooked,
    email: input.email?.trim() || null,
    clientToken: input.clientToken,
  })
  return correction
}

export async function getCorrection(correctionId: string): Promise<CorrectionView> {
  const { correction } = await callFunction('invoice', 'getCorrection', { correctionId })
  return correction
}

/** Short labels for chips and the detail page. */
export const CORRECTION_STATUS_LABEL: Record<CorrectionStatus, string> = {
  requested: '红冲中',
  awaiting_buyer: '待购买方确认',
  red_issuing: '红冲中',
  reissuing: '换开中',
  done: '换开完成',
  refused: '购买方已拒绝',
  lapsed: '确认已超时',
}

/** The platform is still working (poll); awaiting_buyer waits for a person, up to 72 h (do not poll). */
export function isCorrectionMoving(status: CorrectionStatus): boolean {
  return status === 'requested' || status === 'red_issuing' || status === 'reissuing'
}

export function isCorrectionSettled(status: CorrectionStatus): boolean {
  return !isCorrectionMoving(status)
}

/** The happy path of a correction as steps: 提交 → (购买方确认) → 红冲 → 开具新发票 → 完成. */
export function correctionStepOrder(buyerBooked: boolean): CorrectionStatus[] {
  return buyerBooked ? ['requested', 'awaiting_buyer', 'red_issuing', 'reissuing', 'done'] : ['requested', 'red_issuing', 'reissuing', 'done']
}

export const CORRECTION_STEP_LABEL: Record<CorrectionStatus, string> = {
  requested: '已提交',
  awaiting_buyer: '购买方确认',
  red_issuing: '红冲原发票',
  reissuing: '开具新发票',
  done: '完成',
  refused: '购买方拒绝',
  lapsed: '确认超时',
}

/** For stepsOf(): a refused or lapsed correction ends after its request. */
export function correctionEnded(status: CorrectionStatus): { after: CorrectionStatus } | undefined {
  return status === 'refused' || status === 'lapsed' ? { after: 'requested' } : undefined
}

/** What the person reads about a correction, with the next step. */
export function correctionText(c: CorrectionView, deadline: string): string {
  switch (c.status) {
    case 'awaiting_buyer':
      return `待购买方确认，截止 ${deadline}。请购买方在电子税务局确认红字信息确认单；确认后自动红冲并开具新发票，超时未确认原发票继续有效。`
    case 'requested':
    case 'red_issuing':
      return '红冲中：正在开具红字发票冲销原发票，通常几秒钟内完成。'
    case 'reissuing':
      return '换开中：原发票已红冲，正在开具新发票。'
    case 'done':
      return '换开完成：原发票已红冲作废，新发票已开具。'
    case 'refused':
      return `购买方未同意红冲，原发票继续有效。${c.failure ?? ''}如仍需换开，请与购买方确认后重新申请。`
    case 'lapsed':
      return `购买方未在期限内确认，申请已失效，原发票继续有效。${c.failure ?? ''}如仍需换开，可重新申请。`
  }
}

/** Chips of the chain for lists and the detail page: 红字 / 已红冲 / 换开. */
export function chainChips(inv: Pick<InvoiceSummary, 'color' | 'chain' | 'source'>): { key: 'red' | 'reversed' | 'replacement'; label: string }[] {
  const chips: { key: 'red' | 'reversed' | 'replacement'; label: string }[] = []
  if (inv.color === 'red') chips.push({ key: 'red', label: '红字' })
  else {
    if (inv.chain.reversedById) chips.push({ key: 'reversed', label: '已红冲' })
    if (inv.chain.originalId) chips.push({ key: 'replacement', label: '换开' })
  }
  return chips
}

/** Amount as printed: red invoices reverse the original, so they show negative. */
export function signedAmountFen(inv: Pick<InvoiceSummary, 'color' | 'amountFen'>): number {
  return inv.color === 'red' ? -Math.abs(inv.amountFen) : inv.amountFen
}

/** A blue, issued invoice that nobody reversed: the only kind that can be corrected or mailed. */
export function isLiveBlue(inv: Pick<InvoiceDetail, 'color' | 'status' | 'chain'>): boolean {
  return inv.color === 'blue' && inv.status === 'issued' && !inv.chain.reversedById
}

/** The 补开/换开 application form of the service subpackage, for corrections beyond self-service. */
export function correctionApplicationUrl(invoiceId: string): string {
  return `/service/application-new/index?type=correction&invoiceId=${encodeURIComponent(invoiceId)}`
}

export function correctionPageUrl(invoiceId: string): string {
  return `/aftersales/correction/index?id=${encodeURIComponent(invoiceId)}`
}

export function invoiceDetailUrl(invoiceId: string): string {
  return `/pages/invoice-detail/index?id=${encodeURIComponent(invoiceId)}`
}
