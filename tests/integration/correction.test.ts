import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { advanceInvoice } from '../../cloudfunctions/_core/app/invoice.service'
import { invariantViolations } from '../helpers/invariant'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * 换开 over the local cloud: HTTP in, SQLite on disk, the provider sandbox (red-letter
 * confirmations and red invoices), the PDF renderer read back with pdftotext, SMTP capture.
 */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_RESEND_COOLDOWN_SECONDS: '0' } })
}, 30_000)
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/clock', { offsetMs: 0 })
  await cloud.dev('/dev/api/provider/buyer', { decision: 'wait' })
})

const VALID_TAX_ID = '91420100MA4K0000XJ'
const OTHER_TAX_ID = '91420100MA4K0001XK'
const token = () => crypto.randomBytes(10).toString('hex')
let seq = 0
const uniqueName = (base: string) => `${base}${++seq}`
const DAY = 86400_000

async function paidOrders(c: TestCloud, me: Client, amounts: number[]): Promise<string[]> {
  const cards = (await me.ok('card', 'list')).cards as { id: string; cardNo: string }[]
  const cardId = cards.find((x) => x.cardNo === CARD_A)?.id ?? (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const ids: string[] = []
  for (const amountFen of amounts) {
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: token() })
    await fetch(`${c.url}/sandbox/pay/confirm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
    })
    await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
    ids.push(order.id)
  }
  return ids
}

/** A person with an issued invoice over `amounts`, titled `first`, and a second title to correct to. */
async function issuedInvoice(c: TestCloud, name: string, opts: { amounts?: number[]; first?: 'personal' | 'enterprise' } = {}) {
  const me = await c.login(uniqueName(name))
  const orderIds = await paidOrders(c, me, opts.amounts ?? [5000, 2050])
  const company = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: VALID_TAX_ID })).title
  const person = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
  const other = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉另一家科技有限公司', taxId: OTHER_TAX_ID })).title
  const firstTitle = opts.first === 'enterprise' ? company : person
  const { invoice } = await me.ok('invoice', 'request', { orderIds, titleId: firstTitle.id, email: 'me@example.com', clientToken: token() })
  expect(invoice.status).toBe('issued')
  return { me, orderIds, invoice, company, person, other }
}

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
}

async function downloadPdf(me: Client, invoiceId: string): Promise<string> {
  const files = await me.ok('invoice', 'files', { invoiceId })
  const r = await fetch(files.pdfUrl, { headers: { Authorization: `Bearer ${me.token}` } })
  expect(r.status).toBe(200)
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-pdf-')), `${invoiceId}.pdf`)
  fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()))
  return file
}

/** The money invariant over the whole local database (every person, every order). */
const invariant = invariantViolations

const claimsOf = (c: TestCloud, invoiceId: string) =>
  (c.runtime.db.prepare('SELECT order_id FROM invoice_orders WHERE invoice_id = ? ORDER BY order_id').all(invoiceId) as { order_id: string }[]).map(
    (r) => r.order_id,
  )

describe('换开 by a person (no confirmation needed)', () => {
  it('red-letters the invoice and issues a new one with the corrected title, the chain visible on all three', async () => {
    const { me, orderIds, invoice, company } = await issuedInvoice(cloud, '换开')
    const options = await me.ok('invoice', 'correctionOptions', { invoiceId: invoice.id })
    expect(options).toMatchObject({ allowed: true, remaining: 1, routeToApplication: false, active: null })

    const { correction } = await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: company.id, email: 'finance@example.com', clientToken: token() })
    expect(correction).toMatchObject({ status: 'done', invoiceId: invoice.id, reasonLabel: '开票有误', buyerBooked: false, failure: null, by: 'user' })
    expect(correction.confirmationNo).toMatch(/^\d{20}$/)
    expect(correction.newTitle).toMatchObject({ name: '武汉示例科技有限公司', taxId: VALID_TAX_ID })

    const old = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice
    const red = (await me.ok('invoice', 'get', { invoiceId: correction.redInvoiceId })).invoice
    const fresh = (await me.ok('invoice', 'get', { invoiceId: correction.newInvoiceId })).invoice
    expect(old).toMatchObject({ color: 'blue', status: 'issued', chain: { reversedById: red.id, replacedById: fresh.id, correctionCount: 0 } })
    expect(old.correction).toMatchObject({ allowed: false, routeToApplication: false })
    expect(old.history.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['correction_requested', 'red_confirmed', 'reversed', 'replaced']))
    expect(red).toMatchObject({
      color: 'red',
      status: 'issued',
      source: 'correction',
      amountFen: invoice.amountFen,
      confirmationNo: correction.confirmationNo,
      correction: null,
      chain: { originalId: invoice.id, correctionId: correction.id },
      title: { name: '张三' },
    })
    expect(fresh).toMatchObject({
      color: 'blue',
      status: 'issued',
      source: 'correction',
      amountFen: invoice.amountFen,
      orderIds: invoice.orderIds,
      title: { name: '武汉示例科技有限公司', taxId: VALID_TAX_ID },
      chain: { originalId: invoice.id, correctionId: correction.id, correctionCount: 1, reversedById: null },
    })
    // the list carries the chain for the chips 已红冲 / 红字 / 换开
    const list = (await me.ok('invoice', 'list', {})).items as { id: string; color: string; chain: { reversedById: string | null } }[]
    expect(list.map((i) => i.id).sort()).toEqual([invoice.id, red.id, fresh.id].sort())
    expect(list.find((i) => i.id === invoice.id)!.chain.reversedById).toBe(red.id)
    const byCard = (await me.ok('invoice', 'list', { cardNo: CARD_A })).items as { id: string }[]
    expect(byCard.map((i) => i.id).sort()).toEqual([invoice.id, red.id, fresh.id].sort())

    // the orders now belong to the new invoice, once
    expect(claimsOf(cloud, fresh.id)).toEqual([...orderIds].sort())
    expect(claimsOf(cloud, invoice.id)).toEqual([])
    expect(claimsOf(cloud, red.id)).toEqual([])
    for (const id of orderIds) expect((await me.ok('topup', 'getOrder', { orderId: id })).order.invoiceId).toBe(fresh.id)
    expect(invariant(cloud)).toEqual([])

    // the red PDF: negative amounts, 红字, the remarks line naming the blue number and the confirmation
    const redText = pdfText(await downloadPdf(me, red.id))
    expect(redText).toContain('红字')
    expect(redText).toContain('-50.00')
    expect(redText).toContain('-70.50')
    expect(redText.replace(/\s+/g, '')).toContain(`被红冲蓝字数电发票号码：${invoice.invoiceNo}红字发票信息确认单编号：${correction.confirmationNo}`)
    const newText = pdfText(await downloadPdf(me, fresh.id))
    expect(newText).toContain('武汉示例科技有限公司')
    expect(newText).toContain('70.50')
    expect(newText).not.toContain('-70.50')
    // the original stays downloadable
    expect(pdfText(await downloadPdf(me, invoice.id))).toContain('张三')

    // both new documents are e-mailed to the address given with the correction
    const mails = await eventually(async () => {
      const m = cloud.smtp.list({ to: 'finance@example.com' })
      return m.length >= 2 ? m : null
    })
    expect(mails.map((m) => m.subject).sort()).toEqual([`【武汉通】电子发票 ${fresh.invoiceNo} ¥70.50`, `【武汉通】红字发票 ${red.invoiceNo} -¥70.50`].sort())

    // the correction reads back; a second correction of the new invoice is beyond the limit
    expect((await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction).toEqual(correction)
    const again = await me.ok('invoice', 'correctionOptions', { invoiceId: fresh.id })
    expect(again).toMatchObject({ allowed: false, routeToApplication: true, remaining: 0 })
    const refused = await me.call('invoice', { action: 'correct', invoiceId: fresh.id, titleId: (await issuedTitle(me, '张三')).id, clientToken: token() })
    expect(refused.body.error.code).toBe('CORRECTION.LIMIT_REACHED')
  }, 30_000)

  it('gives one chain to racing requests (five taps, five tokens) and the same correction to a retried token', async () => {
    const { me, invoice, company } = await issuedInvoice(cloud, '并发换开')
    const tokens = Array.from({ length: 5 }, token)
    const answers = await Promise.all(tokens.map((t) => me.call('invoice', { action: 'correct', invoiceId: invoice.id, titleId: company.id, clientToken: t })))
    const ok = answers.filter((a) => a.body.ok).map((a) => a.body.data.correction.id)
    expect(new Set(ok).size).toBe(1)
    for (const a of answers.filter((x) => !x.body.ok)) expect(a.body.error.code).toBe('CORRECTION.IN_PROGRESS')
    const chains = cloud.runtime.db.prepare('SELECT COUNT(*) AS n FROM invoice_corrections WHERE invoice_id = ?').get(invoice.id) as { n: number }
    expect(chains.n).toBe(1)
    const reds = cloud.runtime.db.prepare(`SELECT COUNT(*) AS n FROM invoices WHERE original_id = ? AND color = 'red'`).get(invoice.id) as { n: number }
    expect(reds.n).toBe(1)
    const view = await eventually(async () => {
      const c = (await me.ok('invoice', 'getCorrection', { correctionId: ok[0] })).correction
      return c.status === 'done' ? c : null
    })
    // the same token again: the same correction, nothing new
    const winner = tokens[answers.findIndex((a) => a.body.ok && a.body.data.correction.id === ok[0])]
    expect((await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: company.id, clientToken: winner })).correction.id).toBe(view.id)
    const reused = await me.call('invoice', { action: 'correct', invoiceId: invoice.id, titleId: (await issuedTitle(me, '李四')).id, clientToken: winner })
    expect(reused.body.error.code).toBe('CORRECTION.CLIENT_TOKEN_REUSED')
    expect(invariant(cloud)).toEqual([])
  }, 30_000)
})

async function issuedTitle(me: Client, name: string) {
  return (await me.ok('profile', 'saveTitle', { kind: 'personal', name })).title
}

describe('换开 of an invoice the enterprise buyer already booked (待购买方确认)', () => {
  const worker = () => cloud.dev('/dev/api/triggers/invoiceWorker', {})

  it('waits for the buyer, then completes once it confirms', async () => {
    const { me, invoice, other } = await issuedInvoice(cloud, '入账确认', { first: 'enterprise' })
    const { correction } = await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: other.id, buyerBooked: true, clientToken: token() })
    expect(correction).toMatchObject({ status: 'awaiting_buyer', redInvoiceId: null, newInvoiceId: null })
    expect(Date.parse(correction.confirmDeadline) - Date.now()).toBeGreaterThan(71 * 3600_000)
    const detail = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice
    expect(detail.correction).toMatchObject({ allowed: false, active: { id: correction.id, status: 'awaiting_buyer' } })
    expect(detail.history.map((e: { type: string }) => e.type)).toContain('red_confirmation_pending')

    // the worker only asks the provider again: still waiting
    await cloud.dev('/dev/api/clock', { offsetMs: 11 * 60_000 })
    await worker()
    expect((await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction.status).toBe('awaiting_buyer')

    expect(await cloud.dev('/dev/api/provider/red-confirmations', { confirmationNo: correction.confirmationNo, decision: 'confirm' })).toMatchObject({
      state: 'confirmed',
    })
    await cloud.dev('/dev/api/clock', { offsetMs: 22 * 60_000 })
    await worker()
    const done = (await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction
    expect(done).toMatchObject({ status: 'done', confirmDeadline: null })
    expect((await me.ok('invoice', 'get', { invoiceId: done.newInvoiceId })).invoice).toMatchObject({ status: 'issued', title: { taxId: OTHER_TAX_ID } })
    expect(invariant(cloud)).toEqual([])
  }, 30_000)

  it('moves on as soon as the person looks after the buyer confirmed, without waiting for the timer', async () => {
    const { me, invoice, other } = await issuedInvoice(cloud, '确认后即看', { first: 'enterprise' })
    const { correction } = await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: other.id, buyerBooked: true, clientToken: token() })
    expect(correction.status).toBe('awaiting_buyer')
    expect((await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction.status).toBe('awaiting_buyer')
    await cloud.dev('/dev/api/provider/red-confirmations', { requestNo: correction.id, decision: 'confirm' })
    const seen = await eventually(async () => {
      const c = (await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction
      return c.status === 'done' ? c : null
    }, 15_000)
    expect(seen.newInvoiceId).toBeTruthy()
    expect(invariant(cloud)).toEqual([])
  }, 30_000)

  it('ends with nothing changed when the buyer refuses; the invoice can be corrected again', async () => {
    const { me, invoice, other } = await issuedInvoice(cloud, '拒绝确认', { first: 'enterprise' })
    const { correction } = await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: other.id, buyerBooked: true, clientToken: token() })
    await cloud.dev('/dev/api/provider/red-confirmations', { requestNo: correction.id, decision: 'refuse' })
    await cloud.dev('/dev/api/clock', { offsetMs: 11 * 60_000 })
    await worker()
    const refused = (await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction
    expect(refused).toMatchObject({ status: 'refused', redInvoiceId: null, newInvoiceId: null })
    expect(refused.failure).toMatch(/原发票继续有效/)
    const after = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice
    expect(after).toMatchObject({ status: 'issued', chain: { reversedById: null, replacedById: null } })
    expect(after.history.map((e: { type: string }) => e.type)).toContain('correction_refused')
    expect(after.correction).toMatchObject({ allowed: true, active: null })
    expect(invariant(cloud)).toEqual([])
  }, 30_000)

  it('lapses after 72 hours without an answer, with a clear message and nothing changed', async () => {
    const { me, invoice, other } = await issuedInvoice(cloud, '确认超时', { first: 'enterprise' })
    const { correction } = await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: other.id, buyerBooked: true, clientToken: token() })
    await cloud.dev('/dev/api/clock', { offsetMs: 71 * 3600_000 })
    await worker()
    expect((await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction.status).toBe('awaiting_buyer')
    await cloud.dev('/dev/api/clock', { offsetMs: 72 * 3600_000 + 60_000 })
    await worker()
    const lapsed = (await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction
    expect(lapsed).toMatchObject({ status: 'lapsed', redInvoiceId: null })
    expect(lapsed.failure).toMatch(/72 小时/)
    expect((await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.history.map((e: { type: string }) => e.type)).toContain('correction_lapsed')
    // a late confirmation cannot revive it
    expect(await cloud.dev('/dev/api/provider/red-confirmations', { requestNo: correction.id, decision: 'confirm' })).toMatchObject({ state: 'lapsed' })
    expect(claimsOf(cloud, invoice.id).length).toBe(2)
    expect(invariant(cloud)).toEqual([])
  }, 30_000)

  it('needs no confirmation from an enterprise that has not booked the invoice', async () => {
    const { me, invoice, other } = await issuedInvoice(cloud, '未入账', { first: 'enterprise' })
    const { correction } = await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: other.id, buyerBooked: false, clientToken: token() })
    expect(correction.status).toBe('done')
  }, 30_000)
})

describe('limits, authorization and bad input', () => {
  it('routes to an application once the window of the original invoice has passed', async () => {
    const { me, invoice, company } = await issuedInvoice(cloud, '超期')
    await cloud.dev('/dev/api/clock', { offsetMs: 366 * DAY })
    expect(await me.ok('invoice', 'correctionOptions', { invoiceId: invoice.id })).toMatchObject({ allowed: false, routeToApplication: true })
    const r = await me.call('invoice', { action: 'correct', invoiceId: invoice.id, titleId: company.id, clientToken: token() })
    expect(r.body.error.code).toBe('CORRECTION.WINDOW_PASSED')
  }, 30_000)

  it("keeps every action to the invoice's owner", async () => {
    const { me, invoice, company } = await issuedInvoice(cloud, '本人')
    const { correction } = await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: company.id, clientToken: token() })
    const stranger = await cloud.login(uniqueName('他人'))
    const theirTitle = await issuedTitle(stranger, '王五')
    expect((await stranger.call('invoice', { action: 'correctionOptions', invoiceId: invoice.id })).body.error.code).toBe('INVOICE.NOT_FOUND')
    expect(
      (await stranger.call('invoice', { action: 'correct', invoiceId: correction.newInvoiceId, titleId: theirTitle.id, clientToken: token() })).body.error.code,
    ).toBe('INVOICE.NOT_FOUND')
    expect((await stranger.call('invoice', { action: 'getCorrection', correctionId: correction.id })).body.error.code).toBe('CORRECTION.NOT_FOUND')
    expect((await stranger.call('invoice', { action: 'get', invoiceId: correction.redInvoiceId })).body.error.code).toBe('INVOICE.NOT_FOUND')
    // nor with someone else's title
    expect(
      (await me.call('invoice', { action: 'correct', invoiceId: correction.newInvoiceId, titleId: theirTitle.id, clientToken: token() })).body.error.code,
    ).toBe('TITLE.NOT_FOUND')
    const anonymous = await fetch(`${cloud.url}/functions/invoice`, {
      method: 'POST',
      body: JSON.stringify({ action: 'getCorrection', correctionId: correction.id }),
    })
    expect(anonymous.status).toBe(401)
    expect((await anonymous.json()).error.code).toBe('COMMON.UNAUTHENTICATED')
  }, 30_000)

  it('answers bad input with a code and changes nothing', async () => {
    const { me, invoice, person, company } = await issuedInvoice(cloud, '坏输入')
    const call = async (input: Record<string, unknown>) => (await me.call('invoice', { action: 'correct', ...input })).body.error?.code
    expect(await call({ invoiceId: invoice.id, titleId: company.id })).toBe('COMMON.BAD_REQUEST')
    expect(await call({ invoiceId: invoice.id, titleId: company.id, clientToken: 'x' })).toBe('COMMON.BAD_REQUEST')
    expect(await call({ invoiceId: invoice.id, titleId: company.id, clientToken: token(), buyerBooked: 'yes' })).toBe('COMMON.BAD_REQUEST')
    expect(await call({ invoiceId: invoice.id, titleId: company.id, clientToken: token(), email: 'not-an-email' })).toBe('PROFILE.EMAIL_INVALID')
    expect(await call({ invoiceId: invoice.id, titleId: person.id, clientToken: token() })).toBe('CORRECTION.SAME_TITLE')
    expect(await call({ invoiceId: 'INV-NOPE', titleId: company.id, clientToken: token() })).toBe('INVOICE.NOT_FOUND')
    expect(await call({ invoiceId: invoice.id, titleId: 'nope', clientToken: token() })).toBe('TITLE.NOT_FOUND')
    expect((await me.call('invoice', { action: 'getCorrection', correctionId: 'COR-NOPE' })).body.error.code).toBe('CORRECTION.NOT_FOUND')
    expect((await me.call('invoice', { action: 'getCorrection' })).body.error.code).toBe('COMMON.BAD_REQUEST')
    const n = cloud.runtime.db.prepare('SELECT COUNT(*) AS n FROM invoice_corrections WHERE invoice_id = ?').get(invoice.id) as { n: number }
    expect(n.n).toBe(0)

    // a red invoice is never corrected
    const { correction } = await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: company.id, clientToken: token() })
    expect(await call({ invoiceId: correction.redInvoiceId, titleId: person.id, clientToken: token() })).toBe('CORRECTION.NOT_ALLOWED')
    // the reversed original neither (a late twin of the completed request gets that correction)
    expect(await call({ invoiceId: invoice.id, titleId: (await issuedTitle(me, '赵六')).id, clientToken: token() })).toBe('CORRECTION.NOT_ALLOWED')
    expect((await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: company.id, clientToken: token() })).correction.id).toBe(correction.id)
  }, 30_000)
})

describe('a crash between the red invoice and the new one', () => {
  it('resumes to a complete chain when the invoice worker runs on the restarted cloud', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-crash-'))
    const first = await startTestCloud({ dataDir, env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_INLINE_WAIT_MS: '0' } })
    let correctionId: string
    let invoiceId: string
    let redId: string
    try {
      const { me, invoice, company } = await issuedInvoice(first, '崩溃')
      invoiceId = invoice.id
      // the provider now takes a minute: the red invoice is submitted but not issued inline
      await first.dev('/dev/api/provider', { latencyMs: 60_000 })
      const { correction } = await me.ok('invoice', 'correct', { invoiceId, titleId: company.id, clientToken: token() })
      expect(correction.status).toBe('red_issuing')
      correctionId = correction.id
      redId = correction.redInvoiceId
      // the red invoice gets issued (as by a worker run) ... and then the process dies before step 3
      await first.dev('/dev/api/clock', { offsetMs: 2 * 60_000 })
      expect((await advanceInvoice(first.runtime.deps, redId)).status).toBe('issued')
      expect(claimsOf(first, invoiceId).length).toBe(2)
    } finally {
      await first.close()
    }

    const second = await startTestCloud({ dataDir, env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
    try {
      const before = second.runtime.db.prepare('SELECT status FROM invoice_corrections WHERE id = ?').get(correctionId!) as { status: string }
      expect(before.status).toBe('red_issuing')
      await second.dev('/dev/api/triggers/invoiceWorker', {})
      const after = second.runtime.db.prepare('SELECT status, new_invoice_id FROM invoice_corrections WHERE id = ?').get(correctionId!) as {
        status: string
        new_invoice_id: string
      }
      expect(after.status).toBe('done')
      const fresh = second.runtime.db.prepare('SELECT status, color, original_id FROM invoices WHERE id = ?').get(after.new_invoice_id) as Record<
        string,
        string
      >
      expect(fresh).toEqual({ status: 'issued', color: 'blue', original_id: invoiceId! })
      expect(claimsOf(second, after.new_invoice_id).length).toBe(2)
      expect(claimsOf(second, invoiceId!)).toEqual([])
      // exactly one red, one new blue
      const n = second.runtime.db.prepare('SELECT COUNT(*) AS n FROM invoices WHERE original_id = ?').get(invoiceId!) as { n: number }
      expect(n.n).toBe(2)
      expect(invariant(second)).toEqual([])
      // running the worker again changes nothing
      await second.dev('/dev/api/triggers/invoiceWorker', {})
      expect(invariant(second)).toEqual([])
    } finally {
      await second.close()
    }
  }, 60_000)
})
