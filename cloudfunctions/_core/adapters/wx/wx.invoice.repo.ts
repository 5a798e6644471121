import type { InvoiceEventType, InvoiceSource, InvoiceStatus } from '../../../../types/domain'
import { DuplicateKeyError } from '../../ports/errors'
import type { InvoiceRepo, OutboxItem, OutboxKind, OutboxRepo, StoredInvoice } from '../../ports/invoice.repo'
import type { Logger } from '../../ports/runtime.port'
import type { WxCondition, WxDatabase, WxDoc } from './wx-cloud.types'
import { getUpTo, isDuplicateWrite, MAX_DOCS_PER_GET, str, strOrNull, titleOf } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'
import { wxOutboxQueue } from './wx.outbox'

/** how many of an invoice's newest mails latestFor(id, to) looks through */
const RECENT_MAILS = 50

export interface WxInvoiceRepoOptions {
  /** where a lost 'requested' event or a failed clean-up is reported */
  log?: Pick<Logger, 'error'>
  /** milliseconds for the events' write order; injectable for tests */
  nowMs?: () => number
  /**
   * A creation still claiming its orders after this long has died half-way (a function runs
   * 60 s at most) and is rolled back by due(). Default 10 minutes.
   */
  staleClaimMs?: number
}

/** An invoice's history is short (requested, submitted, a few retries, issued, mails). */
const MAX_EVENTS = 1000
/** Half-finished creations rolled back per due() call. */
const MAX_ROLLBACKS_PER_SWEEP = 20
const DEFAULT_STALE_CLAIM_MS = 10 * 60_000
/** Issued invoices issuedWithoutFirstMail() looks at per call (a page is MAX_DOCS_PER_GET). */
const MAX_SWEEP_SCAN = 500

/**
 * Where an invoice document is in its creation (a field of ours, not part of StoredInvoice):
 * 'claiming' while create() claims its orders, 'live' once every order is claimed, 'void'
 * when the creation failed and is being undone. Only live invoices are listed, due, or
 * updated; a void one reads as absent.
 */
type Phase = 'claiming' | 'live' | 'void'

const STATUSES: readonly InvoiceStatus[] = ['requested', 'issuing', 'issued', 'failed']
const SOURCES: readonly InvoiceSource[] = ['auto', 'single', 'merge', 'correction', 'application']

/** The fields update() may change, as in sqliteInvoiceRepo's COLUMNS. */
const UPDATABLE: ReadonlySet<string> = new Set([
  'status',
  'title',
  'email',
  'issuedAt',
  'invoiceNo',
  'attempts',
  'requestNo',
  'lastError',
  'nextRetryAt',
  'leaseUntil',
  'pdfFileId',
  'pdfSha256',
  'pdfBytes',
  'xmlFileId',
  'xmlSha256',
  'xmlBytes',
  'ofdFileId',
  'ofdSha256',
  'ofdBytes',
])

const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

function statusOf(d: WxDoc): InvoiceStatus {
  // Never guess: reading an unknown status as 'requested' would issue a broken invoice again.
  if (!STATUSES.includes(d.status as InvoiceStatus)) throw new Error(`invoices/${d._id}: unknown status ${String(d.status)}`)
  return d.status as InvoiceStatus
}

const fromDoc = (d: WxDoc): StoredInvoice => ({
  id: d._id,
  openid: str(d.openid),
  clientToken: str(d.clientToken),
  status: statusOf(d),
  source: SOURCES.includes(d.source as InvoiceSource) ? (d.source as InvoiceSource) : 'single',
  title: titleOf(d.title),
  email: strOrNull(d.email),
  amountFen: Number(d.amountFen),
  orderIds: Array.isArray(d.orderIds) ? d.orderIds.map(str) : [],
  cards: Array.isArray(d.cards)
    ? d.cards.map((c) => ({ cardNo: str((c as { cardNo?: unknown }).cardNo), nickname: str((c as { nickname?: unknown }).nickname) }))
    : [],
  requestedAt: str(d.requestedAt),
  issuedAt: strOrNull(d.issuedAt),
  invoiceNo: strOrNull(d.invoiceNo),
  attempts: Number(d.attempts ?? 0),
  requestNo: strOrNull(d.requestNo),
  lastError: strOrNull(d.lastError),
  nextRetryAt: strOrNull(d.nextRetryAt),
  leaseUntil: strOrNull(d.leaseUntil),
  pdfFileId: strOrNull(d.pdfFileId),
  pdfSha256: strOrNull(d.pdfSha256),
  pdfBytes: numOrNull(d.pdfBytes),
  xmlFileId: strOrNull(d.xmlFileId),
  xmlSha256: strOrNull(d.xmlSha256),
  xmlBytes: numOrNull(d.xmlBytes),
  // absent on documents written before OFD originals were kept: null, like a sandbox invoice
  ofdFileId: strOrNull(d.ofdFileId),
  ofdSha256: strOrNull(d.ofdSha256),
  ofdBytes: numOrNull(d.ofdBytes),
  color: d.color === 'red' ? 'red' : 'blue',
  originalId: strOrNull(d.originalId),
  reversedById: strOrNull(d.reversedById),
  replacedById: strOrNull(d.replacedById),
  correctionId: strOrNull(d.correctionId),
  correctionCount: Number(d.correctionCount ?? 0),
  confirmationNo: strOrNull(d.confirmationNo),
})

/** The stored document of an invoice (fields of ours: cardNos for the card filter, phase, rev). */
const toDoc = (inv: StoredInvoice, phase: Phase): Record<string, unknown> => ({
  _id: inv.id,
  openid: inv.openid,
  clientToken: inv.clientToken,
  status: inv.status,
  source: inv.source,
  title: { ...inv.title },
  email: inv.email,
  amountFen: inv.amountFen,
  orderIds: [...inv.orderIds],
  cards: inv.cards.map((c) => ({ cardNo: c.cardNo, nickname: c.nickname })),
  cardNos: [...new Set(inv.cards.map((c) => c.cardNo))],
  requestedAt: inv.requestedAt,
  issuedAt: inv.issuedAt,
  invoiceNo: inv.invoiceNo,
  attempts: inv.attempts,
  requestNo: inv.requestNo,
  lastError: inv.lastError,
  nextRetryAt: inv.nextRetryAt,
  leaseUntil: inv.leaseUntil,
  pdfFileId: inv.pdfFileId,
  pdfSha256: inv.pdfSha256,
  pdfBytes: inv.pdfBytes,
  xmlFileId: inv.xmlFileId,
  xmlSha256: inv.xmlSha256,
  xmlBytes: inv.xmlBytes,
  ofdFileId: inv.ofdFileId,
  ofdSha256: inv.ofdSha256,
  ofdBytes: inv.ofdBytes,
  color: inv.color,
  originalId: inv.originalId,
  reversedById: inv.reversedById,
  replacedById: inv.replacedById,
  correctionId: inv.correctionId,
  correctionCount: inv.correctionCount,
  confirmationNo: inv.confirmationNo,
  phase,
  rev: 0,
})

/** A document that reads as an invoice: present and not being undone. */
const visible = (d: WxDoc | undefined): d is WxDoc => !!d && d.phase !== 'void'

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/**
 * Invoices in `invoices` (`_id` = invoice id), the claim of each order in `invoice_orders`
 * (`_id` = order id), history in `invoice_events`. Same behaviour as sqliteInvoiceRepo.
 *
 * "An order belongs to at most one live invoice" is the unique `_id` of its claim document:
 * the database itself refuses a second claim of the same order (DATABASE_DUPLICATE_WRITE).
 *
 * SQLite writes the invoice and all its claims in one transaction. The cloud database offers
 * no transaction we rely on across collections here, so create() is a sequence with
 * COMPENSATION, made safe by the document's `phase`:
 *   1. add the invoice document, phase 'claiming' (not listed, not due, not updatable);
 *   2. add one claim per order, in order-id order (two requests over the same orders then
 *      collide on the same first order instead of each taking one and both failing);
 *   3. set `invoiceId` on each order document (conditional on it being null), which is what
 *      order reads and listUninvoiced filter on;
 *   4. flip the phase to 'live' (conditional on 'claiming'): from here on the invoice exists.
 * If a claim is refused (the order already has a live invoice) or any step fails, the call
 * undoes its own work: phase -> 'void', then the order marks, then the claims it made, the
 * invoice document last (each step conditional on this invoice id, so nothing of another
 * invoice is touched), and throws DuplicateKeyError('orderId') (or the original error).
 * Undoing in that order means that whoever finds the document can finish the job; if the
 * function dies half-way, due() finds the document still 'claiming' (or 'void') after
 * `staleClaimMs` and does exactly that. An invoice that never went live is never issued:
 * update() only matches live invoices, so a half-made one cannot reach the provider.
 */
export function wxInvoiceRepo(db: WxDatabase, opts: WxInvoiceRepoOptions = {}): InvoiceRepo {
  const _ = db.command
  const invoices = () => db.collection(WX_COLLECTIONS.invoices)
  const claims = () => db.collection(WX_COLLECTIONS.invoiceOrders)
  const orders = () => db.collection(WX_COLLECTIONS.orders)
  const eventsOf = () => db.collection(WX_COLLECTIONS.invoiceEvents)
  const nowMs = opts.nowMs ?? Date.now
  const staleClaimMs = opts.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS

  // As for order events: the writer's clock (ms x 1000) plus a per-container counter.
  let counter = 0
  const nextSeq = () => nowMs() * 1000 + (counter++ % 1000)

  const findDoc = async (id: string): Promise<WxDoc | undefined> => (await invoices().where({ _id: id }).limit(1).get()).data[0]

  const addEvent = async (id: string, type: InvoiceEventType, at: string, detail: string | null) => {
    await eventsOf().add({ data: { invoiceId: id, type, at, detail, seq: nextSeq() } })
  }

  /**
   * Removes what an unfinished creation left, in the order that lets any caller finish it:
   * order marks, then claims, then the (void) invoice document. Every step names this
   * invoice, so a claim or mark of another invoice is never touched.
   */
  async function cleanUp(id: string, orderIds: readonly string[]): Promise<void> {
    for (const ids of chunks([...new Set(orderIds)], MAX_DOCS_PER_GET)) {
      await orders()
        .where({ _id: _.in(ids), invoiceId: id })
        .update({ data: { invoiceId: null } })
      await claims()
        .where({ _id: _.in(ids), invoiceId: id })
        .remove()
    }
    await invoices().where({ _id: id, phase: 'void' }).remove()
  }

  /**
   * Undoes a creation that did not go live. False when it did go live after all (the answer
   * to step 4 was lost): then there is nothing to undo.
   */
  async function rollBack(id: string, orderIds: readonly string[]): Promise<boolean> {
    const voided = await invoices()
      .where({ _id: id, phase: 'claiming' })
      .update({ data: { phase: 'void' } })
    if (voided.stats.updated !== 1 && (await findDoc(id))?.phase === 'live') return false
    await cleanUp(id, orderIds)
    return true
  }

  /** Rolls back creations that died half-way (see above). Errors are logged: due() must still answer. */
  async function sweepStale(now: string): Promise<void> {
    const staleBefore = new Date(Date.parse(now) - staleClaimMs).toISOString()
    try {
      const { data } = await invoices()
        .where({ phase: _.in(['claiming', 'void']), requestedAt: _.lt(staleBefore) })
        .orderBy('requestedAt', 'asc')
        .orderBy('_id', 'asc')
        .limit(MAX_ROLLBACKS_PER_SWEEP)
        .get()
      for (const d of data) {
        if (await rollBack(d._id, Array.isArray(d.orderIds) ? d.orderIds.map(str) : [])) {
          opts.log?.error('half-made invoice rolled back', { invoice: d._id, phase: String(d.phase) })
        }
      }
    } catch (e) {
      opts.log?.error('invoice roll-back sweep failed', { error: e instanceof Error ? e.message : String(e) })
    }
  }

  return {
    create: async (inv, list) => {
      const orderIds = list.map((o) => o.orderId)
      // SQLite's primary key refuses an order twice in one request; so do we, before writing.
      if (new Set(orderIds).size !== orderIds.length) throw new DuplicateKeyError('orderId')

      // 1. the invoice, not yet live
      try {
        await invoices().add({ data: toDoc(inv, 'claiming') })
      } catch (e) {
        if (!isDuplicateWrite(e)) throw e
        // The error does not reliably name the index: ask the data, as the order repo does.
        const twin = await invoices().where({ openid: inv.openid, clientToken: inv.clientToken }).limit(1).get()
        throw new DuplicateKeyError(twin.data.length ? 'clientToken' : 'invoiceId')
      }

      let refused = false
      try {
        // 2. the claims: the unique _id of each is the rule
        for (const o of [...list].sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0))) {
          try {
            await claims().add({ data: { _id: o.orderId, invoiceId: inv.id, openid: inv.openid, cardNo: o.cardNo, requestedAt: inv.requestedAt } })
          } catch (e) {
            if (!isDuplicateWrite(e)) throw e
            const { data } = await claims().where({ _id: o.orderId }).limit(1).get()
            if (data[0]?.invoiceId === inv.id) continue // ours already
            refused = true
            throw new DuplicateKeyError('orderId')
          }
        }
        // 3. the marks on the orders
        for (const ids of chunks(orderIds, MAX_DOCS_PER_GET)) {
          await orders()
            .where({ _id: _.in(ids), invoiceId: null })
            .update({ data: { invoiceId: inv.id } })
        }
        // 4. live
        let live: boolean
        try {
          live =
            (
              await invoices()
                .where({ _id: inv.id, phase: 'claiming' })
                .update({ data: { phase: 'live' } })
            ).stats.updated === 1
        } catch (e) {
          // The answer may be what got lost: the document tells.
          if ((await findDoc(inv.id))?.phase !== 'live') throw e
          live = true
        }
        if (!live) throw new Error(`invoice ${inv.id} was rolled back while it was being created`)
      } catch (e) {
        let undone = true
        try {
          undone = await rollBack(inv.id, orderIds)
        } catch (cleanupError) {
          // Left 'claiming' or 'void': due() finishes the roll-back later.
          opts.log?.error('invoice roll-back failed; the worker will finish it', {
            invoice: inv.id,
            error: cleanupError instanceof Error ? cleanupError.message : String(cleanupError),
          })
        }
        // Not undone means it went live after all (a lost answer): then the invoice stands.
        if (undone || refused) throw e
      }

      try {
        await addEvent(inv.id, 'requested', inv.requestedAt, null)
      } catch (e) {
        // The invoice stands; only its first history line is missing.
        opts.log?.error('invoice event not written', { invoice: inv.id, type: 'requested', error: e instanceof Error ? e.message : String(e) })
      }
    },

    /**
     * Step 3 of a correction in ONE cloud-database transaction (db.runTransaction, which may span
     * collections as long as every operation is a single-document doc() operation): the old
     * invoice marked reversed, the new one set, and for every order its claim document
     * (`invoice_orders/<orderId>`) and its order's `invoiceId` moved to the new invoice, plus
     * the history lines under fixed ids. The caps keep this within maxOrders x 2 + 5 documents.
     * Either all of it commits or none of it: an order is never claimed twice or by nobody.
     */
    replace: async (r) => {
      // doc(id).set() takes the document WITHOUT `_id`: the SDK refuses data holding one
      // ("不能更新_id的值", -501007) before anything is sent; the id is the doc() argument.
      const newDoc = toDoc(r.replacement, 'live')
      delete newDoc._id
      return db.runTransaction(async (tx) => {
        const inTx = (name: string, id: string) => tx.collection(name).doc(id)
        const old = (await inTx(WX_COLLECTIONS.invoices, r.oldId).get()).data
        if (old.reversedById) {
          if (old.reversedById === r.redId && old.replacedById === r.replacement.id) return 'already' as const
          throw new Error(`invoice ${r.oldId} was reversed by ${str(old.reversedById)}, not ${r.redId}`)
        }
        if (old.phase !== 'live' || old.status !== 'issued' || old.color === 'red') throw new Error(`invoice ${r.oldId} cannot be reversed now`)
        const orderIds = [...new Set(r.replacement.orderIds)].sort()
        for (const orderId of orderIds) {
          const claim = (await inTx(WX_COLLECTIONS.invoiceOrders, orderId).get()).data
          if (claim.invoiceId !== r.oldId) throw new Error(`order ${orderId} is claimed by ${String(claim.invoiceId)}, not ${r.oldId}`)
        }
        await inTx(WX_COLLECTIONS.invoices, r.oldId).update({
          data: { reversedById: r.redId, replacedById: r.replacement.id, rev: Number(old.rev ?? 0) + 1 },
        })
        await inTx(WX_COLLECTIONS.invoices, r.replacement.id).set({ data: newDoc })
        for (const orderId of orderIds) {
          await inTx(WX_COLLECTIONS.invoiceOrders, orderId).update({ data: { invoiceId: r.replacement.id } })
          await inTx(WX_COLLECTIONS.orders, orderId).update({ data: { invoiceId: r.replacement.id } })
        }
        const events: [string, string, InvoiceEventType, string, string][] = [
          [`${r.replacement.id}:requested`, r.replacement.id, 'requested', r.replacement.requestedAt, r.oldId],
          [`${r.oldId}:reversed:${r.correctionId}`, r.oldId, 'reversed', r.at, r.redId],
          [`${r.oldId}:replaced:${r.correctionId}`, r.oldId, 'replaced', r.at, r.replacement.id],
        ]
        for (const [_id, invoiceId, type, at, detail] of events) {
          await inTx(WX_COLLECTIONS.invoiceEvents, _id).set({ data: { invoiceId, type, at, detail, seq: nextSeq() } })
        }
        return 'replaced' as const
      })
    },

    findById: async (id) => {
      const d = await findDoc(id)
      return visible(d) ? fromDoc(d) : null
    },

    findByClientToken: async (openid, clientToken) => {
      const { data } = await invoices().where({ openid, clientToken }).limit(1).get()
      return visible(data[0]) ? fromDoc(data[0]) : null
    },

    findByOrderId: async (orderId) => {
      const { data } = await claims().where({ _id: orderId }).limit(1).get()
      if (!data[0]) return null
      const d = await findDoc(str(data[0].invoiceId))
      return visible(d) ? fromDoc(d) : null
    },

    // Newest first by (requestedAt, _id), the next page strictly after the cursor.
    list: async (openid, filter, { limit, cursor }) => {
      const conditions: WxCondition[] = [{ openid, phase: 'live' }]
      if (filter.status) conditions.push({ status: filter.status })
      if (filter.from) conditions.push({ requestedAt: _.gte(filter.from) })
      if (filter.to) conditions.push({ requestedAt: _.lt(filter.to) })
      // cardNos is an array: a plain value matches when the array contains it.
      if (filter.cardNo) conditions.push({ cardNos: filter.cardNo })
      // _.in on an array field: any of the invoice's cards is one of the group's
      if (filter.cardNos) conditions.push({ cardNos: _.in(filter.cardNos) })
      // dotted paths reach into the title snapshot; a missing taxId matches null (personal titles)
      if (filter.title) conditions.push({ 'title.name': filter.title.name, 'title.taxId': filter.title.taxId })
      if (cursor) conditions.push(_.or([{ requestedAt: _.lt(cursor.requestedAt) }, { requestedAt: _.eq(cursor.requestedAt), _id: _.lt(cursor.id) }]))
      const where = conditions.length === 1 ? conditions[0] : _.and(conditions)
      return (await getUpTo(invoices().where(where).orderBy('requestedAt', 'desc').orderBy('_id', 'desc'), limit)).map(fromDoc)
    },

    /**
     * ONE conditional update, like SQLite's UPDATE ... WHERE: the database matches status (and
     * the lease) and writes atomically per document, so of concurrent callers exactly one sees
     * updated === 1. `rev` changes on every write, so a patch that happens to leave every
     * other field as it was still counts (stats.updated counts changed documents).
     */
    update: async (id, from, patch, options) => {
      if (from.length === 0) return false
      const data: Record<string, unknown> = { rev: _.inc(1) }
      for (const [k, v] of Object.entries(patch)) {
        if (!UPDATABLE.has(k)) throw new Error(`invoice field ${k} cannot be updated`)
        if (v === undefined) continue
        // An object given to update() is merged field by field; the title is replaced whole.
        data[k] = k === 'title' ? _.set(v) : v
      }
      const conditions: WxCondition[] = [{ _id: id, phase: 'live', status: _.in([...from]) }]
      if (options?.leaseFreeAt) conditions.push(_.or([{ leaseUntil: null }, { leaseUntil: _.lte(options.leaseFreeAt) }]))
      const res = await invoices()
        .where(conditions.length === 1 ? conditions[0] : _.and(conditions))
        .update({ data })
      return res.stats.updated === 1
    },

    /**
     * Invoices a worker should look at, oldest request first, like SQLite's. Each call also
     * rolls back creations that died half-way (see the repository's comment), a few at a time.
     */
    due: async (now, limit) => {
      await sweepStale(now)
      const where = _.and([
        { phase: 'live', status: _.in(['requested', 'issuing', 'failed']) },
        _.or([{ nextRetryAt: null }, { nextRetryAt: _.lte(now) }]),
        _.or([{ leaseUntil: null }, { leaseUntil: _.lte(now) }]),
      ])
      return (await getUpTo(invoices().where(where).orderBy('requestedAt', 'asc').orderBy('_id', 'asc'), limit)).map(fromDoc)
    },

    // Recent issued invoices with an e-mail, a page at a time (at most MAX_SWEEP_SCAN per call),
    // then one read of their first-delivery documents (`<invoiceId>:issued`, see outboxDocId).
    issuedWithoutFirstMail: async (since, before, limit) => {
      const out: StoredInvoice[] = []
      const query = invoices()
        .where(_.and([{ phase: 'live', status: 'issued', email: _.neq(null) }, { issuedAt: _.gte(since) }, { issuedAt: _.lte(before) }]))
        .orderBy('issuedAt', 'asc')
        .orderBy('_id', 'asc')
      for (let skip = 0; skip < MAX_SWEEP_SCAN && out.length < limit; skip += MAX_DOCS_PER_GET) {
        const { data } = await (skip === 0 ? query : query.skip(skip)).limit(MAX_DOCS_PER_GET).get()
        const page = data.filter((d) => typeof d.email === 'string' && d.email !== '')
        if (page.length > 0) {
          const { data: queued } = await db
            .collection(WX_COLLECTIONS.mailOutbox)
            .where({ _id: _.in(page.map((d) => `${d._id}:issued`)) })
            .limit(MAX_DOCS_PER_GET)
            .get()
          const has = new Set(queued.map((q) => str(q.invoiceId)))
          for (const d of page) if (!has.has(d._id) && out.length < limit) out.push(fromDoc(d))
        }
        if (data.length < MAX_DOCS_PER_GET) break
      }
      return out
    },

    // Auto _id: the same type may repeat (failed, retry_scheduled, emailed...).
    addEvent: async (id, type, at, detail) => {
      await addEvent(id, type, at, detail)
    },

    events: async (id) =>
      (await getUpTo(eventsOf().where({ invoiceId: id }).orderBy('seq', 'asc').orderBy('_id', 'asc'), MAX_EVENTS)).map((d) => ({
        type: d.type as InvoiceEventType,
        at: str(d.at),
        detail: strOrNull(d.detail),
      })),
  }
}

// ---- the e-mail outbox ----

const OUTBOX_STATUSES: readonly OutboxItem['status'][] = ['pending', 'sent', 'failed']

const outboxFromDoc = (d: WxDoc): OutboxItem => ({
  id: str(d.itemId),
  invoiceId: str(d.invoiceId),
  openid: str(d.openid),
  to: str(d.to),
  kind: (d.kind === 'issued' ? 'issued' : 'resend') satisfies OutboxKind,
  status: OUTBOX_STATUSES.includes(d.status as OutboxItem['status']) ? (d.status as OutboxItem['status']) : 'failed',
  attempts: Number(d.attempts ?? 0),
  nextAttemptAt: str(d.nextAttemptAt),
  lastError: strOrNull(d.lastError),
  createdAt: str(d.createdAt),
  sentAt: strOrNull(d.sentAt),
})

/**
 * The first delivery of an invoice is unique. SQLite has a partial unique index
 * (invoice_id WHERE kind = 'issued'); the cloud database has no partial indexes, so the
 * first-delivery document gets the fixed `_id` `<invoiceId>:issued` and the database refuses a
 * second one. A re-send's `_id` is the item id the caller chose, so a retried add of the same
 * item is refused too, as SQLite's primary key does.
 */
const outboxDocId = (item: Pick<OutboxItem, 'id' | 'invoiceId' | 'kind'>) => (item.kind === 'issued' ? `${item.invoiceId}:issued` : item.id)

/**
 * E-mails waiting to go out, in `mail_outbox`. Behaves like sqliteOutboxRepo. The item id the
 * caller knows is kept in `itemId` (for a first delivery it differs from `_id`), and every
 * by-id operation goes by it.
 */
export function wxOutboxRepo(db: WxDatabase): OutboxRepo {
  const _ = db.command
  const outbox = () => db.collection(WX_COLLECTIONS.mailOutbox)
  return {
    add: async (item) => {
      try {
        await outbox().add({
          data: {
            _id: outboxDocId(item),
            itemId: item.id,
            invoiceId: item.invoiceId,
            openid: item.openid,
            to: item.to,
            kind: item.kind,
            status: item.status,
            attempts: item.attempts,
            nextAttemptAt: item.nextAttemptAt,
            lastError: item.lastError,
            createdAt: item.createdAt,
            sentAt: item.sentAt,
          },
        })
        return true
      } catch (e) {
        if (isDuplicateWrite(e)) return false
        throw e
      }
    },

    ...wxOutboxQueue(outbox, _, 'itemId', outboxFromDoc),

    latestFor: async (invoiceId, to) => {
      if (to === undefined) {
        const { data } = await outbox().where({ invoiceId }).orderBy('createdAt', 'desc').orderBy('_id', 'desc').limit(1).get()
        return data[0] ? outboxFromDoc(data[0]) : null
      }
      // Case-insensitive match in code: an invoice has few mails (the cooldown spaces them), so the
      // newest page holds the address's latest unless it is long past any cooldown.
      const { data } = await outbox().where({ invoiceId }).orderBy('createdAt', 'desc').orderBy('_id', 'desc').limit(RECENT_MAILS).get()
      const wanted = to.toLowerCase()
      const hit = data.map(outboxFromDoc).find((item) => item.to.toLowerCase() === wanted)
      return hit ?? null
    },
  }
}
