import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { nuonuoKey } from '../../cloudfunctions/_core/adapters/nuonuo/nuonuo.protocol'
import { startNuonuoStub, type NuonuoStub } from '../../scripts/nuonuo-stub/server'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * The whole platform issuing through 诺诺 (INVOICE_PROVIDER=nuonuo) over the local cloud, the
 * gateway being the protocol stub: signed HTTP, asynchronous issuing, the platform's own files
 * stored byte for byte, outages that must never turn into a second invoice, and a 换开 through
 * the 数电 red-letter flow.
 */
const KEYS = { appKey: 'SD63236305', appSecret: 'SDDED2523BED4643', accessToken: 'tok-integration', userTax: '91420100MA4K0000XJ' }
let stub: NuonuoStub
let cloud: TestCloud
beforeAll(async () => {
  stub = await startNuonuoStub({ ...KEYS, issuingMs: 150, signingMs: 100 })
  await stub.warmUp() // the fonts load once, not inside the 400 ms a request may take
  cloud = await startTestCloud({
    env: {
      INVOICE_PROVIDER: 'nuonuo',
      NUONUO_BASE_URL: stub.servicesUrl,
      NUONUO_APP_KEY: KEYS.appKey,
      NUONUO_APP_SECRET: KEYS.appSecret,
      NUONUO_ACCESS_TOKEN: KEYS.accessToken,
      NUONUO_TIMEOUT_MS: '400',
      INVOICE_INLINE_WAIT_MS: '4000',
      INVOICE_RESEND_COOLDOWN_SECONDS: '0',
    },
  })
}, 30_000)
afterAll(async () => {
  await cloud.close()
  await stub.close()
})
afterEach(async () => {
  Object.assign(stub.behaviour, { failNext: null, delayMs: 0, dropNext: 0, garbleNext: 0, buyerDecision: 'wait' })
  offsetMs = 0
  await cloud.dev('/dev/api/clock', { offsetMs })
})

const token = () => crypto.randomBytes(10).toString('hex')
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')
let seq = 0

async function person(name: string) {
  const me = await cloud.login(`${name}${++seq}`)
  const cardId = (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 5000, clientToken: token() })
  await fetch(`${cloud.url}/sandbox/pay/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
  })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
  return { me, orderId: order.id as string, title }
}

async function download(me: Client, url: string): Promise<Buffer> {
  const r = await fetch(url, { headers: { Authorization: `Bearer ${me.token}` } })
  expect(r.status).toBe(200)
  return Buffer.from(await r.arrayBuffer())
}

/** The orders the stub holds for an invoice of ours, one per attempt (request number <id>-<n>). */
const stubOrders = (invoiceId: string, attempts = 3) =>
  Array.from({ length: attempts }, (_, i) => stub.order(nuonuoKey(`${invoiceId}-${i + 1}`))).filter((x) => x !== undefined)

let offsetMs = 0
/** The timer, each time 5 minutes later (past the lease and the retry delay). */
async function runWorkerLater() {
  offsetMs += 5 * 60_000
  await cloud.dev('/dev/api/clock', { offsetMs })
  return cloud.dev('/dev/api/triggers/invoiceWorker', {})
}

describe('issuing through 诺诺', () => {
  it('issues with our request number as the order number and keeps the platform’s PDF and XML byte for byte', async () => {
    const { me, orderId, title } = await person('诺诺开票')
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, email: 'me@example.com', clientToken: token() })
    expect(invoice.status).toBe('issued')
    const [order] = stubOrders(invoice.id)
    expect(order.order).toMatchObject({ buyerName: '张三', naturalPersonFlag: '1', invoiceDetail: [{ taxIncludedAmount: '50.00' }] })
    expect(invoice.invoiceNo).toBe(order.invoiceNo)
    expect(stub.calls.every((c) => c.signatureOk)).toBe(true)

    const detail = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice
    const orderNo = nuonuoKey(`${invoice.id}-1`)
    const pdf = (await stub.file(orderNo, 'pdf'))!
    const xml = (await stub.file(orderNo, 'xml'))!
    expect(detail.pdf).toEqual({ sha256: sha256(pdf), bytes: pdf.length })
    expect(detail.xml).toEqual({ sha256: sha256(xml), bytes: xml.length })
    expect(detail.history.find((e: { type: string }) => e.type === 'stored').detail).toContain('开票平台原件')
    const files = await me.ok('invoice', 'files', { invoiceId: invoice.id })
    expect((await download(me, files.pdfUrl)).equals(pdf)).toBe(true)
    expect((await download(me, files.xmlUrl)).equals(xml)).toBe(true)
    // and the mail carries the same originals
    const mail = await cloud.smtp.waitFor({ to: 'me@example.com' }, 10_000)
    expect(mail.attachments.map((a) => a.sha256).sort()).toEqual([sha256(pdf), sha256(xml)].sort())
  })

  it('keeps the platform’s OFD original byte for byte with its SHA-256, and links it only for the owner', async () => {
    const { me, orderId, title } = await person('诺诺OFD')
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })
    expect(invoice.status).toBe('issued')
    const served = (await stub.file(nuonuoKey(`${invoice.id}-1`), 'ofd'))!
    expect(served.toString('utf8')).toContain(invoice.invoiceNo) // the stub's stand-in bytes of this invoice

    const detail = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice
    expect(detail.ofd).toEqual({ sha256: sha256(served), bytes: served.length })
    expect(detail.history.find((e: { type: string }) => e.type === 'stored').detail).toContain(`OFD ${served.length} B`)
    const files = await me.ok('invoice', 'files', { invoiceId: invoice.id })
    expect(files.ofdUrl).toEqual(expect.any(String))
    const r = await fetch(files.ofdUrl, { headers: { Authorization: `Bearer ${me.token}` } })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/ofd')
    const stored = Buffer.from(await r.arrayBuffer())
    expect(stored.equals(served)).toBe(true)
    expect(sha256(stored)).toBe(detail.ofd.sha256)
    // kept in our storage under the owner's path, not fetched from the platform on each download
    expect(fs.readFileSync(path.join(cloud.dataDir, 'storage', 'users', me.openid, 'invoices', `${invoice.invoiceNo}.ofd`)).equals(served)).toBe(true)

    // someone else gets neither the links nor the file behind the owner's link
    const stranger = await cloud.login(`旁人${++seq}`)
    expect((await stranger.call('invoice', { action: 'files', invoiceId: invoice.id })).body.error.code).toBe('INVOICE.NOT_FOUND')
    expect((await stranger.call('invoice', { action: 'get', invoiceId: invoice.id })).body.error.code).toBe('INVOICE.NOT_FOUND')
    expect((await fetch(files.ofdUrl, { headers: { Authorization: `Bearer ${stranger.token}` } })).status).toBe(403)
    expect((await fetch(files.ofdUrl)).status).toBe(403)
  })

  it('issues with the PDF and XML when the platform’s OFD link is broken, instead of holding the invoice back', async () => {
    const { me, orderId, title } = await person('OFD坏链')
    const provider = cloud.runtime.deps.provider
    const fetchFile = provider.fetchFile!.bind(provider)
    provider.fetchFile = (url: string) => (url.endsWith('.ofd') ? Promise.reject(new Error('HTTP 404')) : fetchFile(url))
    try {
      const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })
      expect(invoice.status).toBe('issued')
      const detail = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice
      expect(detail.ofd).toBeNull()
      expect(detail.pdf.sha256).toBe(sha256((await stub.file(nuonuoKey(`${invoice.id}-1`), 'pdf'))!))
      expect((await me.ok('invoice', 'files', { invoiceId: invoice.id })).ofdUrl).toBeUndefined()
    } finally {
      provider.fetchFile = fetchFile
    }
  })

  it('an answer lost after the platform did the work: the same order number is asked again, one invoice', async () => {
    const { me, orderId, title } = await person('应答丢失')
    stub.behaviour.dropNext = 1
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })
    const done = await eventually(async () => {
      const i = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice
      return i.status === 'issued' ? i : (await runWorkerLater(), null)
    }, 10_000)
    expect(done.attempts).toBe(1)
    expect(stubOrders(invoice.id)).toHaveLength(1)
    expect(done.invoiceNo).toBe(stubOrders(invoice.id)[0].invoiceNo)
  })

  it('a platform slower than the timeout: the invoice waits as issuing, the worker finishes it later under the same number', async () => {
    const { me, orderId, title } = await person('诺诺很慢')
    stub.behaviour.delayMs = 700 // NUONUO_TIMEOUT_MS is 400
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })
    expect(invoice.status).toBe('issuing')
    expect(stubOrders(invoice.id)).toHaveLength(1) // the submit arrived though its answer did not
    stub.behaviour.delayMs = 0
    const done = await eventually(async () => {
      const i = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice
      return i.status === 'issued' ? i : (await runWorkerLater(), null)
    }, 10_000)
    expect(done).toMatchObject({ status: 'issued', attempts: 1, invoiceNo: stubOrders(invoice.id)[0].invoiceNo })
  })

  it('a refusal (22 开票失败) fails the attempt; the retry is a new order number and issues', async () => {
    const { me, orderId, title } = await person('开票失败')
    stub.behaviour.failNext = { status: '22', count: 1, cause: '购方信息校验不通过' }
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })
    expect(invoice).toMatchObject({ status: 'failed', lastError: '开票失败：购方信息校验不通过' })
    const done = await eventually(async () => {
      const i = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice
      return i.status === 'issued' ? i : (await runWorkerLater(), null)
    }, 10_000)
    expect(done).toMatchObject({ status: 'issued', attempts: 2 })
    const orders = stubOrders(invoice.id)
    expect(orders.map((o) => stub.statusOf(o.orderNos[0]))).toEqual(['22', '2'])
  })
})

describe('换开 through 诺诺 (数电 红字确认单, 快捷冲红)', () => {
  it('a person: the form needs no confirmation, the red invoice and the new one are the platform’s', async () => {
    const { me, orderId, title } = await person('诺诺换开')
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })
    const company = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: KEYS.userTax })).title
    const { correction } = await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: company.id, clientToken: token() })
    const done = await eventually(async () => {
      const c = (await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction
      return c.status === 'done' ? c : (await runWorkerLater(), null)
    }, 10_000)
    const form = stub.redForm(correction.id)!
    expect(form).toMatchObject({ billStatus: '01', redReason: '2', blueElecInvoiceNumber: invoice.invoiceNo })
    expect(done.confirmationNo).toBe(form.billNo)
    const red = (await me.ok('invoice', 'get', { invoiceId: done.redInvoiceId })).invoice
    const redOrder = stubOrders(red.id)[0]
    expect(redOrder).toMatchObject({ color: 'red', blueInvoiceNo: invoice.invoiceNo, billNo: form.billNo })
    expect(red).toMatchObject({ status: 'issued', invoiceNo: redOrder.invoiceNo, pdf: { sha256: sha256((await stub.file(redOrder.orderNos[0], 'pdf'))!) } })
    const fresh = (await me.ok('invoice', 'get', { invoiceId: done.newInvoiceId })).invoice
    expect(fresh).toMatchObject({ status: 'issued', invoiceNo: stubOrders(fresh.id)[0].invoiceNo, title: { taxId: KEYS.userTax } })
    expect(stubOrders(fresh.id)[0].order).toMatchObject({ buyerTaxNum: KEYS.userTax, naturalPersonFlag: '0' })
  })

  it('an enterprise that booked the invoice: pending at the platform until the buyer confirms', async () => {
    const { me, orderId } = await person('诺诺入账')
    const company = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: KEYS.userTax })).title
    const other = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉另一家科技有限公司', taxId: '91420100MA4K0001XK' })).title
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: company.id, clientToken: token() })
    const { correction } = await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: other.id, buyerBooked: true, clientToken: token() })
    expect(correction.status).toBe('awaiting_buyer')
    expect(stub.redForm(correction.id)!.billStatus).toBe('02')
    expect(stub.decideRed(correction.id, 'confirm')).toBe('04')
    const done = await eventually(async () => {
      const c = (await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction
      return c.status === 'done' ? c : (await runWorkerLater(), null)
    }, 15_000)
    expect(done.confirmationNo).toBe(stub.redForm(correction.id)!.billNo)
  })
})
