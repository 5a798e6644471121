import crypto from 'node:crypto'
import { invariantViolations } from '../helpers/invariant'
import { CARD_A, CARD_B, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * Cards for a company and batch invoicing (企业批量开票) over the local cloud: HTTP in, SQLite on
 * disk, the provider sandbox, PDFs, storage and mail to the capture server. Caps are small here
 * (3 top-ups, ¥100 per invoice) so splits show with a few orders.
 */
const CARD_C = '3104000011112223'
const VALID_TAX_ID = '91420100MA4K0000XJ'
const token = () => crypto.randomBytes(10).toString('hex')
let seq = 0
const name = (base: string) => `${base}${++seq}`

let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({
    env: {
      PROVIDER_SANDBOX_LATENCY_MS: '0',
      INVOICE_MAX_ORDERS: '3',
      INVOICE_MAX_TOTAL_FEN: '10000',
      MAX_CARDS_PER_USER: '2',
      ENTERPRISE_MAX_CARDS: '3',
      BATCH_CHUNK_INVOICES: '2',
    },
  })
}, 30_000)
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/invoke', { mode: 'run' })
})

async function cardId(me: Client, cardNo: string): Promise<string> {
  const cards = (await me.ok('card', 'list')).cards as { id: string; cardNo: string }[]
  return cards.find((c) => c.cardNo === cardNo)?.id ?? (await me.ok('card', 'bind', { cardNo })).card.id
}

async function paid(me: Client, cardNo: string, amounts: number[]): Promise<string[]> {
  const id = await cardId(me, cardNo)
  const out: string[] = []
  for (const amountFen of amounts) {
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId: id, amountFen, clientToken: token() })
    await cloud.dev('/sandbox/pay/confirm', { prepayId: payment.package.replace('prepay_id=', '') })
    await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
    out.push(order.id)
  }
  return out
}

const company = async (me: Client) => (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: VALID_TAX_ID })).title

/** the live invoices of these orders, read from the tables: order -> invoice ids */
function claimsOf(orderIds: string[]): Map<string, string[]> {
  const rows = cloud.runtime.db.prepare('SELECT id, order_ids FROM invoices WHERE reversed_by_id IS NULL').all() as { id: string; order_ids: string }[]
  const out = new Map(orderIds.map((o) => [o, [] as string[]]))
  for (const r of rows) for (const o of JSON.parse(r.order_ids) as string[]) out.get(o)?.push(r.id)
  return out
}

const thisMonth = () => {
  const d = new Date(Date.now() + 8 * 3600_000)
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

describe('card groups and the enterprise card limit', () => {
  it('sets, renames, lists by and clears a group; refuses bad labels and cards of others', async () => {
    const me = await cloud.login(name('分组'))
    const a = await cardId(me, CARD_A)
    const b = await cardId(me, CARD_B)
    expect((await me.ok('card', 'setGroup', { cardId: a, group: ' 市场部 ' })).card).toMatchObject({ id: a, group: '市场部' })
    expect((await me.ok('card', 'list', { group: '市场部' })).cards.map((c: { id: string }) => c.id)).toEqual([a])
    expect((await me.ok('card', 'list', { group: '' })).cards.map((c: { id: string }) => c.id)).toEqual([b])
    expect((await me.ok('card', 'setGroup', { cardId: a, group: '销售部' })).card.group).toBe('销售部')
    expect((await me.ok('card', 'list', { group: '市场部' })).cards).toEqual([])
    const cleared = (await me.ok('card', 'setGroup', { cardId: a, group: null })).card
    expect(cleared.group ?? null).toBeNull()
    expect((await me.ok('card', 'list', { group: '' })).cards).toHaveLength(2)

    for (const group of ['一'.repeat(21), '市场\u0007部', '<b>部</b>']) {
      expect((await me.call('card', { action: 'setGroup', cardId: a, group })).body.error.code).toBe('CARD.GROUP_INVALID')
    }
    const other = await cloud.login(name('别人'))
    expect((await other.call('card', { action: 'setGroup', cardId: a, group: '偷' })).body.error.code).toBe('CARD.NOT_FOUND')
    expect((await me.ok('card', 'list')).cards.find((c: { id: string }) => c.id === a).group ?? null).toBeNull()
  })

  it('lets a person with an enterprise title bind up to ENTERPRISE_MAX_CARDS, others MAX_CARDS_PER_USER', async () => {
    const me = await cloud.login(name('限额'))
    await cardId(me, CARD_A)
    await cardId(me, CARD_B)
    expect((await me.call('card', { action: 'bind', cardNo: CARD_C })).body.error.code).toBe('CARD.LIMIT_REACHED')
    await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })
    expect((await me.call('card', { action: 'bind', cardNo: CARD_C })).body.error.code).toBe('CARD.LIMIT_REACHED')
    await company(me)
    await me.ok('card', 'bind', { cardNo: CARD_C })
    const fourth = await me.call('card', { action: 'bind', cardNo: '3104000022223332' })
    expect(fourth.body.error).toMatchObject({ code: 'CARD.LIMIT_REACHED', message: expect.stringContaining('3') })
  })
})

describe('batch invoicing', () => {
  it('previews the split under the caps, per card or mixed, without writing anything', async () => {
    const me = await cloud.login(name('预览'))
    const title = await company(me)
    await paid(me, CARD_A, [3000, 3000, 3000, 3000])
    await paid(me, CARD_B, [1000, 2000])
    const base = { titleId: title.id, period: { kind: 'months', months: [thisMonth()] }, cards: { kind: 'all' } }
    const perCard = await me.ok('batch', 'preview', { ...base, mode: 'per_card' })
    expect(perCard).toMatchObject({ orderCount: 6, totalFen: 15000, caps: { maxOrders: 3, maxTotalFen: 10000 } })
    for (const inv of perCard.invoices) {
      expect(inv.cardNos).toHaveLength(1)
      expect(inv.orderCount).toBeLessThanOrEqual(3)
      expect(inv.amountFen).toBeLessThanOrEqual(10000)
    }
    // card A: three top-ups | one; card B: both (3 per invoice at most)
    expect(perCard.invoices.map((i: { amountFen: number }) => i.amountFen)).toEqual([9000, 3000, 3000])
    // mixed: any three of them stay under ¥100, so two invoices of three, one of them with both cards
    const mixed = await me.ok('batch', 'preview', { ...base, mode: 'mixed' })
    expect(mixed.invoiceCount).toBe(2)
    expect(mixed.invoices.map((i: { orderCount: number }) => i.orderCount)).toEqual([3, 3])
    expect(mixed.invoices.some((i: { cardNos: string[] }) => i.cardNos.length === 2)).toBe(true)
    expect((await me.ok('batch', 'list')).items).toEqual([])

    // a month with nothing, a bad period, someone else's title
    expect((await me.ok('batch', 'preview', { ...base, mode: 'mixed', period: { kind: 'months', months: ['2020-01'] } })).orderCount).toBe(0)
    const badRange = await me.call('batch', { action: 'preview', ...base, mode: 'mixed', period: { kind: 'range', from: '2026-02-30', to: '2026-03-01' } })
    expect(badRange.body.error.code).toBe('BATCH.INVALID')
    const other = await cloud.login(name('别人的抬头'))
    expect((await other.call('batch', { action: 'preview', ...base, mode: 'mixed' })).body.error.code).toBe('TITLE.NOT_FOUND')
  })

  it('runs a batch to the end: one invoice per order, issued with PDFs and mail; the same batch again creates nothing', async () => {
    const me = await cloud.login(name('批量'))
    const title = await company(me)
    const a = await paid(me, CARD_A, [3000, 3000, 3000, 3000])
    const b = await paid(me, CARD_B, [2000, 2000])
    const orderIds = [...a, ...b]
    const spec = {
      titleId: title.id,
      period: { kind: 'months', months: [thisMonth()] },
      cards: { kind: 'all' },
      mode: 'per_card',
      email: 'finance@example.com',
    }
    const clientToken = token()
    const { job } = await me.ok('batch', 'create', { ...spec, clientToken })
    expect(job).toMatchObject({ status: 'running', orderCount: 6, invoiceCount: 3, totalFen: 16000 })
    const done = await eventually(async () => {
      const j = (await me.ok('batch', 'get', { jobId: job.id })).job
      return j.status === 'done' && j
    }, 30_000)
    expect(done).toMatchObject({ done: 3, invoicesCreated: 3, ordersInvoiced: 6, ordersSkipped: 0, failed: 0 })
    const claims = claimsOf(orderIds)
    for (const [, invs] of claims) expect(invs).toHaveLength(1)
    const { items } = await me.ok('batch', 'get', { jobId: job.id })
    expect(items.map((i: { status: string }) => i.status)).toEqual(['requested', 'requested', 'requested'])
    await eventually(async () => {
      for (const i of items) if ((await me.ok('invoice', 'get', { invoiceId: i.invoiceId })).invoice.status !== 'issued') return false
      return true
    }, 20_000)
    const detail = (await me.ok('invoice', 'get', { invoiceId: items[0].invoiceId })).invoice
    expect(detail.pdf.bytes).toBeGreaterThan(1000)
    expect(detail.title).toMatchObject({ name: '武汉示例科技有限公司', taxId: VALID_TAX_ID })
    await eventually(async () => cloud.smtp.list({ to: 'finance@example.com' }).length >= 3, 20_000)

    // the same confirmation again: the same job; a new confirmation of the same batch: nothing left
    const again = await me.ok('batch', 'create', { ...spec, clientToken })
    expect(again.job.id).toBe(job.id)
    const twice = await me.call('batch', { action: 'create', ...spec, clientToken: token() })
    expect(twice.body.error.code).toBe('BATCH.NOTHING_TO_INVOICE')
    const reused = await me.call('batch', { action: 'create', ...spec, mode: 'mixed', clientToken })
    expect(reused.body.error.code).toBe('BATCH.CLIENT_TOKEN_REUSED')
    expect(invariantViolations(cloud)).toEqual([])
    expect(claimsOf(orderIds).size).toBe(6)
  }, 60_000)

  it('skips and counts an order a single request took meanwhile, never invoicing it twice', async () => {
    const me = await cloud.login(name('抢先'))
    const title = await company(me)
    const orderIds = await paid(me, CARD_A, [1000, 1000, 1000, 1000])
    await cloud.dev('/dev/api/invoke', { mode: 'lose' }) // the start is lost: the timer resumes the job
    const { job } = await me.ok('batch', 'create', {
      titleId: title.id,
      period: { kind: 'months', months: [thisMonth()] },
      cards: { kind: 'ids', cardIds: [await cardId(me, CARD_A)] },
      mode: 'mixed',
      email: null,
      clientToken: token(),
    })
    expect(job.invoiceCount).toBe(2)
    await me.ok('invoice', 'request', { orderIds: [orderIds[3]], titleId: title.id, email: null, clientToken: token() })
    await cloud.dev('/dev/api/invoke', { mode: 'run' })
    await cloud.dev('/dev/api/triggers/batch', {})
    const done = await eventually(async () => {
      const j = (await me.ok('batch', 'get', { jobId: job.id })).job
      return j.status === 'done' && j
    }, 20_000)
    // the plan is [3, 1] under the caps; which planned invoice held the taken top-up depends on the
    // order the plan lists them in: a planned invoice left with no free top-up is skipped, not made
    const { items } = await me.ok('batch', 'get', { jobId: job.id })
    const emptied = items.filter((i: { orderCount: number; status: string }) => i.orderCount === 1 && i.status === 'skipped').length
    expect(done).toMatchObject({ invoicesCreated: 2 - emptied, ordersInvoiced: 3, ordersSkipped: 1 })
    for (const [, invs] of claimsOf(orderIds)) expect(invs).toHaveLength(1)
    expect(invariantViolations(cloud)).toEqual([])
  }, 60_000)

  it('keeps jobs to their owner and stops a cancelled job before its next chunk', async () => {
    const me = await cloud.login(name('取消'))
    const title = await company(me)
    const a = await cardId(me, CARD_A)
    await me.ok('card', 'setGroup', { cardId: a, group: '行政部' })
    const orderIds = await paid(me, CARD_A, [1000, 1000, 1000, 1000, 1000, 1000, 1000])
    await paid(me, CARD_B, [1000]) // not in the group
    await cloud.dev('/dev/api/invoke', { mode: 'lose' })
    const spec = { titleId: title.id, period: { kind: 'months', months: [thisMonth()] }, cards: { kind: 'group', group: '行政部' }, mode: 'mixed', email: null }
    const { job } = await me.ok('batch', 'create', { ...spec, clientToken: token() })
    expect(job).toMatchObject({ orderCount: 7, invoiceCount: 3, cardsLabel: '分组「行政部」' })

    const other = await cloud.login(name('旁人'))
    for (const action of ['get', 'cancel']) expect((await other.call('batch', { action, jobId: job.id })).body.error.code).toBe('BATCH.NOT_FOUND')
    expect((await other.ok('batch', 'list')).items).toEqual([])
    expect((await other.call('batch', { action: 'preview', ...spec, cards: { kind: 'ids', cardIds: [a] } })).body.error.code).toBe('TITLE.NOT_FOUND')
    // a client cannot pose as the timer or a kick
    expect((await other.call('batch', { kick: 'batch', jobId: job.id })).body.error.code).toBe('COMMON.UNKNOWN_ACTION')

    const cancelled = (await me.ok('batch', 'cancel', { jobId: job.id })).job
    expect(cancelled.status).toBe('cancelled')
    await cloud.dev('/dev/api/invoke', { mode: 'run' })
    await cloud.dev('/dev/api/triggers/batch', {})
    const after = (await me.ok('batch', 'get', { jobId: job.id })).job
    expect(after).toMatchObject({ status: 'cancelled', done: 0, invoicesCreated: 0 })
    for (const [, invs] of claimsOf(orderIds)) expect(invs).toHaveLength(0)
    expect((await me.call('batch', { action: 'cancel', jobId: job.id })).body.ok).toBe(true)
    expect((await me.ok('batch', 'list')).items.map((j: { id: string }) => j.id)).toEqual([job.id])
  }, 60_000)
})

describe('已开票 filters by title and card group', () => {
  it('lists the invoices of one of my titles, and of the cards of a group', async () => {
    const me = await cloud.login(name('筛选'))
    const firm = await company(me)
    const person = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
    const a = await cardId(me, CARD_A)
    await me.ok('card', 'setGroup', { cardId: a, group: '市场部' })
    const [oa] = await paid(me, CARD_A, [1000])
    const [ob] = await paid(me, CARD_B, [1000])
    const onA = (await me.ok('invoice', 'request', { orderIds: [oa], titleId: firm.id, email: null, clientToken: token() })).invoice
    const onB = (await me.ok('invoice', 'request', { orderIds: [ob], titleId: person.id, email: null, clientToken: token() })).invoice
    const ids = async (filter: Record<string, unknown>) => (await me.ok('invoice', 'list', filter)).items.map((i: { id: string }) => i.id)
    expect(await ids({ titleId: firm.id })).toEqual([onA.id])
    expect(await ids({ titleId: person.id })).toEqual([onB.id])
    expect(await ids({ group: '市场部' })).toEqual([onA.id])
    expect(await ids({ group: '' })).toEqual([onB.id])
    expect(await ids({ group: '没有这个组' })).toEqual([])
    expect(await ids({ group: '市场部', titleId: person.id })).toEqual([])

    // 待开票 by group: two more top-ups, one per card
    const [pa] = await paid(me, CARD_A, [1500])
    const [pb] = await paid(me, CARD_B, [1500])
    const pending = async (input: Record<string, unknown>) => (await me.ok('invoice', 'listUninvoiced', input)).items.map((o: { id: string }) => o.id)
    expect(await pending({ group: '市场部' })).toEqual([pa])
    expect(await pending({ group: '' })).toEqual([pb])
    expect(await pending({ group: '没有这个组' })).toEqual([])
    expect((await pending({})).sort()).toEqual([pa, pb].sort())

    const other = await cloud.login(name('别人的筛选'))
    expect((await other.call('invoice', { action: 'list', titleId: firm.id })).body.error.code).toBe('TITLE.NOT_FOUND')
    expect((await other.ok('invoice', 'list', { group: '市场部' })).items).toEqual([])
  })
})
