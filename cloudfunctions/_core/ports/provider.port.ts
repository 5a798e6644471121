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

/**
 * The files a licensed provider hands out for an issued invoice (the tax platform's originals:
 * PDF and OFD for people, XML as the structured original). When present the pipeline stores
 * THESE, with their SHA-256, instead of rendering its own; a sandbox gives none.
 */
export interface ProviderFiles {
  pdfUrl?: string
  ofdUrl?: string
  xmlUrl?: string
}

export type ProviderStatus =
  | { state: 'issuing' }
  // checkCode: the 4-hex check of the 数电票 QR payload as the tax platform gave it (our own
  // rendered XML/PDF then carry the official QR); a sandbox gives none and computes its own.
  | { state: 'issued'; invoiceNo: string; issuedAt: string; files?: ProviderFiles; checkCode?: string }
  | { state: 'failed'; reason: string }
  | { state: 'not_found' }

export interface InvoiceProvider {
  submit(req: IssueRequest): Promise<SubmitResult>
  query(requestNo: string): Promise<ProviderStatus>
  /** records the confirmation (or answers the one already recorded under requestNo) */
  applyRedConfirmation(req: RedConfirmationRequest): Promise<RedConfirmationStatus>
  queryRedConfirmation(requestNo: string): Promise<RedConfirmationStatus>
  /**
   * Downloads one of the files named in an issued status (a provider with files implements
   * it). Throws on a transport error or an empty answer, so the pipeline tries again later.
   */
  fetchFile?(url: string): Promise<Buffer>
}

/**
 * The provider could not be reached or did not answer usably (timeout, connection dropped,
 * non-JSON, an HTTP error, rejected credentials): whether a submit took effect is UNKNOWN. The
 * pipeline keeps the same request number and asks again later (query, then resubmit under the
 * same number if the provider has nothing), instead of a new attempt that could issue twice.
 */
export class ProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProviderUnavailableError'
  }
}

export const isProviderUnavailable = (e: unknown): e is ProviderUnavailableError => e instanceof Error && e.name === 'ProviderUnavailableError'
