/** Plain data shared by the mini-program and the cloud functions. Money is integer fen. */
import type { CorrectionEligibility, InvoiceChain, InvoiceColor, PaperRequestView } from './aftersales'
import type { PrintedInvoice } from './invoice-lines'

export interface Card {
  id: string
  /** 16 digits, no spaces */
  cardNo: string
  nickname: string
  createdAt: string // ISO 8601, UTC
  /** 分组 (e.g. a company's 部门): cards of a company are invoiced by group; absent or null: none */
  group?: string | null
}

/** created -> paid | closed; closed -> paid only when a payment lands after close (money is real). */
export type OrderStatus = 'created' | 'paid' | 'closed'

export interface TopupOrder {
  /** = outTradeNo, at most 32 characters */
  id: string
  cardId: string
  cardNo: string
  cardNickname: string
  amountFen: number
  status: OrderStatus
  createdAt: string
  expiresAt: string
  paidAt: string | null
  closedAt: string | null
  transactionId: string | null
  /** the live invoice of this order, if any */
  invoiceId: string | null
}

/**
 * The invoice state of one paid top-up as 充值记录 shows it: none (未开票, with the days left in
 * the request window), issuing (开具中: requested, issuing or retrying), issued (已开票), expired
 * (the window closed: only a reviewed 补开 application helps). invoiceId is the live invoice (after
 * a 换开, the replacement).
 */
export interface OrderInvoiceState {
  state: 'none' | 'issuing' | 'issued' | 'expired'
  invoiceId: string | null
  /** end of the request window (ISO); null once invoiced */
  windowEndsAt: string | null
  /** whole days left to request the invoice; null once invoiced */
  daysLeft: number | null
}

/** A row of 充值记录: the order and, when paid, its invoice state. */
export interface OrderListItem extends TopupOrder {
  invoice: OrderInvoiceState | null
}

/** Paid top-ups still to invoice within the window, for the 发票 tab badge and the home line. */
export interface UninvoicedSummary {
  count: number
  /** the soonest end of a request window among them (ISO), null when count is 0 */
  soonestEndsAt: string | null
  soonestDaysLeft: number | null
}

/** The SMS channel as 设置 shows it: the phone only ever masked. */
export interface SmsSettingsView {
  /** whether SMS can be used at all (configured in this environment) */
  available: boolean
  /** 138****8000, null when no number is kept */
  phoneMasked: string | null
  optIn: boolean
  /** how the number was verified: WeChat getPhoneNumber or a typed code */
  via: 'wechat' | 'code' | null
}

/** What wx.requestPayment takes; in H5 the same object goes to the sandbox pay page. */
export interface PaymentParams {
  appId: string
  timeStamp: string
  nonceStr: string
  package: string
  signType: string
  paySign: string
}

export interface TopupConfig {
  presetsFen: number[]
  minFen: number
  maxFen: number
  orderTtlMinutes: number
  maxCardsPerUser: number
}

// ---------------------------------------------------------------------------------------
// Invoices (发票)

export type TitleKind = 'personal' | 'enterprise'

/** 发票抬头: personal (name only) or enterprise (name + taxpayer ID, the rest optional). */
export interface InvoiceTitle {
  id: string
  kind: TitleKind
  name: string
  taxId: string | null
  address: string | null
  phone: string | null
  bankName: string | null
  bankAccount: string | null
  isDefault: boolean
  /** null when not an 18-character ID; false when the person confirmed a failing checksum */
  taxIdChecksumOk: boolean | null
  createdAt: string
  updatedAt: string
}

export interface TitleInput {
  kind: TitleKind
  name: string
  taxId?: string | null
  address?: string | null
  phone?: string | null
  bankName?: string | null
  bankAccount?: string | null
  isDefault?: boolean
  /** true when the person saw "税号校验未通过" and confirmed the ID anyway */
  confirmChecksum?: boolean
}

export interface UserSettings {
  /** issue an invoice with the default title as soon as a top-up is paid */
  autoInvoice: boolean
  /** where issued invoices are e-mailed */
  defaultEmail: string | null
}

/** Subscription templates the app may ask for; ids come from configuration. */
export type TemplateKey = 'invoiceIssued' | 'invoiceFailed' | 'afterSalesUpdate' | 'invoiceReminder'

export interface SubscribeTemplates {
  /** key -> WeChat template id ('' when not configured) */
  ids: Record<TemplateKey, string>
}

/** requested -> issuing -> issued | failed; failed -> issuing again (retry with backoff). */
export type InvoiceStatus = 'requested' | 'issuing' | 'issued' | 'failed'
/** correction: a red invoice or the new blue one of a 换开; application: issued on a staff-approved 补开 */
export type InvoiceSource = 'auto' | 'single' | 'merge' | 'correction' | 'application'

export interface TitleSnapshot {
  kind: TitleKind
  name: string
  taxId: string | null
  address: string | null
  phone: string | null
  bankName: string | null
  bankAccount: string | null
}

export interface InvoiceSummary {
  id: string
  status: InvoiceStatus
  /** red invoices reverse a blue one; amountFen is always the absolute amount (red prints negative) */
  color: InvoiceColor
  chain: InvoiceChain
  source: InvoiceSource
  invoiceNo: string | null
  title: TitleSnapshot
  amountFen: number
  orderCount: number
  cards: { cardNo: string; nickname: string }[]
  requestedAt: string
  issuedAt: string | null
  email: string | null
}

export type InvoiceEventType =
  | 'requested'
  | 'submitted'
  | 'issued'
  | 'failed'
  | 'retry_scheduled'
  | 'stored'
  | 'emailed'
  | 'email_failed'
  | 'resend_requested'
  | 'message_sent'
  | 'message_skipped'
  // after-sales
  | 'correction_requested'
  | 'red_confirmation_pending'
  | 'red_confirmed'
  | 'correction_refused'
  | 'correction_lapsed'
  | 'reversed'
  | 'replaced'
  | 'paper_requested'
  | 'paper_status'
  | 'staff_action'

export interface InvoiceEvent {
  type: InvoiceEventType
  at: string
  detail: string | null
}

export interface InvoiceDetail extends InvoiceSummary {
  orderIds: string[]
  attempts: number
  lastError: string | null
  nextRetryAt: string | null
  pdf: { sha256: string; bytes: number } | null
  xml: { sha256: string; bytes: number } | null
  /** the provider's OFD original (诺诺 hands one out with each invoice); null from the sandbox */
  ofd: { sha256: string; bytes: number } | null
  history: InvoiceEvent[]
  /** red invoices: 红字发票信息确认单编号 */
  confirmationNo: string | null
  /** blue invoices: whether and how it can be corrected (换开); null for red ones */
  correction: CorrectionEligibility | null
  /** the active paper-copy request of this invoice, if any */
  paper: PaperRequestView | null
  /** page 1 as the PDF prints it (one line per top-up); null while a red invoice awaits its confirmation */
  printed: PrintedInvoice | null
}

export interface InvoiceCaps {
  maxOrders: number
  maxTotalFen: number
  windowDays: number
}

/** Everything printed on a 数电票 (and written to its XML original). */
export interface InvoiceDocument {
  invoiceNo: string // 20 digits
  issuedAt: string // ISO 8601
  typeLabel: string // 电子发票（普通发票）
  buyer: { name: string; taxId: string | null; address: string | null; phone: string | null; bankName: string | null; bankAccount: string | null }
  seller: { name: string; taxId: string; address: string; phone: string; bankName: string; bankAccount: string }
  items: {
    name: string // *预付卡销售和充值*武汉通卡充值
    taxCode: string // 6010000000000000000
    spec: string
    unit: string
    quantity: number
    unitPriceFen: number
    amountFen: number
    rateLabel: string // 不征税
    taxFen: number // 0
  }[]
  amountFen: number
  taxFen: number
  totalFen: number
  totalCapital: string // 大写
  remarks: string
  issuer: string
  /** what the QR code encodes */
  qrPayload: string
}
