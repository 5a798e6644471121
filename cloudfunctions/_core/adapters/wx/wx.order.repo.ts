import crypto from 'node:crypto'
import type { OrderStatus } from '../../../../types/domain'
import { DuplicateKeyError } from '../../ports/errors'
import type { OrderEventType, OrderRepo, StoredOrder } from '../../ports/order.repo'
import type { Logger } from '../../ports/runtime.port'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { getUpTo, isDuplicateWrite, MAX_DOCS_PER_GET, str, strOrNull } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

export interface WxOrderRepoOptions {
  /** where a lost audit event is reported (the order itself is already right) */
  log?: Pick<Logger, 'error'>
  /** milliseconds for the events' write order; injectable for tests */
  nowMs?: () => number
}

/** An order's history is short (created, closed, paid, a few anomalies); this bounds the reads. */
const MAX_EVENTS = 1000

const STATUSES: readonly OrderStatus[] = ['created', 'paid', 'closed']

function statusOf(d: WxDoc): OrderStatus {
  // Never guess a status: reading an unknown one as 'created' would make a broken order payable.
  if (!STATUSES.includes(d.status as OrderStatus)) throw new Error(`topup_orders/${d._id}: unknown status ${String(d.status)}`)
  return d.status as OrderStatus
}

/** The automatic-invoice choice stored as a sub-object { titleId, email }, or null. */
function autoInvoiceOf(v: unknown): StoredOrder['autoInvoice'] {
  if (!v || typeof v !== 'object') return null
  const a = v as { titleId?: unknown; email?: unknown }
  return typeof a.titleId === 'string' && a.titleId ? { titleId: a.titleId, email: strOrNull(a.email) } : null
}

const fromDoc = (d: WxDoc): StoredOrder => ({
  id: d._id,
  openid: str(d.openid),
  clientToken: str(d.clientToken),
  cardId: str(d.cardId),
  cardNo: str(d.cardNo),
  cardNickname: str(d.cardNickname),
  amountFen: Number(d.amountFen),
  status: statusOf(d),
  createdAt: str(d.createdAt),
  expiresAt: str(d.expiresAt),
  paidAt: strOrNull(d.paidAt),
  closedAt: strOrNull(d.closedAt),
  transactionId: strOrNull(d.transactionId),
  // Set by the invoice claim (wx.invoice.repo.ts) once every order of an invoice is claimed;
  // orders written before invoicing existed have no field, read as null.
  invoiceId: strOrNull(d.invoiceId),
  autoInvoice: autoInvoiceOf(d.autoInvoice),
})

/** _.in takes any number of values, but one get() answers at most 100 documents. */
const IDS_PER_QUERY = MAX_DOCS_PER_GET

/**
 * Top-up orders in `topup_orders` (`_id` = order id = outTradeNo), their history in
 * `topup_order_events`, callback deliveries in `pay_notifications`. Same behaviour as
 * sqliteOrderRepo; where the cloud database differs (no multi-statement transactions around a
 * conditional update), the comments say how the same guarantee is kept.
 *
 * SQLite reads an order's invoice through a join on the claim table; the cloud database has
 * no join, so the claim also writes `invoiceId` onto the order document (wx.invoice.repo.ts)
 * and the uninvoiced listings filter on `invoiceId: null` (null also matches a missing field).
 */
export function wxOrderRepo(db: WxDatabase, opts: WxOrderRepoOptions = {}): OrderRepo {
  const _ = db.command
  const orders = () => db.collection(WX_COLLECTIONS.orders)
  const eventsOf = () => db.collection(WX_COLLECTIONS.orderEvents)
  const nowMs = opts.nowMs ?? Date.now

  // Events have no autoincrement to order them. seq is the writer's clock (ms x 1000) plus a
  // per-container counter: transitions of one order are written by separate calls, normally
  // seconds apart, so clock order is write order; the counter breaks ties within a container.
  let counter = 0
  const nextSeq = () => nowMs() * 1000 + (counter++ % 1000)

  /**
   * Appends an event under an _id chosen before the first attempt, so a retry of a write that
   * did land (the answer was lost) is refused as a duplicate instead of doubling the line.
   * Transitions (created, paid, closed) get `<order>:<type>`: each happens at most once per
   * order, and the database itself refuses a second one. Anomalies may repeat.
   */
  async function addEvent(orderId: string, type: OrderEventType, at: string, detail: string | null): Promise<void> {
    const _id = type === 'anomaly' ? `${orderId}:anomaly:${crypto.randomBytes(6).toString('hex')}` : `${orderId}:${type}`
    const data = { _id, orderId, type, at, detail, seq: nextSeq() }
    for (let attempt = 1; ; attempt++) {
      try {
        await eventsOf().add({ data })
        return
      } catch (e) {
        if (isDuplicateWrite(e)) return // already there
        if (attempt >= 2) throw e
      }
    }
  }

  /**
   * The event of a transition that already happened. The order document is the record
   * (status, paidAt, transactionId live on it); the event is its audit trail. Failing the
   * caller here would make payNotify ask WeChat for a retry that can no longer write the
   * event (the retry loses the conditional update), so a lost event is logged, not thrown.
   */
  async function addTransitionEvent(orderId: string, type: OrderEventType, at: string, detail: string | null): Promise<void> {
    try {
      await addEvent(orderId, type, at, detail)
    } catch (e) {
      opts.log?.error('order event not written', { order: orderId, type, error: e instanceof Error ? e.message : String(e) })
    }
  }

  return {
    insert: async (o) => {
      try {
        await orders().add({
          data: {
            _id: o.id,
            openid: o.openid,
            clientToken: o.clientToken,
            cardId: o.cardId,
            cardNo: o.cardNo,
            cardNickname: o.cardNickname,
            amountFen: o.amountFen,
            status: o.status,
            createdAt: o.createdAt,
            expiresAt: o.expiresAt,
            paidAt: o.paidAt,
            closedAt: o.closedAt,
            transactionId: o.transactionId,
            // Like SQLite, an insert never carries an invoice: only the invoice claim sets it.
            invoiceId: null,
            autoInvoice: o.autoInvoice ? { titleId: o.autoInvoice.titleId, email: o.autoInvoice.email } : null,
            cashFen: null,
            paidVia: null,
            anomaly: null,
          },
        })
      } catch (e) {
        if (!isDuplicateWrite(e)) throw e
        // The error does not reliably name the index, so ask the data: if the token is taken,
        // the service must answer with that twin (the idempotent path); otherwise the _id was.
        const twin = await orders().where({ openid: o.openid, clientToken: o.clientToken }).limit(1).get()
        throw new DuplicateKeyError(twin.data.length ? 'clientToken' : 'outTradeNo')
      }
      await addTransitionEvent(o.id, 'created', o.createdAt, null)
    },

    findById: async (id) => {
      const { data } = await orders().where({ _id: id }).limit(1).get()
      return data.length ? fromDoc(data[0]) : null
    },

    findByClientToken: async (openid, clientToken) => {
      const { data } = await orders().where({ openid, clientToken }).limit(1).get()
      return data.length ? fromDoc(data[0]) : null
    },

    // Newest first, ties on createdAt broken by _id, exactly like the SQLite keyset query:
    // the next page starts strictly after (createdAt, id) of the last item shown.
    listByOwner: async (openid, { limit, cursor }) => {
      const condition = cursor
        ? _.and([{ openid }, _.or([{ createdAt: _.lt(cursor.createdAt) }, { createdAt: _.eq(cursor.createdAt), _id: _.lt(cursor.id) }])])
        : { openid }
      const query = orders().where(condition).orderBy('createdAt', 'desc').orderBy('_id', 'desc')
      return (await getUpTo(query, limit)).map(fromDoc)
    },

    /**
     * ONE conditional update is the whole state change: the database matches
     * `status in from` and writes `paid` atomically per document, so of any number of
     * concurrent deliveries (callback twice, callback and timer) exactly one sees updated === 1.
     *
     * The 'paid' event is written after, outside that update (the cloud database has no
     * transaction that spans a where().update()). That is safe because only the winner
     * reaches it: losers return false before writing anything, so the event is written once;
     * its _id `<order>:paid` would refuse a second one anyway. If the process dies between the
     * two writes, the order is still correctly paid and only its audit line is missing.
     */
    markPaid: async (id, from, p) => {
      if (from.length === 0) return false
      const res = await orders()
        .where({ _id: id, status: _.in([...from]) })
        .update({ data: { status: 'paid', paidAt: p.paidAt, transactionId: p.transactionId, cashFen: p.cashFen, paidVia: p.via } })
      if (res.stats.updated !== 1) return false
      await addTransitionEvent(id, 'paid', p.paidAt, JSON.stringify({ via: p.via, transactionId: p.transactionId }))
      return true
    },

    /** Same pattern as markPaid: the conditional update decides, the winner writes the event. */
    markClosed: async (id, closedAt, reason) => {
      const res = await orders()
        .where({ _id: id, status: 'created' })
        .update({ data: { status: 'closed', closedAt } })
      if (res.stats.updated !== 1) return false
      await addTransitionEvent(id, 'closed', closedAt, reason)
      return true
    },

    // Oldest first; _id completes the order so paging past 100 documents is stable.
    listUnsettled: async (createdBefore, limit) =>
      (
        await getUpTo(
          orders()
            .where({ status: 'created', createdAt: _.lt(createdBefore) })
            .orderBy('createdAt', 'asc')
            .orderBy('_id', 'asc'),
          limit,
        )
      ).map(fromDoc),

    recordNotification: async (n) => {
      await db.collection(WX_COLLECTIONS.payNotifications).add({
        data: {
          outTradeNo: n.outTradeNo,
          transactionId: n.transactionId,
          totalFee: n.totalFee,
          resultCode: n.resultCode,
          receivedAt: n.receivedAt,
          outcome: n.outcome,
        },
      })
    },

    // Unlike a transition's event, an anomaly's event is the point of the call, so a failure
    // to write it propagates and the caller (payNotify) asks for a retry.
    recordAnomaly: async (id, at, detail) => {
      await orders()
        .where({ _id: id })
        .update({ data: { anomaly: detail } })
      await addEvent(id, 'anomaly', at, detail)
    },

    events: async (id) =>
      (await getUpTo(eventsOf().where({ orderId: id }).orderBy('seq', 'asc').orderBy('_id', 'asc'), MAX_EVENTS)).map((d) => ({
        type: d.type as OrderEventType,
        at: str(d.at),
        detail: strOrNull(d.detail),
      })),

    // In the order asked (unknown ids left out, repeats once), in queries of at most 100 ids.
    findByIds: async (ids) => {
      const unique = [...new Set(ids)]
      const found = new Map<string, StoredOrder>()
      for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
        const chunk = unique.slice(i, i + IDS_PER_QUERY)
        const { data } = await orders()
          .where({ _id: _.in(chunk) })
          .limit(chunk.length)
          .get()
        for (const d of data) found.set(d._id, fromDoc(d))
      }
      return unique.flatMap((id) => found.get(id) ?? [])
    },

    // Newest first by (paidAt, _id), the next page strictly after the cursor, like SQLite's
    // keyset query. invoiceId null is "no live invoice".
    listUninvoiced: async (openid, paidSince, { limit, cursor }, filter) => {
      // a card group (issue 8): _.in over the order's card number
      const base = { openid, status: 'paid', invoiceId: null, paidAt: _.gte(paidSince), ...(filter?.cardNos ? { cardNo: _.in(filter.cardNos) } : {}) }
      const condition = cursor ? _.and([base, _.or([{ paidAt: _.lt(cursor.paidAt) }, { paidAt: _.eq(cursor.paidAt), _id: _.lt(cursor.id) }])]) : base
      return (await getUpTo(orders().where(condition).orderBy('paidAt', 'desc').orderBy('_id', 'desc'), limit)).map(fromDoc)
    },

    // The reminders sweep: oldest payment first, strictly after the (paidAt, _id) keyset cursor.
    listUninvoicedPaidBetween: async (paidSince, paidBefore, { limit, after }) => {
      const base = [{ status: 'paid', invoiceId: null }, { paidAt: _.gte(paidSince) }, { paidAt: _.lt(paidBefore) }]
      const condition = after ? _.and([...base, _.or([{ paidAt: _.gt(after.paidAt) }, { paidAt: _.eq(after.paidAt), _id: _.gt(after.id) }])]) : _.and(base)
      return (await getUpTo(orders().where(condition).orderBy('paidAt', 'asc').orderBy('_id', 'asc'), limit)).map(fromDoc)
    },

    // Oldest payment first, like SQLite; _id completes the order for stable pages.
    listAutoInvoicePending: async (paidSince, paidBefore, limit) => {
      const condition = _.and([{ status: 'paid', autoInvoice: _.neq(null), invoiceId: null }, { paidAt: _.gte(paidSince) }, { paidAt: _.lt(paidBefore) }])
      return (await getUpTo(orders().where(condition).orderBy('paidAt', 'asc').orderBy('_id', 'asc'), limit)).map(fromDoc)
    },

    /**
     * A staff-approved off-platform top-up, written paid in one add (the document is born
     * paid: there is no moment it could be paid twice or be payable). The derived _id and the
     * (openid, clientToken) index refuse a retried approval; events follow under their fixed
     * _ids <order>:created / <order>:paid, so a crash between the writes is healed by the retry.
     */
    createOffPlatform: async (o, paidVia, detail) => {
      if (o.status !== 'paid' || !o.paidAt) throw new Error('createOffPlatform: the order must be paid')
      let created = true
      try {
        await orders().add({
          data: {
            _id: o.id,
            openid: o.openid,
            clientToken: o.clientToken,
            cardId: o.cardId,
            cardNo: o.cardNo,
            cardNickname: o.cardNickname,
            amountFen: o.amountFen,
            status: 'paid',
            createdAt: o.createdAt,
            expiresAt: o.expiresAt,
            paidAt: o.paidAt,
            closedAt: null,
            transactionId: o.transactionId,
            invoiceId: null,
            autoInvoice: null,
            cashFen: o.amountFen,
            paidVia,
            anomaly: null,
          },
        })
      } catch (e) {
        if (!isDuplicateWrite(e)) throw e
        created = false
      }
      await addTransitionEvent(o.id, 'created', o.createdAt, detail)
      await addTransitionEvent(o.id, 'paid', o.createdAt, JSON.stringify({ via: paidVia, paidAt: o.paidAt }))
      return created
    },
  }
}
