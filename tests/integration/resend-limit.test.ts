import crypto from 'node:crypto'
import { CARD_A, CARD_B, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * 补发 has daily caps on top of the per-address cooldown: per invoice (any addresses) and per
 * person (all their invoices), counted in China-time days, holding under concurrent requests.
 */
const PER_INVOICE = 3
const PER_USER = 5
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({
    env: {
      PROVIDER_SANDBOX_LATENCY_MS: '0',
      INVOICE_RESEND_COOLDOWN_SECONDS: '0',
      INVOICE_RESEND_MAX_PER_INVOICE_PER_DAY: String(PER_INVOICE),
      INVOICE_RESEND_MAX_PER_USER_PER_DAY: String(PER_USER),
    },
  })
}, 30_000)
afterAll(() => cloud.close())

const token = () => crypto.randomBytes(10).toString('hex')
let offsetMs = 0
const moveClock = async (ms: number) => cloud.dev('/dev/api/clock', { offsetMs: (offsetMs += ms) })

async function issuedInvoice(me: Client, email: string, amountFen: number, cardNo = CARD_A): Promise<string> {
  const cardId = (await me.ok('card', 'bind', { cardNo })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: token() })
  await cloud.dev('/sandbox/pay/confirm', { prepayId: payment.package.replace('prepay_id=', '') })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '王五' })).title
  const { invoice } = await me.ok('invoice', 'request', { orderIds: [order.id], titleId: title.id, email, clientToken: token() })
  await eventually(async () => (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.status === 'issued')
  await cloud.smtp.waitFor({ to: email }, 10_000)
  return invoice.id
}

const resendAll = (me: Client, invoiceId: string, addresses: string[]) =>
  Promise.all(addresses.map((email) => me.call('invoice', { action: 'resend', invoiceId, email })))

const codes = (answers: { body: any }[]) => answers.map((a) => (a.body.ok ? 'ok' : a.body.error.code)).sort()

it('lets one invoice go to at most the daily number of addresses, even all at once, and again the next day', async () => {
  const me = await cloud.login('补发上限按发票')
  const invoiceId = await issuedInvoice(me, 'owner.limit@example.com', 1000)
  const addresses = Array.from({ length: 8 }, (_, i) => `bomb${i}@example.com`)

  const answers = await resendAll(me, invoiceId, addresses)

  expect(codes(answers)).toEqual([...Array(PER_INVOICE).fill('ok'), ...Array(8 - PER_INVOICE).fill('INVOICE.RESEND_LIMIT')].sort())
  const refused = answers.find((a) => !a.body.ok)!.body.error
  expect(refused.message).toContain('明天再试')
  expect(refused.details.retryAfterSeconds).toBeGreaterThan(0)
  expect(refused.details.retryAfterSeconds).toBeLessThanOrEqual(24 * 3600)
  await eventually(async () => addresses.filter((to) => cloud.smtp.list({ to }).length > 0).length === PER_INVOICE)
  // a later single try is refused too, and no mail leaves for it
  const late = await me.call('invoice', { action: 'resend', invoiceId, email: 'late@example.com' })
  expect(late.body).toMatchObject({ ok: false, error: { code: 'INVOICE.RESEND_LIMIT' } })
  expect(cloud.smtp.list({ to: 'late@example.com' })).toHaveLength(0)

  // once the China-time day has turned, the invoice may be re-sent again
  await moveClock(refused.details.retryAfterSeconds * 1000 + 1000)
  await me.ok('invoice', 'resend', { invoiceId, email: 'late@example.com' })
  await cloud.smtp.waitFor({ to: 'late@example.com' }, 10_000)
}, 60_000)

it("caps one person's re-sends per day across their invoices, without touching another person's", async () => {
  const me = await cloud.login('补发上限按用户')
  const first = await issuedInvoice(me, 'me.first@example.com', 1100)
  const second = await issuedInvoice(me, 'me.second@example.com', 1200, CARD_B)

  const one = await resendAll(me, first, ['u1@example.com', 'u2@example.com', 'u3@example.com'])
  const two = await resendAll(me, second, ['u4@example.com', 'u5@example.com', 'u6@example.com'])

  expect(codes(one)).toEqual(['ok', 'ok', 'ok'])
  expect(codes(two)).toEqual(['INVOICE.RESEND_LIMIT', 'ok', 'ok'])
  const refused = two.find((a) => !a.body.ok)!.body.error
  expect(refused.message).toContain(`今天已补发 ${PER_USER} 次`)
  expect(refused.message).toContain('明天再试')
  expect(refused.details).toMatchObject({ retryAfterSeconds: expect.any(Number), limit: PER_USER })

  const someoneElse = await cloud.login('补发上限别人')
  const theirs = await issuedInvoice(someoneElse, 'other.person@example.com', 1300)
  await someoneElse.ok('invoice', 'resend', { invoiceId: theirs, email: 'other.copy@example.com' })
}, 60_000)
