import type { InvoiceColor } from '../../../types/aftersales'
import type { InvoiceEventType, InvoiceSource, InvoiceStatus, TitleSnapshot } from '../../../types/domain'

export interface StoredInvoice {
  id: string
  openid: string
  clientToken: string
  status: InvoiceStatus
  source: InvoiceSource
  title: TitleSnapshot
  email: string | null
  amountFen: number
  orderIds: string[]
  cards: { cardNo: string; nickname: string }[]
  requestedAt: string
  issuedAt: string | null
  invoiceNo: string | null
  attempts: number
  /** the provider request number of the current attempt */
  requestNo: string | null
  lastError: string | null
  nextRetryAt: string | null
  /** while a worker holds the invoice: until when (a crashed worker's lease runs out) */
  leaseUntil: string | null
  pdfFileId: string | null
  pdfSha256: string | null
  pdfBytes: number | null
  xmlFileId: string | null
  xmlSha256: string | null
  xmlBytes: number | null
  /** the provider's OFD original, when it hands one out (none from the sandbox) */
  ofdFileId: string | null
  ofdSha256: string | null
  ofdBytes: number | null
  /** red invoices reverse a blue one; amountFen stays the absolute amount */
  color: InvoiceColor
  /** red: the blue it reverses; new blue (换开): the blue it replaces */
  originalId: string | null
  /** blue: the red invoice that reversed it */
  reversedById: string | null
  /** blue: the new blue invoice that replaced it */
  replacedById: string | null
  /** the correction that made this invoice (red, new blue) */
  correctionId: string | null
  /** blue: corrections the chain up to this invoice has had (0 for an original) */
  correctionCount: number
  /** red: 红字发票信息确认单编号 */
  confirmationNo: string | null
}

/** The atomic step 3 of a correction (see InvoiceRepo.replace). */
export interface ReplaceInput {
  /** the blue invoice being reversed and replaced */
  oldId: string
  /** the issued red invoice that reversed it */
  redId: string
  /** the new blue invoice (status requested), taking over the old one's orders */
  replacement: StoredInvoice
  correctionId: string
  at: string
}

export interface InvoiceFilter {
  status?: InvoiceStatus
  /** requestedAt within [from, to) */
  from?: string
  to?: string
  cardNo?: string
  /** on any of these cards (a card group, issue 8); an empty list matches nothing */
  cardNos?: string[]
  /** made out to this title: its name and taxpayer ID as snapshotted on the invoice (null: none) */
  title?: { name: string; taxId: string | null }
}

export interface InvoiceRepo {
  /**
   * Stores the invoice and claims its orders in one atomic step. The claim is a unique key
   * on the order id (an order belongs to at most one live invoice): a second claim throws
   * DuplicateKeyError('orderId'); a reused clientToken throws DuplicateKeyError('clientToken').
   */
  create(inv: StoredInvoice, orders: { orderId: string; cardNo: string }[]): Promise<void>
  /**
   * Step 3 of a correction, in ONE atomic step: mark the old blue invoice reversed
   * (reversedById = redId, replacedById = replacement.id; only while it is issued and not yet
   * reversed), create the replacement and move every order's claim from the old invoice to
   * it, with the 'reversed' / 'replaced' events. At no moment is an order claimed twice or by
   * nobody. Idempotent: when the old invoice is already reversed by this red invoice and the
   * replacement exists, nothing is written and 'already' is answered. Throws when the old
   * invoice was reversed by another correction or a claim is not the old invoice's.
   */
  replace(input: ReplaceInput): Promise<'replaced' | 'already'>
  findById(id: string): Promise<StoredInvoice | null>
  findByClientToken(openid: string, clientToken: string): Promise<StoredInvoice | null>
  findByOrderId(orderId: string): Promise<StoredInvoice | null>
  /** newest first by requestedAt, keyset-paged by (requestedAt, id) */
  list(openid: string, filter: InvoiceFilter, page: { limit: number; cursor?: { requestedAt: string; id: string } }): Promise<StoredInvoice[]>
  /**
   * Conditional update: applies `patch` only while status is one of `from` (and, when
   * `leaseFree` is given, no other worker holds an unexpired lease). True for the one caller
   * that changed it.
   */
  update(id: string, from: readonly InvoiceStatus[], patch: Partial<StoredInvoice>, opts?: { leaseFreeAt?: string }): Promise<boolean>
  /** invoices a worker should look at: requested, issuing, failed with nextRetryAt <= now; lease free */
  due(now: string, limit: number): Promise<StoredInvoice[]>
  /**
   * The sweep for a crash between issuing and queueing the first e-mail: issued invoices with an
   * e-mail, issuedAt within [since, before], that have no first-delivery ('issued') outbox item.
   * Oldest first, at most `limit`.
   */
  issuedWithoutFirstMail(since: string, before: string, limit: number): Promise<StoredInvoice[]>
  addEvent(id: string, type: InvoiceEventType, at: string, detail: string | null): Promise<void>
  events(id: string): Promise<{ type: InvoiceEventType; at: string; detail: string | null }[]>
}

export type OutboxKind = 'issued' | 'resend'

export interface OutboxItem {
  id: string
  invoiceId: string
  openid: string
  to: string
  kind: OutboxKind
  status: 'pending' | 'sent' | 'failed'
  attempts: number
  nextAttemptAt: string
  lastError: string | null
  createdAt: string
  sentAt: string | null
}

/** E-mails waiting to go out; none is lost: a failed send stays pending with a later attempt. */
export interface OutboxRepo {
  /** enqueue; (invoiceId, kind 'issued') is unique so the first delivery is queued once */
  add(item: OutboxItem): Promise<boolean>
  due(now: string, limit: number): Promise<OutboxItem[]>
  /** takes the item for sending (conditional on its attempts count): true for the one taker */
  claim(id: string, attempts: number, leaseUntil: string): Promise<boolean>
  markSent(id: string, at: string): Promise<void>
  markRetry(id: string, attempts: number, nextAttemptAt: string, error: string, giveUp: boolean): Promise<void>
  /**
   * An invoice's latest e-mail; with `to`, the latest to that address (compared ignoring case):
   * the re-send cooldown applies per address.
   */
  latestFor(invoiceId: string, to?: string): Promise<OutboxItem | null>
}
