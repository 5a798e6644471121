import crypto from 'node:crypto'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * The payment callback is acknowledged at once (issue 7 item 5): payNotify records the payment
 * and the automatic invoice request, starts the invoice worker for that invoice and answers;
 * the worker issues it in its own invocation, and its timer is the safety net. Over the local
 * cloud: HTTP, SQLite on disk, the pay and provider sandboxes, the function host's direct
 * invocation (SOURCE scf, as cloud.callFunction), no timers unless fired by hand.
 */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { RECONCILE_GRACE_SECONDS: '0', PROVIDER_SANDBOX_LATENCY_MS: '0' } })
}, 30_000)
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/pay/delivery', { mode: 'once' })
  await cloud.dev('/dev/api/provider', { latencyMs: 0, failureRate: 0 })
  await cloud.dev('/dev/api/invoke', { mode: 'run' })
})

let seq = 0
const token = () => crypto.randomBytes(10).toString('hex')

interface Paid {
  me: Client
  orderId: string
}

/** A person with automatic invoicing on, and a top-up paid at the sandbox whose callback is held back. */
async function paidWithoutCallback(base: string, amountFen = 5000): Promise<Paid> {
  const me = await cloud.login(`${base}${++seq}`)
  await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' })
  await me.ok('profile', 'updateSettings', { autoInvoice: true, defaultEmail: `ack${seq}@example.com` })
  const { card } = await me.ok('card', 'bind', { cardNo: CARD_A })
  await cloud.dev('/dev/api/pay/delivery', { mode: 'never' })
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId: card.id, amountFen, clientToken: token() })
  const r = await fetch(`${cloud.url}/sandbox/pay/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
  })
  expect(r.status).toBe(200)
  return { me, orderId: order.id }
}

const invoiceOf = (orderId: string) => cloud.runtime.deps.invoices.findByOrderId(orderId)
const startsFor = (invoiceId: string) => cloud.runtime.invoker.starts.filter((s) => s.invoiceId === invoiceId)
const issued = (orderId: string, timeoutMs = 15_000) =>
  eventually(async () => {
    const inv = await invoiceOf(orderId)
    return inv?.status === 'issued' ? inv : null
  }, timeoutMs)

/** One delivery of the callback, timed from the call to payNotify's answer. */
async function deliver(orderId: string, times = 1): Promise<{ answers: number[]; ms: number }> {
  const t = process.hrtime.bigint()
  const answers = await cloud.runtime.pay.deliverNow(orderId, times)
  return { answers, ms: Number(process.hrtime.bigint() - t) / 1e6 }
}

describe('payment acknowledged at once, invoice issued right after', () => {
  it('answers errcode 0 while the provider is still issuing (3 s), then the direct path issues without any timer', async () => {
    await cloud.dev('/dev/api/provider', { latencyMs: 3000 })
    const { me, orderId } = await paidWithoutCallback('秒回')

    const { answers, ms } = await deliver(orderId)
    expect(answers).toEqual([0])
    // Answered before the provider could have issued: waiting on it takes at least 3 s.
    expect(ms).toBeLessThan(3000)
    // At the answer: the payment and the invoice request are recorded, the invoice is not issued
    // yet, and the worker has been started for exactly that invoice.
    expect((await me.ok('topup', 'getOrder', { orderId })).order.status).toBe('paid')
    const requested = await invoiceOf(orderId)
    expect(requested).toMatchObject({ source: 'auto', amountFen: 5000 })
    expect(requested!.status).not.toBe('issued')
    expect(startsFor(requested!.id)).toEqual([expect.objectContaining({ mode: 'run' })])

    // No timer runs in this cloud (timers: false): only the direct path can issue it.
    const inv = await issued(orderId)
    expect(inv.pdfSha256).toMatch(/^[0-9a-f]{64}$/)
    expect((await cloud.runtime.deps.invoices.events(inv.id)).map((e) => e.type)).toEqual(
      expect.arrayContaining(['requested', 'submitted', 'issued', 'stored']),
    )
    // and the person hears of it the usual way: the e-mail with both files
    const mail = await cloud.smtp.waitFor({ to: inv.email! }, 10_000)
    expect(mail.attachments.map((a) => a.filename).sort()).toEqual([`${inv.invoiceNo}.pdf`, `${inv.invoiceNo}.xml`])
  }, 30_000)

  it.each(['refuse', 'lose'] as const)(
    'with the direct path failing (%s) the payment is still acknowledged and the worker timer issues the invoice',
    async (mode) => {
      await cloud.dev('/dev/api/invoke', { mode })
      const { orderId } = await paidWithoutCallback(`直连失败${mode}`)
      const { answers } = await deliver(orderId)
      expect(answers).toEqual([0])
      const inv = (await invoiceOf(orderId))!
      expect(inv.status).toBe('requested')
      expect(startsFor(inv.id)).toEqual([expect.objectContaining({ mode })])
      // nothing else moves it ...
      await new Promise((r) => setTimeout(r, 200))
      expect((await invoiceOf(orderId))!.status).toBe('requested')
      // ... until the safety net fires
      await cloud.dev('/dev/api/invoke', { mode: 'run' })
      const tick = await cloud.dev('/dev/api/triggers/invoiceWorker', {})
      expect(tick).toMatchObject({ ok: true, data: { issued: expect.any(Number) } })
      expect(tick.data.issued).toBeGreaterThanOrEqual(1)
      expect((await invoiceOf(orderId))!.status).toBe('issued')
    },
    30_000,
  )

  it('40 concurrent deliveries: one paid transition, one invoice, one start of the worker, issued once', async () => {
    const { orderId } = await paidWithoutCallback('并发秒回')
    const { answers } = await deliver(orderId, 40)
    expect(answers).toEqual(Array(40).fill(0))
    const inv = await issued(orderId)
    expect((await cloud.runtime.deps.orders.events(orderId)).filter((e) => e.type === 'paid')).toHaveLength(1)
    expect(cloud.runtime.db.prepare('SELECT COUNT(*) n FROM invoice_orders WHERE order_id = ?').get(orderId)).toEqual({ n: 1 })
    expect(startsFor(inv.id)).toHaveLength(1)
    expect(inv.attempts).toBe(1)
    expect((await cloud.runtime.deps.invoices.events(inv.id)).filter((e) => e.type === 'issued')).toHaveLength(1)
    // a late redelivery changes nothing and starts nothing
    expect((await deliver(orderId)).answers).toEqual([0])
    expect(startsFor(inv.id)).toHaveLength(1)
  }, 30_000)

  it('the answer does not wait for the worker even when the worker is slow to start (inline mode shows the old behaviour)', async () => {
    // "inline" makes the start wait for the whole worker run, as payNotify did before: the
    // same callback then takes as long as the provider. This guards the test above: it would
    // fail if the ack ever waited on the worker again.
    await cloud.dev('/dev/api/provider', { latencyMs: 1500 })
    await cloud.dev('/dev/api/invoke', { mode: 'inline' })
    const { orderId } = await paidWithoutCallback('旧行为')
    const { answers, ms } = await deliver(orderId)
    expect(answers).toEqual([0])
    expect(ms).toBeGreaterThanOrEqual(1500)
    expect((await invoiceOf(orderId))!.status).toBe('issued')
  }, 30_000)

  it("reconcile's automatic invoices take the same direct path", async () => {
    await cloud.dev('/dev/api/provider', { latencyMs: 2000 })
    const { orderId } = await paidWithoutCallback('对账秒回')
    const r = await cloud.dev('/dev/api/triggers/reconcile', {})
    expect(r).toMatchObject({ ok: true })
    expect(r.data.paid).toBeGreaterThanOrEqual(1)
    const inv = (await invoiceOf(orderId))!
    expect(inv.status).not.toBe('issued')
    expect(startsFor(inv.id)).toHaveLength(1)
    await issued(orderId)
  }, 30_000)
})

describe('invoiceWorker: who may start it', () => {
  it('advances the named invoice for another function (SOURCE scf, no OPENID), refusing bad and unknown kicks', async () => {
    await cloud.dev('/dev/api/invoke', { mode: 'lose' })
    const { orderId } = await paidWithoutCallback('直接调用')
    await deliver(orderId)
    const inv = (await invoiceOf(orderId))!
    expect(inv.status).toBe('requested')

    expect(await cloud.invoke('invoiceWorker', { kick: 'issue', invoiceId: inv.id }, 'scf')).toEqual({
      ok: true,
      data: { invoiceId: inv.id, status: 'issued' },
    })
    // a second kick is harmless: nothing is issued twice
    expect(await cloud.invoke('invoiceWorker', { kick: 'issue', invoiceId: inv.id }, 'scf')).toMatchObject({ ok: true, data: { status: 'issued' } })
    expect((await cloud.runtime.deps.invoices.events(inv.id)).filter((e) => e.type === 'issued')).toHaveLength(1)

    expect(await cloud.invoke('invoiceWorker', { kick: 'issue', invoiceId: 'INVNOSUCH000' }, 'scf')).toMatchObject({
      ok: false,
      error: { code: 'INVOICE.NOT_FOUND' },
    })
    for (const bad of [
      {},
      { kick: 'sweep' },
      { kick: 'issue' },
      { kick: 'issue', invoiceId: 'x'.repeat(65) },
      { kick: 'issue', invoiceId: inv.id, openid: 'o1' },
      null,
    ]) {
      expect(await cloud.invoke('invoiceWorker', bad, 'scf')).toMatchObject({ ok: false, error: { code: 'COMMON.BAD_REQUEST' } })
    }
  }, 30_000)

  it('refuses a kick from a client, a client through a function, the pay callback, HTTP and outside WeChat', async () => {
    const { orderId } = await paidWithoutCallback('越权调用')
    await cloud.dev('/dev/api/invoke', { mode: 'lose' })
    await deliver(orderId)
    const inv = (await invoiceOf(orderId))!
    const kick = { kick: 'issue', invoiceId: inv.id }
    const me = await cloud.login('越权客户端')
    expect((await me.call('invoiceWorker', kick)).body).toMatchObject({ ok: false, error: { code: 'COMMON.FORBIDDEN' } })
    expect(await cloud.invoke('invoiceWorker', kick, 'scf', me.openid)).toMatchObject({ ok: false, error: { code: 'COMMON.FORBIDDEN' } })
    for (const source of ['wx_paycallback', 'wx_http', 'external', 'wx_devtools'] as const) {
      expect([source, await cloud.invoke('invoiceWorker', kick, source)]).toEqual([source, expect.objectContaining({ ok: false })])
    }
    expect((await invoiceOf(orderId))!.status).toBe('requested')
  }, 30_000)
})
