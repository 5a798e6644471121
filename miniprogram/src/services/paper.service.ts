/** 邮寄纸质版 (a printed copy of a 数电票 by post) through the `aftersales` function. */
import type { PaperAddress, PaperRequestView, PaperStatus } from '@shared/aftersales'
import { normalizePaperAddress } from '@shared/aftersales-rules'
import { callFunction } from './cloud'

export { validatePaperAddress, maskPhone, PAPER_ADDRESS_MAX } from '@shared/aftersales-rules'
export type { PaperAddressErrors } from '@shared/aftersales-rules'
export { newClientToken } from './topup.service'

/** One active request per invoice; the same clientToken (one per form) makes a retry find it. */
export async function requestPaper(invoiceId: string, address: PaperAddress, clientToken: string): Promise<PaperRequestView> {
  const { paper } = await callFunction('aftersales', 'requestPaper', { invoiceId, address: normalizePaperAddress(address), clientToken })
  return paper
}

export async function getPaper(paperId: string): Promise<PaperRequestView> {
  const { paper } = await callFunction('aftersales', 'getPaper', { paperId })
  return paper
}

/** Only before it is printed. */
export async function cancelPaper(paperId: string): Promise<PaperRequestView> {
  const { paper } = await callFunction('aftersales', 'cancelPaper', { paperId })
  return paper
}

export const PAPER_STATUS_LABEL: Record<PaperStatus, string> = {
  requested: '已申请',
  printed: '已打印',
  mailed: '已寄出',
  delivered: '已签收',
  returned: '已退回',
  cancelled: '已取消',
}

/** The happy path of a paper request as steps; returned and cancelled end it early. */
export const PAPER_STEP_ORDER: PaperStatus[] = ['requested', 'printed', 'mailed', 'delivered']

export function paperEnded(status: PaperStatus): { after: PaperStatus } | undefined {
  if (status === 'returned') return { after: 'mailed' }
  if (status === 'cancelled') return { after: 'requested' }
  return undefined
}

/** What the person reads under the steps, with the next step. */
export function paperStatusText(p: PaperRequestView): string {
  switch (p.status) {
    case 'requested':
      return '已收到申请，工作人员打印后寄出，通常 3 个工作日内寄出。打印前可以取消。'
    case 'printed':
      return '纸质件已打印，等待寄出。'
    case 'mailed':
      return `已寄出${p.carrier ? `（${p.carrier}）` : ''}，可复制运单号到快递公司查询。`
    case 'delivered':
      return '已签收。'
    case 'returned':
      return `快递已退回${p.returnReason ? `：${p.returnReason}` : ''}。如需重新邮寄，请核对地址后重新申请。`
    case 'cancelled':
      return '申请已取消。需要时可重新申请。'
  }
}

export function isPaperActive(status: PaperStatus): boolean {
  return status === 'requested' || status === 'printed' || status === 'mailed'
}

export function paperFormUrl(invoiceId: string): string {
  return `/aftersales/paper/index?id=${encodeURIComponent(invoiceId)}`
}

export function paperDetailUrl(paperId: string): string {
  return `/aftersales/paper-detail/index?id=${encodeURIComponent(paperId)}`
}
