import type {
  ApplicationStatus,
  ApplicationType,
  OffPlatformTopup,
  PaperAddress,
  PaperStatus,
  TicketCategory,
  TicketMessage,
  TicketStatus,
  TimelineEntry,
} from '../../../types/aftersales'
import type { TitleSnapshot } from '../../../types/domain'

/**
 * After-sales records (applications 补开, paper copies by post, tickets) and the notice outbox.
 *
 * Every record carries `rev`, bumped by each update: updates are conditional on the status
 * being one of `from` AND on the revision read, so two staff members (or a person and a staff
 * member) acting at once cannot both win, and appending to the timeline / thread never loses
 * an entry (the cloud database has no array push in our command subset, so the adapter writes
 * the whole array under the revision check).
 */

/** keyset cursor of the owner listings: newest first by (createdAt, id) */
export interface CreatedCursor {
  createdAt: string
  id: string
}

export interface StoredApplication {
  id: string
  openid: string
  clientToken: string
  type: ApplicationType
  status: ApplicationStatus
  /** the title the person chose, snapshotted when they applied (a later edit changes nothing) */
  titleId: string
  title: TitleSnapshot
  email: string | null
  orderIds: string[]
  invoiceId: string | null
  offPlatform: OffPlatformTopup[]
  note: string | null
  photoFileIds: string[]
  /** raw: shown masked everywhere (views, lists, logs); staff see it in full only with a reason */
  contactPhone: string
  rejectReason: string | null
  /**
   * The plan recorded atomically with the move to approved, so an approval interrupted half-way
   * resumes to the same result: the orders staff linked (ours, then one derived id per recorded
   * off-platform top-up, in that order) and the off-platform top-ups staff recorded.
   */
  approvedOrderIds: string[]
  approvedOffPlatform: OffPlatformTopup[]
  /** the invoice(s) issued on approval (several when the caps split them) */
  resultInvoiceIds: string[]
  /** type correction: the correction started on approval */
  correctionId: string | null
  /** who approved / rejected (staff name), for the audit of the record itself */
  decidedBy: string | null
  timeline: TimelineEntry[]
  rev: number
  createdAt: string
  updatedAt: string
}

export interface ApplicationRepo {
  /** Throws DuplicateKeyError('clientToken') when (openid, clientToken) is taken. */
  insert(app: StoredApplication): Promise<void>
  findById(id: string): Promise<StoredApplication | null>
  findByClientToken(openid: string, clientToken: string): Promise<StoredApplication | null>
  /** newest first */
  listByOwner(openid: string, page: { limit: number; cursor?: CreatedCursor }): Promise<StoredApplication[]>
  countByOwner(openid: string, statuses: readonly ApplicationStatus[]): Promise<number>
  /** the staff queues: oldest first */
  listByStatus(statuses: readonly ApplicationStatus[], limit: number): Promise<StoredApplication[]>
  countByStatus(statuses: readonly ApplicationStatus[]): Promise<number>
  /**
   * Conditional update: applies `patch` (and appends `entry` to the timeline) only while the
   * stored status is one of `from` and the stored rev equals `rev`; bumps rev. True for the
   * one caller that changed it.
   */
  update(id: string, expect: { from: readonly ApplicationStatus[]; rev: number }, patch: Partial<StoredApplication>, entry?: TimelineEntry): Promise<boolean>
}

export interface StoredPaperRequest {
  id: string
  openid: string
  clientToken: string
  invoiceId: string
  invoiceNo: string | null
  status: PaperStatus
  /**
   * The lock behind "one active request per invoice": the invoice id while requested / printed /
   * mailed (a unique key refuses a second), the request's own id once terminal. Never null: the
   * cloud database's unique indexes count missing values as equal.
   */
  activeKey: string
  /** raw (the phone is masked in views, lists and logs) */
  address: PaperAddress
  carrier: string | null
  trackingNo: string | null
  returnReason: string | null
  timeline: TimelineEntry[]
  rev: number
  createdAt: string
  updatedAt: string
}

/** requested / printed / mailed hold the invoice's one active slot */
export const PAPER_ACTIVE: readonly PaperStatus[] = ['requested', 'printed', 'mailed']

export interface PaperRepo {
  /**
   * Throws DuplicateKeyError('clientToken') for a reused (openid, clientToken) and
   * DuplicateKeyError('activeKey') when the invoice already has an active request (the unique
   * key is the invoice id while the request is active, released when it becomes terminal).
   */
  insert(p: StoredPaperRequest): Promise<void>
  findById(id: string): Promise<StoredPaperRequest | null>
  findByClientToken(openid: string, clientToken: string): Promise<StoredPaperRequest | null>
  /** the request holding the invoice's active slot, if any */
  activeForInvoice(invoiceId: string): Promise<StoredPaperRequest | null>
  listByOwner(openid: string, page: { limit: number; cursor?: CreatedCursor }): Promise<StoredPaperRequest[]>
  countByOwner(openid: string, statuses: readonly PaperStatus[]): Promise<number>
  listByStatus(statuses: readonly PaperStatus[], limit: number): Promise<StoredPaperRequest[]>
  countByStatus(statuses: readonly PaperStatus[]): Promise<number>
  /** Conditional like ApplicationRepo.update; the service sets activeKey to the request's id when it ends. */
  update(id: string, expect: { from: readonly PaperStatus[]; rev: number }, patch: Partial<StoredPaperRequest>, entry?: TimelineEntry): Promise<boolean>
}

export interface StoredTicket {
  id: string
  openid: string
  clientToken: string
  category: TicketCategory
  status: TicketStatus
  orderId: string | null
  invoiceId: string | null
  /** raw, optional; masked in views and logs */
  contactPhone: string | null
  messages: TicketMessage[]
  rating: number | null
  /** staff close: the reason (for the person and the audit) */
  closeReason: string | null
  closedBy: 'user' | 'staff' | null
  rev: number
  createdAt: string
  updatedAt: string
}

export interface TicketRepo {
  /** Throws DuplicateKeyError('clientToken'). */
  insert(t: StoredTicket): Promise<void>
  findById(id: string): Promise<StoredTicket | null>
  findByClientToken(openid: string, clientToken: string): Promise<StoredTicket | null>
  listByOwner(openid: string, page: { limit: number; cursor?: CreatedCursor }): Promise<StoredTicket[]>
  countByOwner(openid: string, statuses: readonly TicketStatus[]): Promise<number>
  listByStatus(statuses: readonly TicketStatus[], limit: number): Promise<StoredTicket[]>
  countByStatus(statuses: readonly TicketStatus[]): Promise<number>
  /** Conditional like ApplicationRepo.update; `message` is appended to the thread. */
  update(id: string, expect: { from: readonly TicketStatus[]; rev: number }, patch: Partial<StoredTicket>, message?: TicketMessage): Promise<boolean>
}

/** An after-sales notice e-mail waiting to go out (none is lost: retried with backoff). */
export interface NoticeItem {
  /** deterministic (<kind>:<record id>:<rev or status>): the same notice is queued once */
  id: string
  openid: string
  to: string
  subject: string
  text: string
  html: string
  status: 'pending' | 'sent' | 'failed'
  attempts: number
  nextAttemptAt: string
  lastError: string | null
  createdAt: string
  sentAt: string | null
}

export interface NoticeOutboxRepo {
  /** false when an item with this id is already queued */
  add(item: NoticeItem): Promise<boolean>
  due(now: string, limit: number): Promise<NoticeItem[]>
  /** takes the item for sending (conditional on its attempts count): true for the one taker */
  claim(id: string, attempts: number, leaseUntil: string): Promise<boolean>
  markSent(id: string, at: string): Promise<void>
  markRetry(id: string, attempts: number, nextAttemptAt: string, error: string, giveUp: boolean): Promise<void>
  findById(id: string): Promise<NoticeItem | null>
}
