/** Plain data shared by the mini-program and the cloud functions. Money is integer fen. */
import type { CorrectionEligibility, InvoiceChain, InvoiceColor, PaperRequestView } from './aftersales'

export interface Card {
  id: string
  /** 16 digits, no spaces */
  cardNo: string
  nickname: string
  createdAt: string // ISO 8601, UTC
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
export type TemplateKey = 'invoiceIssued' | 'invoiceFailed' | 'afterSalesUpdate'

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
