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
}

export type SubmitResult = 'accepted' | 'duplicate'

export type ProviderStatus =
  | { state: 'issuing' }
  | { state: 'issued'; invoiceNo: string; issuedAt: string }
  | { state: 'failed'; reason: string }
  | { state: 'not_found' }

export interface InvoiceProvider {
  submit(req: IssueRequest): Promise<SubmitResult>
  query(requestNo: string): Promise<ProviderStatus>
}
