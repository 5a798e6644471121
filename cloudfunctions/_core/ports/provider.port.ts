import type { InvoiceDocument } from '../../../types/domain'

/**
 * A licensed e-invoice provider (诺诺, 百望, the tax bureau...). Issuing is asynchronous:
 * submit with our request number as the idempotency key, then query until done.
 */
export interface IssueRequest {
  /** our idempotency key: invoice id + attempt; a provider refuses a reused one */
  requestNo: string
  buyer: InvoiceDocument['buyer']
  items: InvoiceDocument['items']
  amountFen: number
  remarks: string
  /**
   * A red invoice (红字发票): the blue invoice it reverses and the confirmation backing it.
   * Items and amountFen are then negative.
   */
  red?: { blueInvoiceNo: string; confirmationNo: string }
}

/**
 * 红字发票信息确认单 (red-letter confirmation), shaped like Nuonuo's 数电 flow: apply, then the
 * buyer confirms when it must (an enterprise that booked the invoice, within 72 h), then the
 * red invoice is issued quickly through submit() with `red`. Idempotent by requestNo.
 */
export interface RedConfirmationRequest {
  /** our idempotency key: the correction id */
  requestNo: string
  blueInvoiceNo: string
  blueIssuedAt: string
  /** 01 开票有误 (02 销货退回, 03 服务中止, 04 销售折让) */
  reasonCode: '01' | '02' | '03' | '04'
  /** full reversal: the blue invoice's total, positive fen */
  amountFen: number
  buyer: { name: string; taxId: string | null }
  buyerMustConfirm: boolean
}

/**
 * What a sandbox buyer who must confirm a red-letter form does: wait (until told, or until it
 * lapses), confirm or refuse at once. Only the provider sandboxes (local and WeChat cloud) use it.
 */
export type BuyerDecision = 'wait' | 'confirm' | 'refuse'

export type RedConfirmationStatus =
  | { state: 'confirmed'; confirmationNo: string }
  | { state: 'pending_buyer'; confirmationNo: string; deadline: string }
  | { state: 'refused'; confirmationNo: string; reason: string }
  | { state: 'lapsed'; confirmationNo: string }
  | { state: 'not_found' }

export type SubmitResult = 'accepted' | 'duplicate'

export type ProviderStatus =
  { state: 'issuing' } | { state: 'issued'; invoiceNo: string; issuedAt: string } | { state: 'failed'; reason: string } | { state: 'not_found' }

export interface InvoiceProvider {
  submit(req: IssueRequest): Promise<SubmitResult>
  query(requestNo: string): Promise<ProviderStatus>
  /** records the confirmation (or answers the one already recorded under requestNo) */
  applyRedConfirmation(req: RedConfirmationRequest): Promise<RedConfirmationStatus>
  queryRedConfirmation(requestNo: string): Promise<RedConfirmationStatus>
}
