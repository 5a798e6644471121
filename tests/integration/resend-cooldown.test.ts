import crypto from 'node:crypto'
import { CARD_A, eventually, startTestCloud, type TestCloud } from '../helpers/local-cloud'

/** 补发 is rate-limited per invoice: INVOICE_RESEND_COOLDOWN_SECONDS since the last mail was queued. */
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
