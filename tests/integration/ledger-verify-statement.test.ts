import crypto from 'node:crypto'
import { invoiceNumbersIn } from '../../types/verify-rules'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * 验真 and the year statement through the local cloud (issue 8). 验真: our PDF and XML are
 * genuine, a PDF with one byte changed is altered (its number is still ours), a random file is
 * unknown; number + amount + date likewise; the answer never carries the buyer; a caller gets
 * VERIFY_MAX_PER_WINDOW checks per window. Statement: months of a year, topped up / invoiced /
 * not yet, with the days left in the request window.
 */
const VALID_TAX_ID = '91420100MA4K0000XJ'
const token = () => crypto.randomBytes(10).toString('hex')
const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex')
let seq = 0
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0', VERIFY_MAX_PER_WINDOW: '6' } })
}, 30_000)
afterAll(() => cloud.close())
afterEach(() => cloud.dev('/dev/api/clock', { offsetMs: 0 }))

async function paidOrders(me: Client, amounts: number[]): Promise<string[]> {
  const cards = (await me.ok('card', 'list')).cards as { id: string; cardNo: string }[]
  const cardId = cards.find((x) => x.cardNo === CARD_A)?.id ?? (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const ids: string[] = []
  for (const amountFen of amounts) {
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: token() })
    await fetch(`${cloud.url}/sandbox/pay/confirm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
    })
    await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
    ids.push(order.id)
  }
  return ids
}

async function issued(me: Client, amounts: number[]) {
  const title = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉买方保密有限公司', taxId: VALID_TAX_ID })).title
  const { invoice } = await me.ok('invoice', 'request', { orderIds: await paidOrders(me, amounts), titleId: title.id, clientToken: token() })
  expect(invoice.status).toBe('issued')
  const files = await me.ok('invoice', 'files', { invoiceId: invoice.id })
  const get = async (url: string) => new Uint8Array(await (await fetch(url, { headers: { Authorization: `Bearer ${me.token}` } })).arrayBuffer())
  return { invoice, pdf: await get(files.pdfUrl), xml: await get(files.xmlUrl) }
}

describe('验真', () => {
  it('says genuine for our PDF and XML, altered for one changed byte, unknown for another file; never the buyer', async () => {
    const owner = await cloud.login(`开票人${++seq}`)
    const { invoice, pdf, xml } = await issued(owner, [12345])
    const accountant = await cloud.login(`会计${++seq}`)

    expect(invoiceNumbersIn(pdf)).toEqual([invoice.invoiceNo])
    expect(invoiceNumbersIn(xml)).toContain(invoice.invoiceNo)
    const genuine = await accountant.ok('ledger', 'verifyFile', { sha256: sha(pdf), numbers: invoiceNumbersIn(pdf) })
    expect(genuine).toEqual({
      result: 'genuine',
      invoice: {
        invoiceNo: invoice.invoiceNo,
        issueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        amountFen: 12345,
        sellerName: expect.any(String),
        color: 'blue',
        reversed: false,
      },
      remaining: 5,
    })
    const text = JSON.stringify(genuine)
    for (const secret of ['武汉买方保密有限公司', VALID_TAX_ID, owner.openid]) expect(text).not.toContain(secret)
    expect((await accountant.ok('ledger', 'verifyFile', { sha256: sha(xml).toUpperCase() })).result).toBe('genuine')

    const altered = Uint8Array.from(pdf)
    const at = Math.floor(altered.length / 2)
    altered[at] = altered[at] ^ 0x01
    expect(invoiceNumbersIn(altered)).toEqual([invoice.invoiceNo])
    expect(await accountant.ok('ledger', 'verifyFile', { sha256: sha(altered), numbers: invoiceNumbersIn(altered) })).toEqual({
      result: 'altered',
      invoice: null,
      remaining: 3,
    })

    const random = crypto.randomBytes(4096)
    expect(await accountant.ok('ledger', 'verifyFile', { sha256: sha(random), numbers: invoiceNumbersIn(random) })).toEqual({
      result: 'unknown',
      invoice: null,
      remaining: 2,
    })
  }, 60_000)

  it('checks number + amount + date: all three must match', async () => {
    const owner = await cloud.login(`开票人${++seq}`)
    const { invoice } = await issued(owner, [8800])
    const accountant = await cloud.login(`会计${++seq}`)
    const day = new Date(Date.parse(invoice.issuedAt) + 8 * 3600_000).toISOString().slice(0, 10)
    const ok = await accountant.ok('ledger', 'verifyNumber', { invoiceNo: invoice.invoiceNo, amountFen: 8800, issueDate: day })
    expect(ok.result).toBe('genuine')
    expect(ok.invoice.amountFen).toBe(8800)
    expect(await accountant.ok('ledger', 'verifyNumber', { invoiceNo: invoice.invoiceNo, amountFen: 8801, issueDate: day })).toMatchObject({
      result: 'altered',
      invoice: null,
    })
    expect(await accountant.ok('ledger', 'verifyNumber', { invoiceNo: '0'.repeat(20), amountFen: 8800, issueDate: day })).toMatchObject({
      result: 'unknown',
      invoice: null,
    })
    const bad = await accountant.call('ledger', { action: 'verifyNumber', invoiceNo: '123', amountFen: 8800, issueDate: day })
    expect(bad.body.error.code).toBe('VERIFY.INPUT_INVALID')
  }, 60_000)

  it('is rate-limited per caller and window with a coded error; the next window starts afresh', async () => {
    const accountant = await cloud.login(`会计${++seq}`)
    const other = await cloud.login(`会计${++seq}`)
    const check = (c: Client) => c.call('ledger', { action: 'verifyFile', sha256: sha(crypto.randomBytes(8)) })
    for (let i = 0; i < 6; i++) expect((await check(accountant)).body.ok).toBe(true)
    const refused = (await check(accountant)).body
    expect(refused.error.code).toBe('VERIFY.RATE_LIMITED')
    expect(refused.error.message).toMatch(/分钟后再试/)
    expect((await check(other)).body.ok).toBe(true) // per caller
    await cloud.dev('/dev/api/clock', { offsetMs: 3600_000 })
    expect((await check(accountant)).body.ok).toBe(true)
  }, 60_000)
})

describe('statement', () => {
  it('shows the year month by month: topped up, invoiced, not yet invoiced with the days left', async () => {
    const me = await cloud.login(`对账${++seq}`)
    await issued(me, [10000])
    await paidOrders(me, [2500, 3000])
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear()
    const month = new Date(Date.now() + 8 * 3600_000).getUTCMonth() + 1
    const s = await me.ok('ledger', 'statement', { year })
    expect(s.months).toHaveLength(12)
    expect(s.totals).toEqual({ toppedUpFen: 15500, invoicedFen: 10000, notInvoicedFen: 5500, invoiceableFen: 5500 })
    expect(s.months[month - 1]).toMatchObject({ month, toppedUpFen: 15500, invoicedFen: 10000, notInvoicedFen: 5500, minDaysLeft: s.windowDays })
    expect(s.months.filter((m: { toppedUpFen: number }) => m.toppedUpFen > 0)).toHaveLength(1)

    // 300 days on, the window has 65 days left
    await cloud.dev('/dev/api/clock', { offsetMs: 300 * 86400_000 })
    const later = await me.ok('ledger', 'statement', { year })
    expect(later.months[month - 1].minDaysLeft).toBe(s.windowDays - 300)
    const bad = await me.call('ledger', { action: 'statement', year: 1999 })
    expect(bad.body.error.code).toBe('COMMON.BAD_REQUEST')
  }, 60_000)
})
