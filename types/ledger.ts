/**
 * Contracts of the `ledger` function (issue 8): exports (ZIP + ledger), the year statement and
 * the authenticity check 验真. Shared by the mini-program and the function.
 */

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed'

/** A filter over the person's invoices; every field optional (none: all issued invoices). */
export interface ExportFilter {
  /** issue date (China time) within [from, to], YYYY-MM-DD */
  from?: string
  to?: string
  /** the buyer's name or taxpayer ID, exactly */
  title?: string
  cardNo?: string
}

export interface ExportInput {
  /** chosen invoices; or */
  invoiceIds?: string[]
  /** a filter (ignored when invoiceIds are given) */
  filter?: ExportFilter
  /** e-mail the result here (attached, or a link when too big); omit: download in the app only */
  email?: string | null
  clientToken: string
}

export interface ExportView {
  id: string
  status: ExportStatus
  /** invoices in the export, and how many are in the ZIP so far (progress) */
  total: number
  done: number
  zipBytes: number | null
  /** a short-lived link to the ZIP, minted for the owner when done */
  url: string | null
  urlExpiresAt: string | null
  mail: 'attached' | 'link' | 'failed' | null
  error: string | null
  createdAt: string
  finishedAt: string | null
}

export interface StatementMonthView {
  month: number
  toppedUpFen: number
  invoicedFen: number
  notInvoicedFen: number
  /** not invoiced and still within the request window */
  invoiceableFen: number
  /** the fewest days left among this month's top-ups still invoiceable; null when none */
  minDaysLeft: number | null
}

export interface StatementView {
  year: number
  months: StatementMonthView[]
  totals: { toppedUpFen: number; invoicedFen: number; notInvoicedFen: number; invoiceableFen: number }
  windowDays: number
}

export type VerifyResult = 'genuine' | 'altered' | 'unknown'

/** Only what anyone may learn of one of our invoices: never the buyer. */
export interface VerifiedInvoice {
  invoiceNo: string
  issueDate: string
  amountFen: number
  sellerName: string
  color: 'blue' | 'red'
  /** a genuine blue invoice later reversed (红冲): not valid for reimbursement */
  reversed: boolean
}

export interface VerifyAnswer {
  result: VerifyResult
  /** the invoice, only when genuine */
  invoice: VerifiedInvoice | null
  /** checks left in this window */
  remaining: number
}
