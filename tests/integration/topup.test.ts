import crypto from 'node:crypto'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud()
})
afterAll(() => cloud.close())

const token = () => crypto.randomBytes(12).toString('hex')
const prepayIdOf = (payment: { package: string }) => payment.package.replace('prepay_id=', '')
const countOrders = () => (cloud.runtime.db.prepare('SELECT COUNT(*) AS n FROM topup_orders').get() as { n: number }).n

async function userWithCard(name: string): Promise<{ me: Client; cardId: string }> {
  const me = await cloud.login(name)
  const { card } = await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '我的卡' })
  return { me, cardId: card.id }
}

async function confirmOnSandbox(prepayId: string) {
  const r = await fetch(`${cloud.url}/sandbox/pay/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prepayId }),
  })
  return { status: r.status, body: await r.json() }
}

describe('top-up over the local cloud', () => {
  it('tells the client the presets and limits from configuration', async () => {
    const me = await cloud.login('看配置')
    expect(await me.ok('topup', 'config')).toEqual({
      presetsFen: [2000, 5000, 10000, 20000],
      minFen: 1000,
      maxFen: 50000,
      orderTtlMinutes: 30,
      maxCardsPerUser: 10,
    })
  })

  it('creates an order stored before payment, pays on the sandbox, and shows it paid in the list', async () => {
    const { me, cardId } = await userWithCard('充值用户')
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 5000, clientToken: token() })
    expect(order).toMatchObject({ status: 'created', amountFen: 5000, cardNo: CARD_A, cardNickname: '我的卡', paidAt: null })
    expect(order.id.length).toBeLessThanOrEqual(32)
    expect(payment).toEqual({
      appId: expect.any(String),
      timeStamp: expect.stringMatching(/^\d+$/),
      nonceStr: expect.any(String),
      package: expect.stringMatching(/^prepay_id=/),
      signType: expect.any(String),
      paySign: expect.any(String),
    })
    // the sandbox page shows our amount
    const page = await (await fetch(`${cloud.url}/sandbox/pay?prepayId=${prepayIdOf(payment)}&return=/`)).text()
    expect(page).toContain('¥50.00')

    expect((await confirmOnSandbox(prepayIdOf(payment))).status).toBe(200)
    const paid = await eventually(async () => {
      const { order: o } = await me.ok('topup', 'getOrder', { orderId: order.id })
      return o.status === 'paid' ? o : null
    })
    expect(paid.transactionId).toMatch(/^42000/)
    expect(paid.paidAt).not.toBeNull()
    const list = await me.ok('topup', 'listOrders')
    expect(list.items.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([[order.id, 'paid']])
    expect(list.nextCursor).toBeNull()
  })

  it('gives the same order back for a repeated tap with the same clientToken, even concurrently', async () => {
    const { me, cardId } = await userWithCard('连点用户')
    const t = token()
    const before = countOrders()
    const results = await Promise.all(Array.from({ length: 8 }, () => me.ok('topup', 'createOrder', { cardId, amountFen: 2000, clientToken: t })))
    expect(new Set(results.map((r) => r.order.id)).size).toBe(1)
    expect(countOrders()).toBe(before + 1)
    const reused = await me.call('topup', { action: 'createOrder', cardId, amountFen: 10000, clientToken: t })
    expect(reused.body.error.code).toBe('ORDER.CLIENT_TOKEN_REUSED')
  })

  it.each([
    [-100, 'ORDER.AMOUNT_INVALID'],
    [0, 'ORDER.AMOUNT_INVALID'],
    [20.5, 'ORDER.AMOUNT_INVALID'],
    [1e20, 'ORDER.AMOUNT_INVALID'],
    [999, 'ORDER.AMOUNT_OUT_OF_RANGE'],
    [50001, 'ORDER.AMOUNT_OUT_OF_RANGE'],
    ['2000', 'COMMON.BAD_REQUEST'],
    [null, 'COMMON.BAD_REQUEST'],
  ])('refuses amount %p with %s and stores nothing', async (amountFen, code) => {
    const { me, cardId } = await userWithCard(`金额${String(amountFen).slice(0, 10)}`)
    const before = countOrders()
    const r = await me.call('topup', { action: 'createOrder', cardId, amountFen, clientToken: token() })
    expect(r.body).toEqual({ ok: false, error: { code, message: expect.any(String) } })
    expect(countOrders()).toBe(before)
  })

  it('refuses a bad clientToken and an oversized cursor', async () => {
    const { me, cardId } = await userWithCard('坏令牌')
    expect((await me.call('topup', { action: 'createOrder', cardId, amountFen: 2000, clientToken: 'a b' })).body.error.code).toBe('COMMON.BAD_REQUEST')
    expect((await me.call('topup', { action: 'listOrders', cursor: 'x'.repeat(201) })).body.error.code).toBe('COMMON.BAD_REQUEST')
    expect((await me.call('topup', { action: 'listOrders', cursor: 'bm9wZQ' })).body.error.code).toBe('COMMON.BAD_REQUEST')
    expect((await me.call('topup', { action: 'listOrders', limit: 1000 })).body.error.code).toBe('COMMON.BAD_REQUEST')
  })

  it('refuses topping up through someone else’s card id, and hides someone else’s order', async () => {
    const { me: owner, cardId } = await userWithCard('卡主')
    const other = await cloud.login('旁人')
    const before = countOrders()
    const r = await other.call('topup', { action: 'createOrder', cardId, amountFen: 2000, clientToken: token() })
    expect(r.body.error.code).toBe('CARD.NOT_FOUND')
    expect(countOrders()).toBe(before)

    const { order } = await owner.ok('topup', 'createOrder', { cardId, amountFen: 2000, clientToken: token() })
    for (const action of ['getOrder', 'repay']) {
      expect((await other.call('topup', { action, orderId: order.id })).body.error.code).toBe('ORDER.NOT_FOUND')
    }
    expect((await other.ok('topup', 'listOrders')).items).toEqual([])
  })

  it('pages the order list newest first with a cursor', async () => {
    const { me, cardId } = await userWithCard('分页用户')
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await me.ok('topup', 'createOrder', { cardId, amountFen: 2000 + i, clientToken: token() })).order.id)
    const p1 = await me.ok('topup', 'listOrders', { limit: 2 })
    const p2 = await me.ok('topup', 'listOrders', { limit: 2, cursor: p1.nextCursor })
    const p3 = await me.ok('topup', 'listOrders', { limit: 2, cursor: p2.nextCursor })
    expect([...p1.items, ...p2.items, ...p3.items].map((o: { id: string }) => o.id)).toEqual(ids.reverse())
    expect(p3.nextCursor).toBeNull()
  })

  it('lets the person pay again (repay) while the order is open, but not after it is paid', async () => {
    const { me, cardId } = await userWithCard('再次支付')
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 2000, clientToken: token() })
    const again = await me.ok('topup', 'repay', { orderId: order.id })
    expect(prepayIdOf(again.payment)).toBe(prepayIdOf(payment))
    await confirmOnSandbox(prepayIdOf(payment))
    await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
    expect((await me.call('topup', { action: 'repay', orderId: order.id })).body.error.code).toBe('ORDER.NOT_PAYABLE')
  })

  it('keeps data on disk across a restart of the local cloud', async () => {
    const { me, cardId } = await userWithCard('重启用户')
    const { order } = await me.ok('topup', 'createOrder', { cardId, amountFen: 2000, clientToken: token() })
    const dataDir = cloud.dataDir
    await cloud.close()
    cloud = await startTestCloud({ dataDir })
    const again = await cloud.login('重启用户')
    expect(again.openid).toBe(me.openid)
    expect((await again.ok('topup', 'getOrder', { orderId: order.id })).order.id).toBe(order.id)
    expect((await again.ok('card', 'list')).cards.map((c: { id: string }) => c.id)).toEqual([cardId])
  })
})
