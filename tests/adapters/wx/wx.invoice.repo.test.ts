import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxInvoiceRepo, wxOutboxRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.invoice.repo'
import { wxOrderRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.order.repo'
import { PAYABLE_FROM } from '../../../cloudfunctions/_core/domain/order'
import { DuplicateKeyError } from '../../../cloudfunctions/_core/ports/errors'
import type { InvoiceRepo, OutboxItem, OutboxRepo, StoredInvoice } from '../../../cloudfunctions/_core/ports/invoice.repo'
import type { OrderRepo, StoredOrder } from '../../../cloudfunctions/_core/ports/order.repo'
import { FakeSdkError, FakeWxCloud } from '../../fakes/wx-cloud.fake'
import { newInvoiceRecord } from '../../../cloudfunctions/_core/app/invoice-record'

const ALICE = 'oAlice0000000000000000000001'
const BOB = 'oBob00000000000000000000000002'
const CARD_A = '3104000012345673'
const CARD_B = '3104000087654321'

let cloud: FakeWxCloud
let repo: InvoiceRepo
let outbox: OutboxRepo
let orders: OrderRepo
let errors: { msg: string; fields?: Record<string, unknown> }[]
beforeEach(() => {
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  errors = []
  const log = { error: (msg: string, fields?: Record<string, unknown>) => errors.push({ msg, fields }) }
  repo = wxInvoiceRepo(cloud.database(), { log })
  outbox = wxOutboxRepo(cloud.database())
  orders = wxOrderRepo(cloud.database(), { log })
})

let seq = 0
const next = () => String(++seq).padStart(6, '0')

/** A paid order in the store. */
async function paidOrder(over: Partial<StoredOrder> = {}): Promise<StoredOrder> {
  const n = next()
  const o: StoredOrder = {
    id: `WT20260301080000000000${n}`,
    openid: ALICE,
    clientToken: `order-token-${n}`,
    cardId: 'card0001',
    cardNo: CARD_A,
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
  await orders.insert(o)
  await orders.markPaid(o.id, PAYABLE_FROM, { transactionId: `42000${n}`, paidAt: '2026-03-01T00:05:00.000Z', cashFen: o.amountFen, via: 'notify' })
  return (await orders.findById(o.id))!
}

function invoice(os: StoredOrder[], over: Partial<StoredInvoice> = {}): StoredInvoice {
  const n = next()
  return newInvoiceRecord({
    id: `INV${n}`,
    openid: ALICE,
    clientToken: `inv-token-${n}`,
    source: os.length > 1 ? 'merge' : 'single',
    title: { kind: 'enterprise', name: '武汉某某科技有限公司', taxId: '91420100MA4K0000XJ', address: null, phone: null, bankName: null, bankAccount: null },
    email: 'a@example.com',
    amountFen: os.reduce((s, o) => s + o.amountFen, 0),
    orderIds: os.map((o) => o.id),
    cards: [...new Map(os.map((o) => [o.cardNo, { cardNo: o.cardNo, nickname: o.cardNickname }])).values()],
    requestedAt: '2026-03-02T00:00:00.000Z',
    ...over,
  })
}

const claimsOf = (os: StoredOrder[]) => os.map((o) => ({ orderId: o.id, cardNo: o.cardNo }))
const create = (inv: StoredInvoice, os: StoredOrder[]) => repo.create(inv, claimsOf(os))
const claimDocs = () => cloud.db.docs(WX_COLLECTIONS.invoiceOrders)
const invoiceDocs = () => cloud.db.docs(WX_COLLECTIONS.invoices)

describe('wxInvoiceRepo.create: the invoice and the claim of its orders', () => {
  it('stores the invoice, one claim per order (_id = order id), marks the orders and logs requested', async () => {
    const os = [await paidOrder(), await paidOrder({ cardNo: CARD_B })]
    const inv = invoice(os)
    await create(inv, os)

    expect(await repo.findById(inv.id)).toEqual(inv)
    expect(await repo.findByClientToken(ALICE, inv.clientToken)).toEqual(inv)
    expect(await repo.findByOrderId(os[1].id)).toEqual(inv)
    expect(await repo.findByOrderId('WT-unclaimed')).toBeNull()
    expect(await repo.findByClientToken(BOB, inv.clientToken)).toBeNull()

    expect(claimDocs()).toEqual(os.map((o) => ({ _id: o.id, invoiceId: inv.id, openid: ALICE, cardNo: o.cardNo, requestedAt: inv.requestedAt })))
    expect(invoiceDocs()[0]).toMatchObject({ _id: inv.id, cardNos: [CARD_A, CARD_B], phase: 'live' })
    expect((await orders.findByIds(inv.orderIds)).map((o) => o.invoiceId)).toEqual([inv.id, inv.id])
    expect(await orders.listUninvoiced(ALICE, '2026-01-01T00:00:00.000Z', { limit: 10 })).toEqual([])
    expect(await repo.events(inv.id)).toEqual([{ type: 'requested', at: inv.requestedAt, detail: null }])
  })

  it('refuses a reused clientToken as DuplicateKeyError(clientToken) and claims nothing', async () => {
    const [a, b] = [await paidOrder(), await paidOrder()]
    const first = invoice([a])
    await create(first, [a])
    await expect(create(invoice([b], { clientToken: first.clientToken }), [b])).rejects.toEqual(new DuplicateKeyError('clientToken'))
    expect(claimDocs().map((c) => c._id)).toEqual([a.id])
    expect((await orders.findById(b.id))!.invoiceId).toBeNull()
  })

  it('rolls back its own claims and the invoice when one order already has an invoice (compensation)', async () => {
    const os = [await paidOrder(), await paidOrder(), await paidOrder()] // ids ascending: the taken one is claimed last
    const taken = invoice([os[2]])
    await create(taken, [os[2]])
    cloud.db.writes.length = 0

    const inv = invoice(os)
    await expect(create(inv, os)).rejects.toEqual(new DuplicateKeyError('orderId'))

    // the first two claims were really made, then undone
    const claimAdds = cloud.db.writes.filter((w) => w.collection === WX_COLLECTIONS.invoiceOrders && w.op === 'add').flatMap((w) => w.ids)
    expect(claimAdds).toEqual([os[0].id, os[1].id])
    expect(claimDocs()).toEqual([expect.objectContaining({ _id: os[2].id, invoiceId: taken.id })])
    // the invoice document is gone, and nothing reads it
    expect(invoiceDocs().map((d) => d._id)).toEqual([taken.id])
    expect(await repo.findById(inv.id)).toBeNull()
    expect(await repo.findByClientToken(ALICE, inv.clientToken)).toBeNull()
    // the orders are as before: two free, the third still on the other invoice
    expect((await orders.findByIds(os.map((o) => o.id))).map((o) => o.invoiceId)).toEqual([null, null, taken.id])
    expect(await repo.findByOrderId(os[2].id)).toEqual(taken)
    // and the freed orders can be invoiced again
    await create(invoice(os.slice(0, 2)), os.slice(0, 2))
  })

  it('refuses an order listed twice in one request, writing nothing', async () => {
    const o = await paidOrder()
    await expect(repo.create(invoice([o]), [...claimsOf([o]), ...claimsOf([o])])).rejects.toEqual(new DuplicateKeyError('orderId'))
    expect(invoiceDocs()).toEqual([])
  })

  it('lets exactly one of 20 concurrent requests for the same order through', async () => {
    const o = await paidOrder()
    const attempts = Array.from({ length: 20 }, () => invoice([o]))
    const results = await Promise.allSettled(attempts.map((inv) => create(inv, [o])))
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [attempts[i]] : []))
    expect(won).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toEqual(new DuplicateKeyError('orderId'))
    expect(invoiceDocs().map((d) => d._id)).toEqual([won[0].id])
    expect(claimDocs()).toEqual([expect.objectContaining({ _id: o.id, invoiceId: won[0].id })])
    expect((await orders.findById(o.id))!.invoiceId).toBe(won[0].id)
  })

  it('lets exactly one of two crossing requests for the same two orders through (claims go in id order)', async () => {
    const [x, y] = [await paidOrder(), await paidOrder()]
    const results = await Promise.allSettled([create(invoice([x, y]), [x, y]), create(invoice([y, x]), [y, x])])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(invoiceDocs()).toHaveLength(1)
    expect(new Set(claimDocs().map((c) => c.invoiceId)).size).toBe(1)
  })

  it('undoes everything and passes the error on when a step fails for another reason', async () => {
    const os = [await paidOrder(), await paidOrder()]
    const inv = invoice(os)
    cloud.db.failNext(WX_COLLECTIONS.orders, 'update', new FakeSdkError(-501001, 'collection.update:fail network'))
    await expect(create(inv, os)).rejects.toBeInstanceOf(FakeSdkError)
    expect(invoiceDocs()).toEqual([])
    expect(claimDocs()).toEqual([])
    expect((await orders.findByIds(os.map((o) => o.id))).every((o) => o.invoiceId === null)).toBe(true)
  })

  it('counts the invoice as made when only the answer to going live was lost', async () => {
    const o = await paidOrder()
    const inv = invoice([o])
    cloud.db.loseAnswerNext(WX_COLLECTIONS.invoices, 'update', new FakeSdkError(-501001, 'collection.update:fail timeout'))
    await create(inv, [o])
    expect(await repo.findById(inv.id)).toEqual(inv)
    expect(claimDocs()).toHaveLength(1)
  })

  it('leaves a creation that died half-way unusable, then the worker rolls it back once it is stale', async () => {
    const [o, other] = [await paidOrder(), await paidOrder()]
    const inv = invoice([o, other])
    // died after claiming `o` and marking it, before going live
    const { id, ...fields } = inv
    await cloud.db.collection(WX_COLLECTIONS.invoices).add({ data: { ...fields, _id: id, cardNos: [CARD_A], phase: 'claiming', rev: 0 } })
    await cloud.db
      .collection(WX_COLLECTIONS.invoiceOrders)
      .add({ data: { _id: o.id, invoiceId: id, openid: ALICE, cardNo: CARD_A, requestedAt: inv.requestedAt } })
    await cloud.db
      .collection(WX_COLLECTIONS.orders)
      .where({ _id: o.id })
      .update({ data: { invoiceId: id } })

    // never issued: not due, not listed, not updatable
    expect(await repo.due('2026-03-02T00:05:00.000Z', 10)).toEqual([])
    expect(await repo.list(ALICE, {}, { limit: 10 })).toEqual([])
    expect(await repo.update(id, ['requested'], { status: 'issuing' })).toBe(false)
    expect(invoiceDocs()).toHaveLength(1) // not stale yet: left alone

    await repo.due('2026-03-02T00:11:00.000Z', 10) // past the 10-minute threshold
    expect(invoiceDocs()).toEqual([])
    expect(claimDocs()).toEqual([])
    expect((await orders.findById(o.id))!.invoiceId).toBeNull()
    expect(errors).toEqual([{ msg: 'half-made invoice rolled back', fields: { invoice: id, phase: 'claiming' } }])
    await create(invoice([o]), [o]) // the order is free again
  })
})

describe('wxInvoiceRepo.update', () => {
  let inv: StoredInvoice
  beforeEach(async () => {
    const o = await paidOrder()
    inv = invoice([o])
    await create(inv, [o])
  })

  it('applies the patch only while the status is one of `from`', async () => {
    expect(await repo.update(inv.id, ['issuing'], { status: 'issued' })).toBe(false)
    expect(await repo.update(inv.id, [], { status: 'issuing' })).toBe(false)
    expect(await repo.update('INV-missing', ['requested'], { status: 'issuing' })).toBe(false)
    expect(await repo.update(inv.id, ['requested', 'failed'], { status: 'issuing', attempts: 1, requestNo: `${inv.id}-1` })).toBe(true)
    expect(await repo.findById(inv.id)).toMatchObject({ status: 'issuing', attempts: 1, requestNo: `${inv.id}-1` })
  })

  it('answers true for a matching update that changes nothing else, like SQLite', async () => {
    expect(await repo.update(inv.id, ['requested'], { status: 'requested' })).toBe(true)
  })

  it('replaces the title as a whole and refuses fields that cannot change', async () => {
    const title = { kind: 'personal' as const, name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null }
    expect(await repo.update(inv.id, ['requested'], { title })).toBe(true)
    expect((await repo.findById(inv.id))!.title).toEqual(title)
    await expect(repo.update(inv.id, ['requested'], { openid: BOB })).rejects.toThrow(/openid cannot be updated/)
  })

  it('keeps the OFD original in the document, and reads a document written before it as none', async () => {
    const ofd = { ofdFileId: 'cloud://env.bucket/users/a/invoices/1.ofd', ofdSha256: 'ab'.repeat(32), ofdBytes: 1234 }
    expect(await repo.findById(inv.id)).toMatchObject({ ofdFileId: null, ofdSha256: null, ofdBytes: null })
    expect(await repo.update(inv.id, ['requested'], { status: 'issuing' })).toBe(true)
    expect(await repo.update(inv.id, ['issuing'], { status: 'issued', ...ofd })).toBe(true)
    expect(await repo.findById(inv.id)).toMatchObject(ofd)
    expect(invoiceDocs()[0]).toMatchObject(ofd)

    // an invoice document written before OFD originals were kept has no such fields at all
    const { id, ofdFileId, ofdSha256, ofdBytes, ...older } = { ...invoice([await paidOrder()]), status: 'issued' as const }
    expect([ofdFileId, ofdSha256, ofdBytes]).toEqual([null, null, null])
    await cloud.db.collection(WX_COLLECTIONS.invoices).add({ data: { ...older, _id: id, cardNos: [CARD_A], phase: 'live', rev: 1 } })
    expect(await repo.findById(id)).toMatchObject({ status: 'issued', ofdFileId: null, ofdSha256: null, ofdBytes: null })
  })

  it('respects an unexpired lease when leaseFreeAt is given, and takes an expired or absent one', async () => {
    const now = '2026-03-02T00:01:00.000Z'
    expect(await repo.update(inv.id, ['requested'], { status: 'issuing', leaseUntil: '2026-03-02T00:02:00.000Z' }, { leaseFreeAt: now })).toBe(true)
    // held until 00:02: another worker at 00:01 cannot take it
    expect(await repo.update(inv.id, ['issuing'], { leaseUntil: '2026-03-02T00:03:00.000Z' }, { leaseFreeAt: now })).toBe(false)
    // without leaseFreeAt the lease is not looked at (finishing is allowed to the holder)
    expect(await repo.update(inv.id, ['issuing'], { lastError: 'x' })).toBe(true)
    // at 00:02 the lease has run out
    expect(await repo.update(inv.id, ['issuing'], { leaseUntil: '2026-03-02T00:04:00.000Z' }, { leaseFreeAt: '2026-03-02T00:02:00.000Z' })).toBe(true)
    expect(await repo.update(inv.id, ['issuing'], { leaseUntil: null })).toBe(true)
    expect(await repo.update(inv.id, ['issuing'], { leaseUntil: '2026-03-02T00:09:00.000Z' }, { leaseFreeAt: now })).toBe(true)
  })

  it('gives the lease to exactly one of 20 concurrent workers', async () => {
    const now = '2026-03-02T00:01:00.000Z'
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repo.update(
          inv.id,
          ['requested'],
          { status: 'issuing', attempts: 1, requestNo: `w${i}`, leaseUntil: '2026-03-02T00:02:00.000Z' },
          { leaseFreeAt: now },
        ),
      ),
    )
    expect(results.filter(Boolean)).toHaveLength(1)
  })
})

describe('wxInvoiceRepo.list and due', () => {
  it('filters by status, requestedAt range and card, newest first, paged by (requestedAt, id)', async () => {
    const at = (d: number) => `2026-03-${String(d).padStart(2, '0')}T00:00:00.000Z`
    const made: StoredInvoice[] = []
    for (const [day, card] of [
      [1, CARD_A],
      [2, CARD_B],
      [2, CARD_A],
      [2, CARD_A],
      [3, CARD_B],
      [4, CARD_A],
    ] as const) {
      const o = await paidOrder({ cardNo: card })
      const inv = invoice([o], { requestedAt: at(day) })
      await create(inv, [o])
      made.push(inv)
    }
    const bobs = await paidOrder({ openid: BOB })
    await create(invoice([bobs], { openid: BOB, requestedAt: at(2) }), [bobs])
    await repo.update(made[1].id, ['requested'], { status: 'failed' })

    const newestFirst = (xs: StoredInvoice[]) =>
      [...xs].sort((a, b) => (a.requestedAt === b.requestedAt ? (a.id < b.id ? 1 : -1) : a.requestedAt < b.requestedAt ? 1 : -1)).map((i) => i.id)
    const all = async (filter: Parameters<InvoiceRepo['list']>[1], limit = 2) => {
      const seen: string[] = []
      let cursor: { requestedAt: string; id: string } | undefined
      for (let page = 0; page < 10; page++) {
        const rows = await repo.list(ALICE, filter, { limit, cursor })
        seen.push(...rows.map((r) => r.id))
        if (rows.length < limit) break
        cursor = { requestedAt: rows[rows.length - 1].requestedAt, id: rows[rows.length - 1].id }
      }
      return seen
    }

    expect(await all({})).toEqual(newestFirst(made))
    expect(await all({ status: 'failed' })).toEqual([made[1].id])
    expect(await all({ from: at(2), to: at(4) })).toEqual(newestFirst(made.slice(1, 5)))
    expect(await all({ cardNo: CARD_A })).toEqual(newestFirst([made[0], made[2], made[3], made[5]]))
    expect(await all({ cardNo: CARD_A, from: at(2), to: at(3), status: 'requested' }, 1)).toEqual(newestFirst([made[2], made[3]]))
    expect(await repo.list(ALICE, {}, { limit: 10 })).toEqual(expect.arrayContaining([made[0]]))
  })

  it('finds a card among the cards of a merged invoice', async () => {
    const os = [await paidOrder({ cardNo: CARD_A }), await paidOrder({ cardNo: CARD_B })]
    const inv = invoice(os)
    await create(inv, os)
    expect((await repo.list(ALICE, { cardNo: CARD_B }, { limit: 5 })).map((i) => i.id)).toEqual([inv.id])
    expect(await repo.list(ALICE, { cardNo: '3104000000000000' }, { limit: 5 })).toEqual([])
  })

  it('lists due invoices: requested, issuing with a free lease, failed whose retry time has come; oldest first', async () => {
    const now = '2026-03-02T01:00:00.000Z'
    const mk = async (requestedAt: string) => {
      const o = await paidOrder()
      const inv = invoice([o], { requestedAt })
      await create(inv, [o])
      return inv
    }
    const requested = await mk('2026-03-02T00:03:00.000Z')
    const leased = await mk('2026-03-02T00:01:00.000Z')
    await repo.update(leased.id, ['requested'], { status: 'issuing', leaseUntil: '2026-03-02T01:01:00.000Z' })
    const leaseOver = await mk('2026-03-02T00:02:00.000Z')
    await repo.update(leaseOver.id, ['requested'], { status: 'issuing', leaseUntil: '2026-03-02T00:59:00.000Z' })
    const retryLater = await mk('2026-03-02T00:00:00.000Z')
    await repo.update(retryLater.id, ['requested'], { status: 'failed', nextRetryAt: '2026-03-02T02:00:00.000Z' })
    const retryNow = await mk('2026-03-02T00:04:00.000Z')
    await repo.update(retryNow.id, ['requested'], { status: 'failed', nextRetryAt: now })
    const issued = await mk('2026-03-02T00:00:30.000Z')
    await repo.update(issued.id, ['requested'], { status: 'issued' })

    expect((await repo.due(now, 10)).map((i) => i.id)).toEqual([leaseOver.id, requested.id, retryNow.id])
    expect((await repo.due(now, 1)).map((i) => i.id)).toEqual([leaseOver.id])
  })
})

describe('wxInvoiceRepo events', () => {
  it('keeps the history in write order, repeats allowed', async () => {
    const o = await paidOrder()
    const inv = invoice([o])
    await create(inv, [o])
    await repo.addEvent(inv.id, 'submitted', '2026-03-02T00:00:01.000Z', `${inv.id}-1`)
    await repo.addEvent(inv.id, 'failed', '2026-03-02T00:00:02.000Z', 'busy')
    await repo.addEvent(inv.id, 'failed', '2026-03-02T00:00:01.500Z', 'busy again') // clock skew: write order wins
    expect((await repo.events(inv.id)).map((e) => e.type)).toEqual(['requested', 'submitted', 'failed', 'failed'])
    expect((await repo.events(inv.id))[3]).toEqual({ type: 'failed', at: '2026-03-02T00:00:01.500Z', detail: 'busy again' })
  })
})

describe('wxOutboxRepo', () => {
  const item = (over: Partial<OutboxItem> = {}): OutboxItem => ({
    id: `INV1-${next()}`,
    invoiceId: 'INV1',
    openid: ALICE,
    to: 'a@example.com',
    kind: 'resend',
    status: 'pending',
    attempts: 0,
    nextAttemptAt: '2026-03-02T00:00:00.000Z',
    lastError: null,
    createdAt: '2026-03-02T00:00:00.000Z',
    sentAt: null,
    ...over,
  })
  const docs = () => cloud.db.docs(WX_COLLECTIONS.mailOutbox)

  it('queues the first delivery of an invoice once (_id <invoiceId>:issued), re-sends as often as asked', async () => {
    const first = item({ id: 'INV1-issued', kind: 'issued' })
    expect(await outbox.add(first)).toBe(true)
    expect(await outbox.add(item({ id: 'INV1-issued-again', kind: 'issued' }))).toBe(false)
    expect(await outbox.add(item())).toBe(true)
    expect(await outbox.add(item())).toBe(true)
    const resend = item()
    expect(await outbox.add(resend)).toBe(true)
    expect(await outbox.add(resend)).toBe(false) // the same item again (a retried add)
    expect(await outbox.add(item({ invoiceId: 'INV2', kind: 'issued', id: 'INV2-issued' }))).toBe(true)
    expect(
      docs()
        .filter((d) => d.kind === 'issued')
        .map((d) => d._id),
    ).toEqual(['INV1:issued', 'INV2:issued'])
    expect(docs()).toHaveLength(5)
  })

  it('queues one first delivery under 20 concurrent finishers', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => outbox.add(item({ id: `INV1-issued-${i}`, kind: 'issued' }))))
    expect(results.filter(Boolean)).toHaveLength(1)
  })

  it('gives an item to exactly one of concurrent senders, by the id the caller knows', async () => {
    const first = item({ id: 'INV1-issued', kind: 'issued' })
    await outbox.add(first)
    const lease = '2026-03-02T00:02:00.000Z'
    const results = await Promise.all(Array.from({ length: 10 }, () => outbox.claim(first.id, 0, lease)))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await outbox.latestFor('INV1')).toMatchObject({ id: first.id, attempts: 1, nextAttemptAt: lease, status: 'pending' })
    expect(await outbox.claim(first.id, 0, lease)).toBe(false) // stale attempts count
    expect(await outbox.claim('INV1:issued', 1, lease)).toBe(false) // the document _id is not the item id
  })

  it('retries and gives up conditionally on the attempts count, and marks sent', async () => {
    const it1 = item()
    await outbox.add(it1)
    await outbox.claim(it1.id, 0, '2026-03-02T00:02:00.000Z')
    await outbox.markRetry(it1.id, 0, '2026-03-02T00:10:00.000Z', 'stale writer', false) // not the current attempt: ignored
    expect((await outbox.latestFor('INV1'))!.lastError).toBeNull()
    await outbox.markRetry(it1.id, 1, '2026-03-02T00:10:00.000Z', 'x'.repeat(600), false)
    expect(await outbox.latestFor('INV1')).toMatchObject({ status: 'pending', nextAttemptAt: '2026-03-02T00:10:00.000Z', lastError: 'x'.repeat(500) })
    await outbox.claim(it1.id, 1, '2026-03-02T00:12:00.000Z')
    await outbox.markRetry(it1.id, 2, '2026-03-02T01:00:00.000Z', 'refused', true)
    expect(await outbox.latestFor('INV1')).toMatchObject({ status: 'failed', attempts: 2 })

    const it2 = item({ invoiceId: 'INV2' })
    await outbox.add(it2)
    await outbox.claim(it2.id, 0, '2026-03-02T00:02:00.000Z')
    await outbox.markSent(it2.id, '2026-03-02T00:00:05.000Z')
    expect(await outbox.latestFor('INV2')).toEqual({
      ...it2,
      status: 'sent',
      attempts: 1,
      nextAttemptAt: '2026-03-02T00:02:00.000Z',
      sentAt: '2026-03-02T00:00:05.000Z',
    })
    expect(await outbox.claim(it2.id, 1, '2026-03-02T00:04:00.000Z')).toBe(false) // sent: never again
  })

  it('lists pending items whose time has come, soonest first, and the latest item of an invoice', async () => {
    const later = item({ nextAttemptAt: '2026-03-02T00:05:00.000Z', createdAt: '2026-03-02T00:05:00.000Z' })
    const soon = item({ nextAttemptAt: '2026-03-02T00:01:00.000Z', createdAt: '2026-03-02T00:01:00.000Z' })
    const future = item({ nextAttemptAt: '2026-03-02T09:00:00.000Z', createdAt: '2026-03-02T00:09:00.000Z' })
    const sent = item({ status: 'sent', nextAttemptAt: '2026-03-02T00:00:00.000Z' })
    for (const x of [later, soon, future, sent]) await outbox.add(x)
    expect((await outbox.due('2026-03-02T00:06:00.000Z', 10)).map((x) => x.id)).toEqual([soon.id, later.id])
    expect(await outbox.due('2026-03-02T00:06:00.000Z', 1)).toEqual([soon])
    expect((await outbox.latestFor('INV1'))!.id).toBe(future.id)
    expect(await outbox.latestFor('INV-none')).toBeNull()
  })
})
