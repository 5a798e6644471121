import crypto from 'node:crypto'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { RECONCILE_GRACE_SECONDS: '0' } })
})
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/pay/delivery', { mode: 'once' })
  await cloud.dev('/dev/api/clock', { offsetMs: 0 })
})

const prepayIdOf = (payment: { package: string }) => payment.package.replace('prepay_id=', '')
const events = (orderId: string) => cloud.runtime.deps.orders.events(orderId)
const paidEvents = async (orderId: string) => (await events(orderId)).filter((e) => e.type === 'paid')
const notifications = (orderId: string) =>
  cloud.runtime.db.prepare('SELECT outcome FROM pay_notifications WHERE out_trade_no = ? ORDER BY seq').all(orderId) as { outcome: string }[]

async function newOrder(name: string, amountFen = 2000): Promise<{ me: Client; orderId: string; prepayId: string }> {
  const me = await cloud.login(name)
  const { card } = await me.ok('card', 'bind', { cardNo: CARD_A })
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId: card.id, amountFen, clientToken: crypto.randomUUID() })
  return { me, orderId: order.id, prepayId: prepayIdOf(payment) }
}

const confirm = (prepayId: string) =>
  fetch(`${cloud.url}/sandbox/pay/confirm`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ prepayId }) })
const status = async (me: Client, orderId: string) => (await me.ok('topup', 'getOrder', { orderId })).order.status

describe('payment callback and reconciliation', () => {
  it('one callback delivered 50 times at once gives exactly one paid transition, and every delivery is acknowledged', async () => {
    await cloud.dev('/dev/api/pay/delivery', { mode: 'never' })
    const { me, orderId, prepayId } = await newOrder('并发回调')
    await confirm(prepayId)
    const { answers } = await cloud.dev('/dev/api/pay/deliver', { outTradeNo: orderId, times: 50 })
    expect(answers).toEqual(Array(50).fill(0))
    expect(await status(me, orderId)).toBe('paid')
    expect(await paidEvents(orderId)).toHaveLength(1)
    const outcomes = notifications(orderId).map((n) => n.outcome)
    expect(outcomes.filter((o) => o === 'settled')).toHaveLength(1)
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(49)
  })

  it('a callback delivered twice, a second apart, pays once', async () => {
    await cloud.dev('/dev/api/pay/delivery', { mode: 'twice' })
    const { me, orderId, prepayId } = await newOrder('两次回调')
    await confirm(prepayId)
    await eventually(async () => notifications(orderId).length === 2, 4000)
    expect(await status(me, orderId)).toBe('paid')
    expect(await paidEvents(orderId)).toHaveLength(1)
    expect(notifications(orderId).map((n) => n.outcome)).toEqual(['settled', 'duplicate'])
  })

  it('a late callback still settles the order', async () => {
    await cloud.dev('/dev/api/pay/delivery', { mode: 'late', lateMs: 300 })
    const { me, orderId, prepayId } = await newOrder('迟到回调')
    await confirm(prepayId)
    expect(await status(me, orderId)).toBe('created')
    await eventually(async () => (await status(me, orderId)) === 'paid', 4000)
  })

  it('a payment whose callback never comes is settled by the reconcile timer querying it', async () => {
    await cloud.dev('/dev/api/pay/delivery', { mode: 'never' })
    const { me, orderId, prepayId } = await newOrder('永不回调')
    await confirm(prepayId)
    await new Promise((r) => setTimeout(r, 100))
    expect(await status(me, orderId)).toBe('created')
    const r = await fetch(`${cloud.url}/dev/api/triggers/reconcile`, { method: 'POST' }).then((x) => x.json())
    expect(r.ok).toBe(true)
    expect(r.data.paid).toBeGreaterThanOrEqual(1)
    expect(await status(me, orderId)).toBe('paid')
    const [paid] = await paidEvents(orderId)
    expect(JSON.parse(paid.detail!).via).toBe('query')
  })

  it('closes an unpaid order after 30 minutes, at the payment side too, so it can no longer be paid', async () => {
    const { me, orderId, prepayId } = await newOrder('超时未付')
    await cloud.dev('/dev/api/triggers/reconcile', {})
    expect(await status(me, orderId)).toBe('created') // not expired yet
    await cloud.dev('/dev/api/clock', { offsetMs: 31 * 60_000 })
    await cloud.dev('/dev/api/triggers/reconcile', {})
    expect(await status(me, orderId)).toBe('closed')
    expect((await confirm(prepayId)).status).toBe(409)
    expect((await me.call('topup', { action: 'repay', orderId })).body.error.code).toBe('ORDER.NOT_PAYABLE')
  })

  it('does not mark paid a callback whose amount differs from our order, but records it for staff', async () => {
    await cloud.dev('/dev/api/pay/delivery', { mode: 'never' })
    const { me, orderId, prepayId } = await newOrder('金额不符', 5000)
    await confirm(prepayId)
    const { answers } = await cloud.dev('/dev/api/pay/deliver', { outTradeNo: orderId, times: 1, override: { totalFee: 1 } })
    expect(answers).toEqual([0])
    expect(await status(me, orderId)).toBe('created')
    expect((await events(orderId)).map((e) => e.type)).toContain('anomaly')
    expect(notifications(orderId).map((n) => n.outcome)).toEqual(['amount_mismatch'])
  })

  it('reconcile does not mark paid an order the payment side reports with another amount, and records it for staff', async () => {
    await cloud.dev('/dev/api/pay/delivery', { mode: 'never' })
    const { me, orderId, prepayId } = await newOrder('查询金额不符', 5000)
    await confirm(prepayId)
    cloud.runtime.pay.answerQueryWith(orderId, { totalFee: 1 })
    const r = await cloud.dev('/dev/api/triggers/reconcile', {})
    expect(r.data.errors).toBeGreaterThanOrEqual(1)
    expect(await status(me, orderId)).toBe('created')
    const anomalies = (await events(orderId)).filter((e) => e.type === 'anomaly')
    expect(anomalies.map((e) => e.detail)).toContainEqual(expect.stringContaining('AMOUNT_MISMATCH'))
  })

  it('reconcile does not mark paid an order the payment side reports with a malformed payment time', async () => {
    await cloud.dev('/dev/api/pay/delivery', { mode: 'never' })
    const { me, orderId, prepayId } = await newOrder('查询时间有误')
    await confirm(prepayId)
    cloud.runtime.pay.answerQueryWith(orderId, { timeEnd: '20261399999999' })
    await cloud.dev('/dev/api/triggers/reconcile', {})
    expect(await status(me, orderId)).toBe('created')
    expect((await events(orderId)).filter((e) => e.type === 'anomaly').map((e) => e.detail)).toContainEqual(expect.stringContaining('BAD_TIME'))
    cloud.runtime.pay.answerQueryWith(orderId, null)
    await cloud.dev('/dev/api/triggers/reconcile', {})
    expect(await status(me, orderId)).toBe('paid')
  })

  it('acknowledges a callback for an unknown order without inventing one', async () => {
    const ack = await cloud.invoke(
      'payNotify',
      { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: 'WT20260101000000ZZZZZZZZZZZZ', transactionId: 'x', totalFee: 1, timeEnd: '20260101000000' },
      'wx_paycallback',
    )
    expect(ack).toEqual({ errcode: 0, errmsg: 'OK' })
    expect(cloud.runtime.db.prepare("SELECT COUNT(*) n FROM topup_orders WHERE id = 'WT20260101000000ZZZZZZZZZZZZ'").get()).toEqual({ n: 0 })
  })

  it('refuses payNotify and reconcile called by a client: nobody can mark their own order paid', async () => {
    const { me, orderId } = await newOrder('伪造回调')
    const forged = await me.call('payNotify', {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: orderId,
      transactionId: 'fake',
      totalFee: 2000,
      timeEnd: '20261128120000',
    })
    expect(forged.body).toEqual({ errcode: 403, errmsg: 'FORBIDDEN' })
    expect((await me.call('reconcile', {})).body.error.code).toBe('COMMON.FORBIDDEN')
    expect(await status(me, orderId)).toBe('created')
  })

  it('asks WeChat to retry (non-zero errcode) when the notification cannot be recorded', async () => {
    const { orderId } = await newOrder('存储故障')
    const orders = cloud.runtime.deps.orders
    const original = orders.recordNotification
    orders.recordNotification = async () => {
      throw new Error('disk full')
    }
    try {
      const ack = await cloud.invoke(
        'payNotify',
        { returnCode: 'SUCCESS', resultCode: 'FAIL', outTradeNo: orderId, transactionId: 't', totalFee: 2000, timeEnd: '20261128120000' },
        'wx_paycallback',
      )
      expect(ack).toEqual({ errcode: 500, errmsg: 'RETRY' })
    } finally {
      orders.recordNotification = original
    }
  })
})
