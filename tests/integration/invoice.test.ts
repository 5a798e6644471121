import crypto from 'node:crypto'
import { CARD_A, CARD_B, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * Invoices over the local cloud: HTTP in, SQLite on disk, the provider sandbox, the PDF/XML
 * renderer, file-system storage, and e-mail over a real SMTP socket to the capture server.
 */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({
    env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_MAX_ORDERS: '3', INVOICE_MAX_TOTAL_FEN: '100000', INVOICE_RESEND_COOLDOWN_SECONDS: '0' },
  })
}, 30_000)
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/provider', { latencyMs: 0, failureRate: 0 })
  await cloud.dev('/dev/api/clock', { offsetMs: 0 })
})

export const VALID_TAX_ID = '91420100MA4K0000XJ'
const token = () => crypto.randomBytes(10).toString('hex')
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')
let seq = 0
const uniqueName = (base: string) => `${base}${++seq}`

async function paidOrders(me: Client, amounts: number[], cardNo = CARD_A): Promise<string[]> {
  const cards = (await me.ok('card', 'list')).cards as { id: string; cardNo: string }[]
  const cardId = cards.find((c) => c.cardNo === cardNo)?.id ?? (await me.ok('card', 'bind', { cardNo })).card.id
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

async function enterprise(me: Client, extra: Record<string, unknown> = {}) {
  return (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: VALID_TAX_ID, ...extra })).title
}

describe('invoice titles', () => {
  it('keeps personal and enterprise titles with one default, and checks tax IDs', async () => {
    const me = await cloud.login(uniqueName('抬头'))
    const personal = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
    expect(personal).toMatchObject({ kind: 'personal', taxId: null, isDefault: true })
    const company = await enterprise(me, { isDefault: true, address: '武汉市洪山区', bankAccount: '6222000011112222' })
    expect(company).toMatchObject({ taxId: VALID_TAX_ID, taxIdChecksumOk: true, isDefault: true })
    const titles = (await me.ok('profile', 'listTitles')).titles
    expect(titles.filter((t: { isDefault: boolean }) => t.isDefault).map((t: { id: string }) => t.id)).toEqual([company.id])

    // an 18-character ID failing the GB 32100 checksum needs an explicit confirmation
    const bad = VALID_TAX_ID.slice(0, 17) + 'K'
    const refused = await me.call('profile', { action: 'saveTitle', kind: 'enterprise', name: '校验失败公司', taxId: bad })
    expect(refused.body.error.code).toBe('TITLE.TAX_ID_CHECKSUM')
    expect(refused.body.error.message).toContain('确认无误可继续提交')
    const confirmed = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '校验失败公司', taxId: bad, confirmChecksum: true })).title
    expect(confirmed.taxIdChecksumOk).toBe(false)
    // older 15-character IDs pass on format alone
    expect((await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '老税号', taxId: '420102123456789' })).title.taxIdChecksumOk).toBeNull()
    for (const taxId of ['', '12345', '91420100MA4K0000X!', '91420100MA4K0000XJ123']) {
      expect((await me.call('profile', { action: 'saveTitle', kind: 'enterprise', name: 'X', taxId })).body.error.code).toBe('TITLE.TAX_ID_INVALID')
    }
    expect(await me.ok('profile', 'checkTaxId', { taxId: bad })).toEqual({ formatOk: true, checksumOk: false, message: expect.stringContaining('未通过') })
    // O is outside the GB 32100 character set: an 18-character ID with it fails the checksum
    expect((await me.ok('profile', 'checkTaxId', { taxId: '9142010OMA4K0000XJ' })).checksumOk).toBe(false)

    const other = await cloud.login(uniqueName('旁人'))
    expect((await other.ok('profile', 'listTitles')).titles).toEqual([])
    expect((await other.call('profile', { action: 'removeTitle', titleId: company.id })).body.error.code).toBe('TITLE.NOT_FOUND')
    expect((await other.call('profile', { action: 'saveTitle', id: company.id, kind: 'personal', name: '篡改' })).body.error.code).toBe('TITLE.NOT_FOUND')
  })
  it('never lets concurrent saves pass the per-person title limit', async () => {
    const me = await cloud.login(uniqueName('抬头上限'))
    const max = cloud.runtime.deps.config.invoice.maxTitlesPerUser
    const saves = await Promise.all(Array.from({ length: max + 5 }, (_, i) => me.call('profile', { action: 'saveTitle', kind: 'personal', name: `并发${i}` })))
    expect(saves.filter((r) => r.body.ok === true)).toHaveLength(max)
    expect(saves.filter((r) => r.body.ok === false).map((r) => r.body.error.code)).toEqual(Array(5).fill('TITLE.LIMIT_REACHED'))
    expect((await me.ok('profile', 'listTitles')).titles).toHaveLength(max)
  })
})

describe('issuing invoices', () => {
  it('issues automatically at payment with the default title and e-mails PDF and XML over SMTP', async () => {
    const me = await cloud.login(uniqueName('自动开票'))
    await enterprise(me)
    await me.ok('profile', 'updateSettings', { autoInvoice: true, defaultEmail: 'finance@example.com' })
    const [orderId] = await paidOrders(me, [5000])

    const summary = await eventually(async () => {
      const { invoice } = await me.ok('invoice', 'forOrder', { orderId })
      return invoice?.status === 'issued' ? invoice : null
    })
    expect(summary).toMatchObject({ source: 'auto', amountFen: 5000, email: 'finance@example.com', title: { taxId: VALID_TAX_ID } })
    expect(summary.invoiceNo).toMatch(/^\d{2}421\d{15}$/)

    const { invoice } = await me.ok('invoice', 'get', { invoiceId: summary.id })
    expect(invoice.history.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['requested', 'submitted', 'issued', 'stored']))
    const mail = await cloud.smtp.waitFor({ to: 'finance@example.com' }, 10_000)
    expect(mail.subject).toContain(summary.invoiceNo)
    expect(mail.attachments.map((a) => a.filename).sort()).toEqual([`${summary.invoiceNo}.pdf`, `${summary.invoiceNo}.xml`])
    // the mailed files are the very ones we keep: same SHA-256
    const pdf = mail.attachments.find((a) => a.filename!.endsWith('.pdf'))!
    const xml = mail.attachments.find((a) => a.filename!.endsWith('.xml'))!
    expect(pdf.sha256).toBe(invoice.pdf.sha256)
    expect(xml.sha256).toBe(invoice.xml.sha256)
    await eventually(async () => (await me.ok('invoice', 'get', { invoiceId: summary.id })).invoice.history.some((e: { type: string }) => e.type === 'emailed'))
  })

  it('merges several paid top-ups into one invoice and refuses a special VAT invoice', async () => {
    const me = await cloud.login(uniqueName('合并'))
    const title = await enterprise(me)
    const ids = await paidOrders(me, [2000, 3000])
    expect((await me.ok('invoice', 'listUninvoiced')).items.map((o: { id: string }) => o.id).sort()).toEqual([...ids].sort())

    const special = await me.call('invoice', { action: 'request', orderIds: ids, titleId: title.id, kind: 'special', clientToken: token() })
    expect(special.body.error.code).toBe('INVOICE.SPECIAL_NOT_ALLOWED')
    expect(special.body.error.message).toContain('专票')

    const { invoice } = await me.ok('invoice', 'request', { orderIds: ids, titleId: title.id, email: null, clientToken: token() })
    expect(invoice).toMatchObject({ source: 'merge', amountFen: 5000, orderCount: 2, status: 'issued' })
    expect((await me.ok('invoice', 'listUninvoiced')).items).toEqual([])
    for (const id of ids) expect((await me.ok('topup', 'getOrder', { orderId: id })).order.invoiceId).toBe(invoice.id)
  })

  it('applies the caps from configuration', async () => {
    const me = await cloud.login(uniqueName('上限'))
    const title = await enterprise(me)
    const four = await paidOrders(me, [1000, 1000, 1000, 1000])
    const tooMany = await me.call('invoice', { action: 'request', orderIds: four, titleId: title.id, clientToken: token() })
    expect(tooMany.body.error.code).toBe('INVOICE.CAP_EXCEEDED')
    const big = await paidOrders(me, [50000, 50000, 20000])
    const tooMuch = await me.call('invoice', { action: 'request', orderIds: big, titleId: title.id, clientToken: token() })
    expect(tooMuch.body.error.code).toBe('INVOICE.CAP_EXCEEDED')
    expect(tooMuch.body.error.message).toContain('¥1000.00')
    expect(
      cloud.runtime.db.prepare(`SELECT COUNT(*) n FROM invoice_orders WHERE order_id IN (${[...four, ...big].map(() => '?').join(',')})`).get(...four, ...big),
    ).toEqual({ n: 0 })
  })

  it('gives one invoice per order whatever the retries, repeated taps or concurrent calls', async () => {
    const me = await cloud.login(uniqueName('并发开票'))
    const title = await enterprise(me)
    const [orderId, racedId] = await paidOrders(me, [2000, 3000])
    const t = token()
    // the same tap retried: the same invoice
    const same = await Promise.all(
      Array.from({ length: 5 }, () => me.call('invoice', { action: 'request', orderIds: [orderId], titleId: title.id, clientToken: t })),
    )
    expect(new Set(same.map((r) => r.body.data.invoice.id)).size).toBe(1)
    // different taps at once on an order nobody has invoiced yet: exactly one wins, the rest are
    // told the order is already invoiced
    const racing = await Promise.all(
      Array.from({ length: 10 }, () => me.call('invoice', { action: 'request', orderIds: [racedId], titleId: title.id, clientToken: token() })),
    )
    expect(racing.filter((r) => r.body.ok === true)).toHaveLength(1)
    expect(racing.filter((r) => r.body.ok === false).map((r) => r.body.error.code)).toEqual(Array(9).fill('INVOICE.ORDER_ALREADY_INVOICED'))
    expect(cloud.runtime.db.prepare('SELECT COUNT(*) n FROM invoices WHERE order_ids LIKE ?').get(`%${racedId}%`)).toEqual({ n: 1 })
    // and taps on the invoiced order are refused too
    const late = await me.call('invoice', { action: 'request', orderIds: [orderId], titleId: title.id, clientToken: token() })
    expect(late.body.error.code).toBe('INVOICE.ORDER_ALREADY_INVOICED')
    expect(cloud.runtime.db.prepare('SELECT COUNT(*) n FROM invoices WHERE order_ids LIKE ?').get(`%${orderId}%`)).toEqual({ n: 1 })
    // re-sending never makes a second invoice
    const invoiceId = same[0].body.data.invoice.id
    await eventually(async () => (await me.ok('invoice', 'get', { invoiceId })).invoice.status === 'issued')
    await me.ok('invoice', 'resend', { invoiceId, email: 'again@example.com' })
    expect(cloud.runtime.db.prepare('SELECT COUNT(*) n FROM invoices WHERE order_ids LIKE ?').get(`%${orderId}%`)).toEqual({ n: 1 })
  })

  it('retries a failed issue with backoff, tells the person once if subscribed, and never reuses a number', async () => {
    const me = await cloud.login(uniqueName('重试'))
    const title = await enterprise(me)
    await me.ok('profile', 'recordSubscriptions', { results: { invoiceFailed: 'accept', invoiceIssued: 'accept' } })
    const [orderId] = await paidOrders(me, [2000])
    await cloud.dev('/dev/api/provider', { failureRate: 1 })
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })
    expect(invoice.status).toBe('failed')
    expect(invoice.nextRetryAt).not.toBeNull()

    await cloud.dev('/dev/api/provider', { failureRate: 0 })
    // not due yet: the worker leaves it alone
    await cloud.dev('/dev/api/triggers/invoiceWorker', {})
    expect((await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.status).toBe('failed')
    await cloud.dev('/dev/api/clock', { offsetMs: 2 * 60_000 })
    const run = await cloud.dev('/dev/api/triggers/invoiceWorker', {})
    expect(run.data.issued).toBeGreaterThanOrEqual(1)
    const done = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice
    expect(done.status).toBe('issued')
    expect(done.attempts).toBe(2)
    const messages = (await cloud.dev('/dev/api/messages')).messages
      .filter((m: { openid: string }) => m.openid === me.openid)
      .sort((x: { seq: number }, y: { seq: number }) => x.seq - y.seq)
    expect(messages.map((m: { templateKey: string }) => m.templateKey)).toEqual(['invoiceFailed', 'invoiceIssued'])
    const numbers = cloud.runtime.provider.issuedNumbers()
    expect(new Set(numbers).size).toBe(numbers.length)
  })
})

describe('history, files and delivery', () => {
  it('shows the history on a second device, filtered and paged, with owner-only files', async () => {
    const name = uniqueName('两台手机')
    const phone1 = await cloud.login(name)
    const title = await enterprise(phone1)
    const a = await paidOrders(phone1, [2000, 3000], CARD_A)
    const b = await paidOrders(phone1, [4000], CARD_B)
    for (const id of [...a, ...b]) await phone1.ok('invoice', 'request', { orderIds: [id], titleId: title.id, clientToken: token() })

    const phone2 = await cloud.login(name) // a new session: nothing lives only on the first phone
    const all = await phone2.ok('invoice', 'list', { limit: 2 })
    expect(all.items).toHaveLength(2)
    const rest = await phone2.ok('invoice', 'list', { limit: 2, cursor: all.nextCursor })
    expect([...all.items, ...rest.items].map((i: { amountFen: number }) => i.amountFen)).toEqual([4000, 3000, 2000])
    expect((await phone2.ok('invoice', 'list', { cardNo: CARD_B })).items.map((i: { amountFen: number }) => i.amountFen)).toEqual([4000])
    expect((await phone2.ok('invoice', 'list', { status: 'failed' })).items).toEqual([])
    const now = new Date(Date.now() + 8 * 3600_000)
    const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`
    expect((await phone2.ok('invoice', 'list', { month })).items).toHaveLength(3)
    expect((await phone2.ok('invoice', 'list', { month: '2001-01' })).items).toEqual([])
    expect((await phone2.call('invoice', { action: 'list', month: '2026-13' })).body.error.code).toBe('COMMON.BAD_REQUEST')

    const target = all.items[0]
    const files = await phone2.ok('invoice', 'files', { invoiceId: target.id })
    const pdf = await fetch(files.pdfUrl, { headers: { Authorization: `Bearer ${phone2.token}` } })
    expect(pdf.status).toBe(200)
    const bytes = Buffer.from(await pdf.arrayBuffer())
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    const detail = (await phone2.ok('invoice', 'get', { invoiceId: target.id })).invoice
    expect(sha256(bytes)).toBe(detail.pdf.sha256)
    const xml = await fetch(files.xmlUrl, { headers: { Authorization: `Bearer ${phone2.token}` } })
    expect(await xml.text()).toContain(detail.invoiceNo)
    // the sandbox hands out no OFD: none kept, none linked
    expect(detail.ofd).toBeNull()
    expect(files).not.toHaveProperty('ofdUrl')
    expect(detail.history.find((e: { type: string }) => e.type === 'stored').detail).not.toContain('OFD')

    // someone else can neither list, read, download nor re-send it
    const stranger = await cloud.login(uniqueName('陌生人'))
    expect((await stranger.ok('invoice', 'list')).items).toEqual([])
    for (const action of ['get', 'files', 'resend']) {
      expect((await stranger.call('invoice', { action, invoiceId: target.id, email: 'x@example.com' })).body.error.code).toBe('INVOICE.NOT_FOUND')
    }
    expect((await stranger.call('invoice', { action: 'forOrder', orderId: b[0] })).body.error.code).toBe('ORDER.NOT_FOUND')
    expect((await fetch(files.pdfUrl, { headers: { Authorization: `Bearer ${stranger.token}` } })).status).toBe(403)
    // and can't put my orders on their invoice
    const theirTitle = await enterprise(stranger)
    const steal = await stranger.call('invoice', { action: 'request', orderIds: [a[0]], titleId: theirTitle.id, clientToken: token() })
    expect(steal.body.error.code).toBe('INVOICE.ORDER_NOT_FOUND')
    expect((await stranger.call('invoice', { action: 'request', orderIds: [a[0]], titleId: title.id, clientToken: token() })).body.error.code).toBe(
      'TITLE.NOT_FOUND',
    )
  })

  it('re-sends by e-mail over SMTP, and retries a send the server refused until it is delivered', async () => {
    const me = await cloud.login(uniqueName('补发'))
    const title = await enterprise(me)
    const [orderId] = await paidOrders(me, [2000])
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, email: null, clientToken: token() })
    expect(invoice.status).toBe('issued')
    expect((await me.call('invoice', { action: 'resend', invoiceId: invoice.id })).body.error.code).toBe('INVOICE.EMAIL_REQUIRED')
    expect((await me.call('invoice', { action: 'resend', invoiceId: invoice.id, email: 'not-an-email' })).body.error.code).toBe('PROFILE.EMAIL_INVALID')

    await cloud.dev('/dev/api/mail/fail', { n: 1 })
    const sent = await me.ok('invoice', 'resend', { invoiceId: invoice.id, email: 'retry@example.com' })
    expect(sent).toEqual({ queued: true, email: 'retry@example.com' })
    expect(cloud.smtp.list({ to: 'retry@example.com' })).toEqual([])
    const history = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.history.map((e: { type: string }) => e.type)
    expect(history).toContain('email_failed')

    // the worker retries it once it is due
    await cloud.dev('/dev/api/clock', { offsetMs: 2 * 60_000 })
    const run = await cloud.dev('/dev/api/triggers/invoiceWorker', {})
    expect(run.data.mailsSent).toBe(1)
    const mail = await cloud.smtp.waitFor({ to: 'retry@example.com' }, 5000)
    expect(mail.attachments).toHaveLength(2)
  })

  it('sends a subscribe message only with quota the person granted', async () => {
    const me = await cloud.login(uniqueName('订阅'))
    const title = await enterprise(me)
    const [o1, o2] = await paidOrders(me, [2000, 2000])
    const mine = async () => (await cloud.dev('/dev/api/messages')).messages.filter((m: { openid: string }) => m.openid === me.openid)

    const first = (await me.ok('invoice', 'request', { orderIds: [o1], titleId: title.id, clientToken: token() })).invoice
    expect(await mine()).toEqual([])
    expect(first.history.map((e: { type: string }) => e.type)).toContain('message_skipped')

    expect((await me.ok('profile', 'recordSubscriptions', { results: { invoiceIssued: 'accept', invoiceFailed: 'reject' } })).quota).toEqual({
      invoiceIssued: 1,
      invoiceFailed: 0,
      afterSalesUpdate: 0,
      invoiceReminder: 0,
    })
    await me.ok('invoice', 'request', { orderIds: [o2], titleId: title.id, clientToken: token() })
    const sent = await mine()
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ templateKey: 'invoiceIssued', result: 'ok' })
    for (const v of Object.values(sent[0].data as Record<string, { value: string }>)) expect([...v.value].length).toBeLessThanOrEqual(32)
    expect((await me.ok('profile', 'recordSubscriptions', { results: {} })).quota).toEqual({
      invoiceIssued: 0,
      invoiceFailed: 0,
      afterSalesUpdate: 0,
      invoiceReminder: 0,
    })
  })

  it('counts every accept answer as consent (alert, audio, forced push) and nothing else', async () => {
    const me = await cloud.login(uniqueName('订阅方式'))
    for (const answer of ['accept', 'acceptWithAlert', 'acceptWithAudio', 'acceptWithForcePush']) {
      await me.ok('profile', 'recordSubscriptions', { results: { invoiceIssued: answer } })
    }
    for (const answer of ['reject', 'ban', 'filter', 'acceptish', 'ACCEPT']) {
      await me.ok('profile', 'recordSubscriptions', { results: { invoiceFailed: answer } })
    }
    expect((await me.ok('profile', 'recordSubscriptions', { results: {} })).quota).toEqual({
      invoiceIssued: 4,
      invoiceFailed: 0,
      afterSalesUpdate: 0,
      invoiceReminder: 0,
    })
  })
})
