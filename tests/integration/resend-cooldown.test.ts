import crypto from 'node:crypto'
import { CARD_A, eventually, startTestCloud, type TestCloud } from '../helpers/local-cloud'

/** 补发 is rate-limited per invoice and address: INVOICE_RESEND_COOLDOWN_SECONDS since the last mail to that address. */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_RESEND_COOLDOWN_SECONDS: '60' } })
}, 30_000)
afterAll(() => cloud.close())

const token = () => crypto.randomBytes(10).toString('hex')
let offsetMs = 0
const moveClock = async (ms: number) => cloud.dev('/dev/api/clock', { offsetMs: (offsetMs += ms) })

it('refuses a second re-send within the cooldown as INVOICE.RESEND_TOO_SOON and lets it go once the cooldown has passed', async () => {
  const me = await cloud.login('补发冷却')
  const to = 'cooldown@example.com'
  const cardId = (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 3000, clientToken: token() })
  await fetch(`${cloud.url}/sandbox/pay/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
  })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
  const { invoice } = await me.ok('invoice', 'request', { orderIds: [order.id], titleId: title.id, email: to, clientToken: token() })
  await eventually(async () => (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.status === 'issued')
  await cloud.smtp.waitFor({ to }, 10_000)
  await moveClock(61_000)
  await me.ok('invoice', 'resend', { invoiceId: invoice.id })

  const tooSoon = await me.call('invoice', { action: 'resend', invoiceId: invoice.id })
  await moveClock(61_000)
  const later = await me.call('invoice', { action: 'resend', invoiceId: invoice.id })

  expect(tooSoon.body).toMatchObject({ ok: false, error: { code: 'INVOICE.RESEND_TOO_SOON' } })
  expect(later.body).toMatchObject({ ok: true, data: { queued: true } })
  expect(cloud.smtp.list({ to })).toHaveLength(3)
}, 30_000)

it('applies the cooldown per address and says how many seconds remain', async () => {
  const me = await cloud.login('补发冷却按邮箱')
  const to = 'first@example.com'
  const other = 'colleague@example.com'
  const cardId = (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 2000, clientToken: token() })
  await cloud.dev('/sandbox/pay/confirm', { prepayId: payment.package.replace('prepay_id=', '') })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '李四' })).title
  const { invoice } = await me.ok('invoice', 'request', { orderIds: [order.id], titleId: title.id, email: to, clientToken: token() })
  await eventually(async () => (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.status === 'issued')
  await cloud.smtp.waitFor({ to }, 10_000)

  // the first mail went out just now: the same address (any case) waits, the seconds are counted
  const same = await me.call('invoice', { action: 'resend', invoiceId: invoice.id, email: 'First@Example.com' })
  expect(same.body).toMatchObject({ ok: false, error: { code: 'INVOICE.RESEND_TOO_SOON', details: { retryAfterSeconds: expect.any(Number) } } })
  const seconds = same.body.error.details.retryAfterSeconds as number
  expect(seconds).toBeGreaterThan(50)
  expect(seconds).toBeLessThanOrEqual(60)
  expect(same.body.error.message).toContain(`${seconds} 秒`)

  // another address goes at once, and then has its own cooldown
  await me.ok('invoice', 'resend', { invoiceId: invoice.id, email: other })
  await cloud.smtp.waitFor({ to: other }, 10_000)
  const otherAgain = await me.call('invoice', { action: 'resend', invoiceId: invoice.id, email: other })
  expect(otherAgain.body).toMatchObject({ ok: false, error: { code: 'INVOICE.RESEND_TOO_SOON' } })

  // 40 s later the first address waits 20 s less
  await moveClock(40_000)
  const later = await me.call('invoice', { action: 'resend', invoiceId: invoice.id, email: to })
  expect(later.body.error.details.retryAfterSeconds).toBeLessThanOrEqual(seconds - 39)
  await moveClock(21_000)
  await me.ok('invoice', 'resend', { invoiceId: invoice.id, email: to })
  expect(cloud.smtp.list({ to })).toHaveLength(2)
  expect(cloud.smtp.list({ to: other })).toHaveLength(1)
}, 30_000)
