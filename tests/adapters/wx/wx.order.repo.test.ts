import { wxOrderRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.order.repo'
import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { PAYABLE_FROM } from '../../../cloudfunctions/_core/domain/order'
import { DuplicateKeyError } from '../../../cloudfunctions/_core/ports/errors'
import type { OrderRepo, PaymentRecord, StoredOrder } from '../../../cloudfunctions/_core/ports/order.repo'
import { FakeSdkError, FakeWxCloud } from '../../fakes/wx-cloud.fake'

const ALICE = 'oAlice0000000000000000000001'
const BOB = 'oBob00000000000000000000000002'

let cloud: FakeWxCloud
let repo: OrderRepo
let errors: { msg: string; fields?: Record<string, unknown> }[]
beforeEach(() => {
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  errors = []
  repo = wxOrderRepo(cloud.database(), { log: { error: (msg, fields) => errors.push({ msg, fields }) } })
})

let seq = 0
const order = (over: Partial<StoredOrder> = {}): StoredOrder => {
  const n = String(++seq).padStart(12, '0')
  return {
    id: `WT20260301080000${n}`,
    openid: ALICE,
    clientToken: `token-${n}`,
    cardId: 'card0001',
    cardNo: '3104000012345678',
    cardNickname: '通勤卡',
    amountFen: 5000,
    status: 'created',
    createdAt: '2026-03-01T00:00:00.000Z',
    expiresAt: '2026-03-01T00:30:00.000Z',
    paidAt: null,
    closedAt: null,
    transactionId: null,
    invoiceId: null,
    autoInvoice: null,
    ...over,
  }
}

const payment = (over: Partial<PaymentRecord> = {}): PaymentRecord => ({
  transactionId: '4200001234202603011234567890',
  paidAt: '2026-03-01T00:05:00.000Z',
  cashFen: 5000,
  via: 'notify',
  ...over,
})

const types = async (id: string) => (await repo.events(id)).map((e) => e.type)

describe('wxOrderRepo: insert and lookups', () => {
  it('stores an order under _id = outTradeNo, reads it back unchanged and logs a created event', async () => {
    const o = order()
    await repo.insert(o)
    expect(await repo.findById(o.id)).toEqual(o)
    expect(await repo.findByClientToken(ALICE, o.clientToken)).toEqual(o)
    expect(cloud.db.docs(WX_COLLECTIONS.orders)[0]._id).toBe(o.id)
    expect(await repo.events(o.id)).toEqual([{ type: 'created', at: o.createdAt, detail: null }])
  })

  it('answers null for an unknown id or token, and for a token of another user', async () => {
    const o = order()
    await repo.insert(o)
    expect(await repo.findById('WT0')).toBeNull()
    expect(await repo.findByClientToken(ALICE, 'other')).toBeNull()
    expect(await repo.findByClientToken(BOB, o.clientToken)).toBeNull()
  })

  it('refuses a second order with the same (openid, clientToken) as DuplicateKeyError(clientToken)', async () => {
    const o = order()
    await repo.insert(o)
    const twin = order({ clientToken: o.clientToken })
    await expect(repo.insert(twin)).rejects.toEqual(new DuplicateKeyError('clientToken'))
    expect(await repo.findById(twin.id)).toBeNull()
    expect(await types(twin.id)).toEqual([])
  })

  it('lets another user reuse a clientToken', async () => {
    const o = order()
    await repo.insert(o)
    await repo.insert(order({ openid: BOB, clientToken: o.clientToken }))
    expect(cloud.db.docs(WX_COLLECTIONS.orders)).toHaveLength(2)
  })

  it('refuses a taken outTradeNo as DuplicateKeyError(outTradeNo)', async () => {
    const o = order()
    await repo.insert(o)
    await expect(repo.insert(order({ id: o.id }))).rejects.toEqual(new DuplicateKeyError('outTradeNo'))
  })

  it('keeps one of 20 concurrent createOrder twins and reports the rest as clientToken duplicates', async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => repo.insert(order({ clientToken: 'same-token' }))))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toEqual(new DuplicateKeyError('clientToken'))
  })

  it('passes a failed write through rather than calling it a duplicate', async () => {
    cloud.db.failNext(WX_COLLECTIONS.orders, 'add', new FakeSdkError(-502001, 'collection.add:fail DATABASE_REQUEST_FAILED'))
    await expect(repo.insert(order())).rejects.toBeInstanceOf(FakeSdkError)
  })

  it('refuses to read a document with an unknown status instead of guessing one', async () => {
    const o = order()
    await repo.insert(o)
    await cloud.db
      .collection(WX_COLLECTIONS.orders)
      .where({ _id: o.id })
      .update({ data: { status: 'weird' } })
    await expect(repo.findById(o.id)).rejects.toThrow(/unknown status/)
  })
})

describe('wxOrderRepo: listByOwner', () => {
  it('pages newest first with the (createdAt, id) cursor, across orders that share a createdAt', async () => {
    const times = [
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T11:00:00.000Z',
    ]
    const mine = times.map((createdAt) => order({ createdAt }))
    // inserted shuffled, plus someone else's order in between
    for (const o of [mine[3], mine[0], order({ openid: BOB }), mine[6], mine[1], mine[5], mine[4], mine[2]]) await repo.insert(o)
    const expected = [...mine].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1)).map((o) => o.id)

    const seen: string[] = []
    let cursor: { createdAt: string; id: string } | undefined
    for (let page = 0; page < 10; page++) {
      const rows = await repo.listByOwner(ALICE, { limit: 2, cursor })
      seen.push(...rows.map((r) => r.id))
      if (rows.length < 2) break
      cursor = { createdAt: rows[rows.length - 1].createdAt, id: rows[rows.length - 1].id }
    }
    expect(seen).toEqual(expected)
  })

  it('returns full orders of the owner only', async () => {
    const o = order()
    await repo.insert(o)
    await repo.insert(order({ openid: BOB }))
    expect(await repo.listByOwner(ALICE, { limit: 10 })).toEqual([o])
  })

  it('honours a limit above the 100 documents one get() returns', async () => {
    for (let i = 0; i < 120; i++) await repo.insert(order({ createdAt: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString() }))
    const rows = await repo.listByOwner(ALICE, { limit: 110 })
    expect(rows).toHaveLength(110)
    expect(rows[0].createdAt > rows[109].createdAt).toBe(true)
  })
})

describe('wxOrderRepo: markPaid and markClosed', () => {
  it('moves an order to paid exactly once under 50 concurrent calls, with exactly one paid event', async () => {
    const o = order()
    await repo.insert(o)
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => repo.markPaid(o.id, PAYABLE_FROM, payment({ via: i % 2 ? 'notify' : 'query' }))))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect((await types(o.id)).filter((t) => t === 'paid')).toHaveLength(1)
    const stored = await repo.findById(o.id)
    expect(stored).toMatchObject({ status: 'paid', paidAt: payment().paidAt, transactionId: payment().transactionId })
    const doc = cloud.db.docs(WX_COLLECTIONS.orders)[0]
    expect(doc).toMatchObject({ cashFen: 5000 })
    expect(['notify', 'query']).toContain(doc.paidVia)
  })

  it('records the paid event with how the payment was learnt', async () => {
    const o = order()
    await repo.insert(o)
    expect(await repo.markPaid(o.id, PAYABLE_FROM, payment({ via: 'query' }))).toBe(true)
    const paid = (await repo.events(o.id)).find((e) => e.type === 'paid')
    expect(paid).toEqual({ type: 'paid', at: payment().paidAt, detail: JSON.stringify({ via: 'query', transactionId: payment().transactionId }) })
  })

  it('answers false for an order that is not in one of the from statuses, or does not exist', async () => {
    const o = order()
    await repo.insert(o)
    expect(await repo.markClosed(o.id, '2026-03-01T00:31:00.000Z', 'expired unpaid')).toBe(true)
    expect(await repo.markPaid(o.id, ['created'], payment())).toBe(false)
    expect(await repo.markPaid('WT-missing', PAYABLE_FROM, payment())).toBe(false)
    expect(await repo.markPaid(o.id, [], payment())).toBe(false)
    expect((await repo.findById(o.id))!.status).toBe('closed')
  })

  it('settles a payment that lands after the order was closed (closed -> paid), history in write order', async () => {
    const o = order()
    await repo.insert(o)
    await repo.markClosed(o.id, '2026-03-01T00:31:00.000Z', 'expired unpaid')
    // paid before it was closed, learnt after: the history keeps the order things were learnt in
    expect(await repo.markPaid(o.id, PAYABLE_FROM, payment({ paidAt: '2026-03-01T00:29:59.000Z' }))).toBe(true)
    expect(await types(o.id)).toEqual(['created', 'closed', 'paid'])
    expect((await repo.findById(o.id))!.status).toBe('paid')
  })

  it('closes a created order once, with the reason in the closed event; a paid order stays paid', async () => {
    const a = order()
    const b = order()
    await repo.insert(a)
    await repo.insert(b)
    expect(await repo.markClosed(a.id, '2026-03-01T00:31:00.000Z', 'pay side CLOSED')).toBe(true)
    expect(await repo.markClosed(a.id, '2026-03-01T00:32:00.000Z', 'again')).toBe(false)
    expect((await repo.findById(a.id))!.closedAt).toBe('2026-03-01T00:31:00.000Z')
    expect((await repo.events(a.id))[1]).toEqual({ type: 'closed', at: '2026-03-01T00:31:00.000Z', detail: 'pay side CLOSED' })

    await repo.markPaid(b.id, PAYABLE_FROM, payment())
    expect(await repo.markClosed(b.id, '2026-03-01T00:31:00.000Z', 'expired unpaid')).toBe(false)
    expect((await repo.findById(b.id))!.status).toBe('paid')
  })

  it('lets exactly one of a concurrent close and a created-only payment win', async () => {
    const o = order()
    await repo.insert(o)
    const [closed, paid] = await Promise.all([repo.markClosed(o.id, '2026-03-01T00:31:00.000Z', 'expired'), repo.markPaid(o.id, ['created'], payment())])
    expect(Number(closed) + Number(paid)).toBe(1)
  })

  it('still reports the move when the paid event cannot be written, and logs the lost event', async () => {
    const o = order()
    await repo.insert(o)
    const down = new FakeSdkError(-501001, 'collection.add:fail network')
    cloud.db.failNext(WX_COLLECTIONS.orderEvents, 'add', down, 2)
    expect(await repo.markPaid(o.id, PAYABLE_FROM, payment())).toBe(true)
    expect((await repo.findById(o.id))!.status).toBe('paid')
    expect(errors).toEqual([{ msg: 'order event not written', fields: expect.objectContaining({ order: o.id, type: 'paid' }) }])
    // a redelivery loses the conditional update, as it must
    expect(await repo.markPaid(o.id, PAYABLE_FROM, payment())).toBe(false)
  })

  it('retries a failed event write once without doubling it', async () => {
    const o = order()
    await repo.insert(o)
    cloud.db.failNext(WX_COLLECTIONS.orderEvents, 'add', new FakeSdkError(-501001, 'collection.add:fail timeout'))
    await repo.markPaid(o.id, PAYABLE_FROM, payment())
    expect(await types(o.id)).toEqual(['created', 'paid'])
    expect(errors).toEqual([])
  })
})

describe('wxOrderRepo: reconcile and callback records', () => {
  it('lists orders still created before the cutoff, oldest first, up to the limit', async () => {
    const old1 = order({ createdAt: '2026-03-01T00:00:00.000Z' })
    const old2 = order({ createdAt: '2026-03-01T00:01:00.000Z' })
    const paid = order({ createdAt: '2026-03-01T00:00:30.000Z' })
    const fresh = order({ createdAt: '2026-03-01T00:10:00.000Z' })
    for (const o of [old2, fresh, paid, old1]) await repo.insert(o)
    await repo.markPaid(paid.id, PAYABLE_FROM, payment())
    expect((await repo.listUnsettled('2026-03-01T00:05:00.000Z', 10)).map((o) => o.id)).toEqual([old1.id, old2.id])
    expect((await repo.listUnsettled('2026-03-01T00:05:00.000Z', 1)).map((o) => o.id)).toEqual([old1.id])
  })

  it('pages an unsettled batch larger than 100 without repeats', async () => {
    for (let i = 0; i < 150; i++) await repo.insert(order({ createdAt: '2026-03-01T00:00:00.000Z' }))
    const rows = await repo.listUnsettled('2026-03-02T00:00:00.000Z', 140)
    expect(rows).toHaveLength(140)
    expect(new Set(rows.map((r) => r.id)).size).toBe(140)
  })

  it('records every callback delivery in pay_notifications', async () => {
    const n = {
      outTradeNo: 'WT1',
      transactionId: '42000',
      totalFee: 5000,
      resultCode: 'SUCCESS',
      receivedAt: '2026-03-01T00:05:01.000Z',
      outcome: 'settled' as const,
    }
    await repo.recordNotification(n)
    await repo.recordNotification({ ...n, outcome: 'duplicate' })
    const docs = cloud.db.docs(WX_COLLECTIONS.payNotifications)
    expect(docs.map(({ _id, ...rest }) => rest)).toEqual([n, { ...n, outcome: 'duplicate' }])
  })

  it('flags an anomaly on the order and in its history, as often as it happens', async () => {
    const o = order()
    await repo.insert(o)
    await repo.recordAnomaly(o.id, '2026-03-01T00:06:00.000Z', 'AMOUNT_MISMATCH: notified 1 fen, ordered 5000 fen')
    await repo.recordAnomaly(o.id, '2026-03-01T00:07:00.000Z', 'AMOUNT_MISMATCH again')
    expect(cloud.db.docs(WX_COLLECTIONS.orders)[0].anomaly).toBe('AMOUNT_MISMATCH again')
    expect(await repo.events(o.id)).toEqual([
      { type: 'created', at: o.createdAt, detail: null },
      { type: 'anomaly', at: '2026-03-01T00:06:00.000Z', detail: 'AMOUNT_MISMATCH: notified 1 fen, ordered 5000 fen' },
      { type: 'anomaly', at: '2026-03-01T00:07:00.000Z', detail: 'AMOUNT_MISMATCH again' },
    ])
  })
})

describe('the fake database itself', () => {
  it('returns at most 100 documents per get(), silently, like the server', async () => {
    for (let i = 0; i < 120; i++) await cloud.db.collection('x').add({ data: { i } })
    expect((await cloud.db.collection('x').limit(500).get()).data).toHaveLength(100)
    expect((await cloud.db.collection('x').get()).data).toHaveLength(100)
  })

  it('reports a unique conflict with the SDK error shape (-502001, DATABASE_DUPLICATE_WRITE in the message)', async () => {
    await cloud.db.collection('x').add({ data: { _id: 'a' } })
    await expect(cloud.db.collection('x').add({ data: { _id: 'a' } })).rejects.toMatchObject({
      errCode: -502001,
      errMsg: expect.stringContaining('DATABASE_DUPLICATE_WRITE'),
    })
  })
})

describe('wxOrderRepo: invoicing fields and queries', () => {
  const AUTO = { titleId: 'title0001', email: 'a@example.com' }
  const paidAt = (minute: number) => new Date(Date.UTC(2026, 2, 1, 0, minute)).toISOString()
  /** A paid order as the invoice queries see it; the claim's mark is written directly. */
  async function paid(minute: number, over: Partial<StoredOrder> = {}, invoiceId: string | null = null): Promise<StoredOrder> {
    const o = order(over)
    await repo.insert(o)
    await repo.markPaid(o.id, PAYABLE_FROM, payment({ paidAt: paidAt(minute) }))
    if (invoiceId) await cloud.db.collection(WX_COLLECTIONS.orders).where({ _id: o.id }).update({ data: { invoiceId } })
    return (await repo.findById(o.id))!
  }

  it('stores the automatic-invoice choice as a sub-object and starts without an invoice', async () => {
    const o = order({ autoInvoice: AUTO, invoiceId: 'INV-ignored' })
    await repo.insert(o)
    expect(await repo.findById(o.id)).toEqual({ ...o, invoiceId: null })
    expect(cloud.db.docs(WX_COLLECTIONS.orders)[0]).toMatchObject({ autoInvoice: AUTO, invoiceId: null })
    const plain = order({ autoInvoice: { titleId: 't2', email: null } })
    await repo.insert(plain)
    expect((await repo.findById(plain.id))!.autoInvoice).toEqual({ titleId: 't2', email: null })
  })

  it('reads an order written before invoicing existed (no fields) as not invoiced, no automatic invoice', async () => {
    const o = order()
    await repo.insert(o)
    await cloud.db.collection(WX_COLLECTIONS.orders).where({ _id: o.id }).remove()
    const { id, invoiceId: _i, autoInvoice: _a, ...legacy } = o
    await cloud.db.collection(WX_COLLECTIONS.orders).add({ data: { ...legacy, _id: id } })
    expect(await repo.findById(o.id)).toMatchObject({ invoiceId: null, autoInvoice: null })
  })

  it('finds orders by id in the order asked, past 100 ids, leaving out unknown ones', async () => {
    const all: StoredOrder[] = []
    for (let i = 0; i < 130; i++) {
      const o = order()
      all.push(o)
      await repo.insert(o)
    }
    const ask = [...all].reverse().map((o) => o.id)
    cloud.db.gets.length = 0
    const found = await repo.findByIds([...ask, 'WT-unknown', ask[0]])
    expect(found.map((o) => o.id)).toEqual(ask)
    expect(cloud.db.gets.every((g) => g.limit !== undefined && g.limit <= 100)).toBe(true)
    expect(await repo.findByIds([])).toEqual([])
  })

  it('lists paid orders without an invoice since a date, newest first, paged by (paidAt, id)', async () => {
    const a = await paid(10)
    const b1 = await paid(20)
    const b2 = await paid(20)
    const c = await paid(30)
    await paid(40, {}, 'INV-taken') // invoiced
    await paid(50, { openid: BOB }) // someone else's
    await paid(1) // before the window
    await repo.insert(order()) // unpaid
    const expected = [c.id, ...[b1.id, b2.id].sort().reverse(), a.id]

    const seen: string[] = []
    let cursor: { paidAt: string; id: string } | undefined
    for (let page = 0; page < 5; page++) {
      const rows = await repo.listUninvoiced(ALICE, paidAt(5), { limit: 2, cursor })
      seen.push(...rows.map((r) => r.id))
      if (rows.length < 2) break
      cursor = { paidAt: rows[rows.length - 1].paidAt!, id: rows[rows.length - 1].id }
    }
    expect(seen).toEqual(expected)
    expect((await repo.listUninvoiced(ALICE, paidAt(5), { limit: 10 })).every((o) => o.status === 'paid' && o.invoiceId === null)).toBe(true)
  })

  it('lists paid orders that asked for an automatic invoice and have none, paid in [since, before), oldest first', async () => {
    const due1 = await paid(10, { autoInvoice: AUTO })
    const due2 = await paid(20, { openid: BOB, autoInvoice: AUTO })
    await paid(15) // no automatic invoice asked
    await paid(25, { autoInvoice: AUTO }, 'INV-done') // already invoiced
    await paid(30, { autoInvoice: AUTO }) // at `before`: excluded
    await paid(5, { autoInvoice: AUTO }) // before `since`
    await repo.insert(order({ autoInvoice: AUTO })) // unpaid
    expect((await repo.listAutoInvoicePending(paidAt(10), paidAt(30), 10)).map((o) => o.id)).toEqual([due1.id, due2.id])
    expect((await repo.listAutoInvoicePending(paidAt(10), paidAt(30), 1)).map((o) => o.id)).toEqual([due1.id])
  })

  it("lists everyone's un-invoiced paid orders paid in [since, before), oldest first, keyset-paged (the reminders sweep)", async () => {
    const a = await paid(10)
    const b = await paid(20, { openid: BOB })
    const c = await paid(20)
    await paid(25, {}, 'INV-done') // invoiced
    await paid(30) // at `before`: excluded
    await paid(5) // before `since`
    await repo.insert(order()) // unpaid
    const expected = [a.id, ...[b.id, c.id].sort()]
    expect((await repo.listUninvoicedPaidBetween(paidAt(10), paidAt(30), { limit: 10 })).map((o) => o.id)).toEqual(expected)
    const first = await repo.listUninvoicedPaidBetween(paidAt(10), paidAt(30), { limit: 2 })
    const last = first[first.length - 1]
    const rest = await repo.listUninvoicedPaidBetween(paidAt(10), paidAt(30), { limit: 2, after: { paidAt: last.paidAt!, id: last.id } })
    expect([...first, ...rest].map((o) => o.id)).toEqual(expected)
  })
})
