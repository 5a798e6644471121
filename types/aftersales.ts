/**
 * After-sales: what starts when something goes wrong with an invoice. Shared by the
 * mini-program and the cloud functions (the contract; money is integer fen, times ISO UTC).
 *
 * - 换开 (correction): a red-letter invoice reverses a blue one, a new blue invoice with the
 *   corrected title replaces it. Chain: original blue -> red -> new blue.
 * - Applications reviewed by staff: 补开 (an invoice the app cannot issue itself).
 * - Paper copies by post (纸质打印件 of a 数电票: a service, not a second invoice).
 * - Customer-service tickets (问题反馈) with a thread.
 * - Staff roles and the audit trail of staff actions.
 */
import type { TitleInput, TitleSnapshot } from './domain'

// ---------------------------------------------------------------------------------------
// Correction chain (红冲 + 换开)

export type InvoiceColor = 'blue' | 'red'

/** Where an invoice stands in a correction chain; all ids are invoice ids. */
export interface InvoiceChain {
  /** red: the blue invoice it reverses; new blue (换开): the blue invoice it replaces */
  originalId: string | null
  /** blue: the red invoice that reversed it (then it is 已红冲) */
  reversedById: string | null
  /** blue: the new blue invoice that replaced it */
  replacedById: string | null
  /** the correction that made this link */
  correctionId: string | null
  /** blue: how many corrections the chain up to this invoice has had (0 for an original) */
  correctionCount: number
}

/**
 * requested -> (awaiting_buyer ->) red_issuing -> reissuing -> done
 * awaiting_buyer -> refused | lapsed (72 h): nothing changed, the original stays valid.
 */
export type CorrectionStatus = 'requested' | 'awaiting_buyer' | 'red_issuing' | 'reissuing' | 'done' | 'refused' | 'lapsed'

export interface CorrectionView {
  id: string
  /** the blue invoice being corrected */
  invoiceId: string
  status: CorrectionStatus
  /** 红字确认单 reason: always 开票有误 for self-service */
  reasonLabel: string
  oldTitle: TitleSnapshot
  newTitle: TitleSnapshot
  email: string | null
  /** the enterprise buyer said the invoice is already booked (已入账): it must confirm */
  buyerBooked: boolean
  /** 红字发票信息确认单编号, once recorded */
  confirmationNo: string | null
  /** awaiting_buyer: when the confirmation lapses */
  confirmDeadline: string | null
  redInvoiceId: string | null
  newInvoiceId: string | null
  /** refused / lapsed: the reason, for people */
  failure: string | null
  by: 'user' | 'staff'
  requestedAt: string
  updatedAt: string
}

/** What the invoice detail shows under "发票有误？申请换开". */
export interface CorrectionEligibility {
  allowed: boolean
  /** why not, for people (and whether an application is the way on) */
  reason: string | null
  /** true when the person should be routed to a 补开/换开 application instead */
  routeToApplication: boolean
  remaining: number
  /** the self-service window ends (ISO) */
  windowEndsAt: string | null
  /** a correction in progress on this invoice, if any */
  active: CorrectionView | null
}

// ---------------------------------------------------------------------------------------
// Applications reviewed by staff (补开)

/** supplement: 补开 of top-ups the app cannot invoice itself; correction: 换开 beyond the self-service limits */
export type ApplicationType = 'supplement' | 'correction'
export type ApplicationStatus = 'submitted' | 'in_review' | 'approved' | 'done' | 'rejected' | 'withdrawn'
export type TopupChannel = 'service_hall' | 'machine' | 'other_online' | 'bank' | 'other'

/** A top-up made outside our orders (service hall, machine, another channel). */
export interface OffPlatformTopup {
  /** 16 digits */
  cardNo: string
  /** YYYY-MM-DD (Asia/Shanghai) */
  date: string
  amountFen: number
  channel: TopupChannel
}

export interface ApplicationInput {
  type: ApplicationType
  /** our paid orders to invoice (e.g. older than the request window) */
  orderIds?: string[]
  /** correction beyond limits: the invoice to correct */
  invoiceId?: string
  /** top-ups not in our orders (at most 10) */
  offPlatform?: OffPlatformTopup[]
  titleId: string
  email?: string | null
  /** what the person wants to tell staff (at most 200 characters) */
  note?: string
  /** up to 3 photos already uploaded under the person's own folder (see aftersales.uploadTarget) */
  photoFileIds?: string[]
  /** a contact phone (11-digit mobile or a landline); masked in every list and log */
  contactPhone: string
  clientToken: string
}

export interface TimelineEntry {
  at: string
  /** the status reached, or 'note' / 'message' for an entry that changes none */
  status: string
  /** for people, in Chinese */
  text: string
  by: 'user' | 'staff' | 'system'
}

export interface ApplicationView {
  id: string
  type: ApplicationType
  status: ApplicationStatus
  title: TitleSnapshot
  email: string | null
  orderIds: string[]
  invoiceId: string | null
  offPlatform: OffPlatformTopup[]
  note: string | null
  photos: { fileId: string }[]
  /** 138****5678 */
  contactPhoneMasked: string
  rejectReason: string | null
  /** the invoice issued on approval */
  resultInvoiceId: string | null
  timeline: TimelineEntry[]
  createdAt: string
  updatedAt: string
}

// ---------------------------------------------------------------------------------------
// Paper copy by post (邮寄纸质版)

/** requested -> printed -> mailed -> delivered | returned; cancelled only before printed. */
export type PaperStatus = 'requested' | 'printed' | 'mailed' | 'delivered' | 'returned' | 'cancelled'

export interface PaperAddress {
  recipient: string
  phone: string
  province: string
  city: string
  district: string
  /** street and house number */
  detail: string
  postalCode?: string | null
}

export interface PaperRequestView {
  id: string
  invoiceId: string
  invoiceNo: string | null
  status: PaperStatus
  /** phone masked */
  address: PaperAddress
  carrier: string | null
  trackingNo: string | null
  returnReason: string | null
  timeline: TimelineEntry[]
  createdAt: string
  updatedAt: string
}

// ---------------------------------------------------------------------------------------
// Customer-service tickets (问题反馈)

export type TicketCategory = 'invoice_missing' | 'invoice_wrong' | 'invoice_lost' | 'topup' | 'suggestion'
/** open (waiting for staff) -> answered (waiting for the person) -> open ... -> closed */
export type TicketStatus = 'open' | 'answered' | 'closed'

export interface TicketMessage {
  from: 'user' | 'staff'
  text: string
  at: string
  photoFileIds: string[]
}

export interface TicketView {
  id: string
  category: TicketCategory
  status: TicketStatus
  orderId: string | null
  invoiceId: string | null
  messages: TicketMessage[]
  /** 1-5 once the person rated the help */
  rating: number | null
  createdAt: string
  updatedAt: string
}

export interface TicketInput {
  category: TicketCategory
  text: string
  orderId?: string | null
  invoiceId?: string | null
  photoFileIds?: string[]
  contactPhone?: string | null
  clientToken: string
}

// ---------------------------------------------------------------------------------------
// Staff

export type StaffRole = 'viewer' | 'agent' | 'admin'

export interface StaffMember {
  openid: string
  name: string
  role: StaffRole
  grantedBy: string
  grantedAt: string
}

export interface AuditRecord {
  id: string
  at: string
  /** the operator's name (console/CLI) or the staff member's name */
  operator: string
  /**
   * 'console' for calls from outside WeChat, else the staff member's openid (masked when
   * listed); for a user's own action (role 'user') the masked openid, never the openid itself
   */
  via: string
  /** 'user': a sensitive action of the person themselves (title change, correction request) */
  role: StaffRole | 'user'
  action: string
  /** e.g. application:APP..., invoice:INV... */
  target: string
  reason: string | null
  /** SHA-256 (first 16 hex) of the target's state before and after */
  beforeDigest: string | null
  afterDigest: string | null
  /** the hash of the record before this one (64 zeros for the first): the trail is a chain */
  prevHash?: string
  /** SHA-256 over prevHash and this record's content */
  hash?: string
}

/** A staff correction on the person's behalf takes a full title, checked like any title. */
export type StaffTitleInput = TitleInput
