import type { OrderStatus, TopupOrder } from '../../../types/domain'

export interface StoredOrder extends TopupOrder {
  openid: string
  clientToken: string
  /** what the person saw on confirmation: invoice automatically to this title and e-mail */
  autoInvoice: { titleId: string; email: string | null } | null
}

export interface PaymentRecord {
  transactionId: string
  paidAt: string
  cashFen: number | null
  /** where the news came from: the callback or a query by the timer */
  via: 'notify' | 'query'
}

export interface PayNotificationRecord {
  outTradeNo: string
  transactionId: string
  totalFee: number
  resultCode: string
  receivedAt: string
  outcome: 'settled' | 'duplicate' | 'ignored' | 'amount_mismatch' | 'bad_time' | 'unknown_order'
}

export type OrderEventType = 'created' | 'paid' | 'closed' | 'anomaly'

export interface OrderRepo {
  /** Throws DuplicateKeyError('outTradeNo' | 'clientToken'). */
  insert(order: StoredOrder): Promise<void>
  findById(id: string): Promise<StoredOrder | null>
  findByClientToken(openid: string, clientToken: string): Promise<StoredOrder | null>
  /** Newest first; cursor is the createdAt|id of the last item of the previous page. */
  listByOwner(openid: string, opts: { limit: number; cursor?: { createdAt: string; id: string } }): Promise<StoredOrder[]>
  /**
   * The single atomic step that moves an order to paid: a conditional update that only
   * matches while the status is one of `from`. Returns true for the one caller that moved
   * it; every other (duplicate, concurrent) caller gets false. The 'paid' event is written
   * exactly once, by the winner (SQLite: in the same transaction; cloud database: right after,
   * under a fixed _id so a second one is refused).
   */
  markPaid(id: string, from: readonly OrderStatus[], payment: PaymentRecord): Promise<boolean>
  /** Conditional created -> closed; true when this call closed it. */
  markClosed(id: string, closedAt: string, reason: string): Promise<boolean>
  /** Orders still 'created' and created before `createdBefore`, oldest first. */
  listUnsettled(createdBefore: string, limit: number): Promise<StoredOrder[]>
  recordNotification(n: PayNotificationRecord): Promise<void>
  findByIds(ids: string[]): Promise<StoredOrder[]>
  /** paid orders without a live invoice, paid at or after `paidSince`, newest first (keyset by paidAt, id) */
  listUninvoiced(
    openid: string,
    paidSince: string,
    page: { limit: number; cursor?: { paidAt: string; id: string } },
    /** cardNos: only top-ups of these cards (a card group, issue 8); an empty list matches nothing */
    filter?: { cardNos?: string[] },
  ): Promise<StoredOrder[]>
  /**
   * Everyone's paid orders without a live invoice, paid in [paidSince, paidBefore), oldest payment
   * first, keyset-paged strictly after `after` (paidAt, id): the reminders timer's sweep.
   */
  listUninvoicedPaidBetween(paidSince: string, paidBefore: string, page: { limit: number; after?: { paidAt: string; id: string } }): Promise<StoredOrder[]>
  /** paid orders that asked for an automatic invoice and have none yet, paid in [paidSince, paidBefore) (the worker's sweep) */
  listAutoInvoicePending(paidSince: string, paidBefore: string, limit: number): Promise<StoredOrder[]>
  /** Flags an order for staff (e.g. a callback whose amount differs from ours). */
  recordAnomaly(id: string, at: string, detail: string): Promise<void>
  events(id: string): Promise<{ type: OrderEventType; at: string; detail: string | null }[]>
  /**
   * Records a top-up made outside our payment (service hall, machine...: a staff-approved 补开)
   * as an order already paid, with paid_via `offline:<channel>` and its 'created' and 'paid'
   * events (detail: who approved it). `order.status` must be 'paid' with paidAt set. The id is
   * derived by the caller, so a retried approval is refused here: false when the id (or the
   * owner's clientToken) exists already, true when this call wrote it.
   */
  createOffPlatform(order: StoredOrder, paidVia: string, detail: string): Promise<boolean>
}
