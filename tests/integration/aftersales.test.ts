import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { approveApplication, rejectApplication, startReview } from '../../cloudfunctions/_core/app/application.service'
import { markPaper } from '../../cloudfunctions/_core/app/paper.service'
import { closeAsStaff, replyAsStaff } from '../../cloudfunctions/_core/app/ticket.service'
import { CARD_A, CARD_B, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * After-sales over the local cloud: the `aftersales` function over HTTP, SQLite on disk, the
 * H5 upload route into file-system storage, the provider sandbox and renderer for invoices
 * issued on approval, the subscribe sandbox and the SMTP capture server for notices. Staff
 * actions go through the same service functions the staff function calls.
 */
let cloud: TestCloud
const WINDOW_DAYS = 30
const PHOTO_MAX = 4096
beforeAll(async () => {
  cloud = await startTestCloud({
    env: {
      PROVIDER_SANDBOX_LATENCY_MS: '0',
      INVOICE_INLINE_WAIT_MS: '1500',
      INVOICE_WINDOW_DAYS: String(WINDOW_DAYS),
      INVOICE_MAX_ORDERS: '2',
      AFTERSALES_PHOTO_MAX_BYTES: String(PHOTO_MAX),
      AFTERSALES_MAX_OPEN_APPLICATIONS: '3',
    },
  })
}, 30_000)
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/provider', { latencyMs: 0, failureRate: 0 })
  await cloud.dev('/dev/api/clock', { offsetMs: 0 })
})

const STAFF = { name: '客服小王', role: 'agent' as const }
const token = () => crypto.randomBytes(10).toString('hex')
let seq = 0
const uniqueName = (base: string) => `${base}${++seq}`
const deps = () => cloud.runtime.deps
const DAY = 86400_000
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(200)])
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(200)])

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

/** Moves the local cloud's clock past the request window (orders paid now become "old"). */
const pastWindow = () => cloud.dev('/dev/api/clock', { offsetMs: (WINDOW_DAYS + 2) * DAY })

const personalTitle = async (me: Client, name = '张三') => (await me.ok('profile', 'saveTitle', { kind: 'personal', name })).title

async function upload(me: Client | null, cloudPath: string, body: Buffer) {
  const r = await fetch(`${cloud.url}/storage/upload?cloudPath=${encodeURIComponent(cloudPath)}`, {
    method: 'PUT',
    headers: me ? { Authorization: `Bearer ${me.token}` } : {},
    body: new Uint8Array(body),
  })
  return { status: r.status, body: await r.json() }
}

async function photo(me: Client, purpose: 'application' | 'ticket', bytes: Buffer = PNG, ext: 'png' | 'jpg' = 'png'): Promise<string> {
  const target = await me.ok('aftersales', 'uploadTarget', { purpose, ext })
  const r = await upload(me, target.cloudPath, bytes)
  expect(r.status).toBe(200)
  return r.body.fileID
}

const supplement = (extra: Record<string, unknown>) => ({ type: 'supplement', contactPhone: '13812345678', clientToken: token(), ...extra })
const offline = (over: Record<string, unknown> = {}) => ({ cardNo: CARD_B, date: '2024-05-01', amountFen: 5000, channel: 'service_hall', ...over })
const codeOf = async (me: Client, action: string, input: Record<string, unknown>) => (await me.call('aftersales', { action, ...input })).body.error?.code

const messagesOf = async (openid: string) =>
  (
    (await cloud.dev('/dev/api/messages')).messages as { openid: string; templateKey: string; data: Record<string, { value: string }>; result: string }[]
  ).filter((m) => m.openid === openid)

describe('photo uploads', () => {
  it('gives a path in the person own folder, and the H5 route takes only that folder, only images of the allowed size', async () => {
    const me = await cloud.login(uniqueName('上传'))
    const other = await cloud.login(uniqueName('旁人'))
    const target = await me.ok('aftersales', 'uploadTarget', { purpose: 'application', ext: 'jpg' })
    expect(target.cloudPath).toMatch(new RegExp(`^users/${me.openid}/aftersales/application/[a-f0-9]{24}\\.jpg$`))
    expect(target.maxBytes).toBe(PHOTO_MAX)
    expect(await codeOf(me, 'uploadTarget', { purpose: 'avatar', ext: 'jpg' })).toBe('COMMON.BAD_REQUEST')
    expect(await codeOf(me, 'uploadTarget', { purpose: 'ticket', ext: 'gif' })).toBe('COMMON.BAD_REQUEST')

    const ok = await upload(me, target.cloudPath, JPEG)
    expect(ok).toEqual({ status: 200, body: { fileID: expect.stringMatching(new RegExp(`^cloud://.+/${target.cloudPath}$`)) } })
    // someone else's folder, a path that climbs out, anonymous, too big
    expect((await upload(other, target.cloudPath, JPEG)).status).toBe(403)
    expect((await upload(me, `users/${me.openid}/aftersales/application/../../invoices/x.png`, PNG)).status).toBe(403)
    expect((await upload(me, `users/${me.openid}/invoices/x.png`, PNG)).status).toBe(403)
    expect((await upload(null, target.cloudPath, PNG)).status).toBe(401)
    const big = await upload(me, (await me.ok('aftersales', 'uploadTarget', { purpose: 'ticket', ext: 'png' })).cloudPath, Buffer.alloc(PHOTO_MAX + 1, 1))
    expect(big.status).toBe(413)
  })

  it('refuses, when a record names them, a file that is not an image, is missing or lives in another folder', async () => {
    const me = await cloud.login(uniqueName('照片'))
    const other = await cloud.login(uniqueName('别人'))
    const notImage = await photo(me, 'ticket', Buffer.from('%PDF-1.7 definitely not a picture'), 'png')
    const missing = `cloud://local.local-bucket/users/${me.openid}/aftersales/ticket/${'a'.repeat(24)}.png`
    const foreign = await photo(other, 'ticket')
    for (const ids of [[notImage], [missing], [foreign], ['https://example.com/x.png']]) {
      expect(await codeOf(me, 'openTicket', { category: 'suggestion', text: '建议', photoFileIds: ids, clientToken: token() })).toBe('UPLOAD.INVALID')
    }
    const four = await Promise.all([1, 2, 3, 4].map(() => photo(me, 'ticket')))
    expect(await codeOf(me, 'openTicket', { category: 'suggestion', text: '建议', photoFileIds: four, clientToken: token() })).toBe('UPLOAD.INVALID')
    expect((await me.ok('aftersales', 'listTickets')).items).toEqual([])
    const t = (await me.ok('aftersales', 'openTicket', { category: 'suggestion', text: '界面建议', photoFileIds: four.slice(0, 3), clientToken: token() }))
      .ticket
    expect(t.messages[0].photoFileIds).toEqual(four.slice(0, 3))
  })
})

describe('applications (补开)', () => {
  it('checks every input with a coded error and writes nothing on bad input', async () => {
    const me = await cloud.login(uniqueName('补开校验'))
    const other = await cloud.login(uniqueName('补开旁人'))
    const title = await personalTitle(me)
    const otherTitle = await personalTitle(other, '李四')
    const [recent] = await paidOrders(me, [2000])
    const [othersOrder] = await paidOrders(other, [2000])

    // inside the window: the person is sent to 待开票
    expect(await codeOf(me, 'apply', supplement({ orderIds: [recent], titleId: title.id }))).toBe('APPLICATION.INVALID')
    await pastWindow()
    const cases: [Record<string, unknown>, string][] = [
      [supplement({ titleId: title.id }), 'APPLICATION.INVALID'], // nothing to invoice
      [supplement({ orderIds: [othersOrder], titleId: title.id }), 'INVOICE.ORDER_NOT_FOUND'],
      [supplement({ orderIds: [recent], titleId: otherTitle.id }), 'TITLE.NOT_FOUND'],
      [supplement({ orderIds: [recent], titleId: title.id, contactPhone: '12345' }), 'APPLICATION.PHONE_INVALID'],
      [supplement({ orderIds: [recent], titleId: title.id, contactPhone: '1381234567' }), 'APPLICATION.PHONE_INVALID'],
      [supplement({ orderIds: [recent], titleId: title.id, note: '长'.repeat(201) }), 'APPLICATION.INVALID'],
      [supplement({ orderIds: [recent], titleId: title.id, invoiceId: 'INV1' }), 'APPLICATION.INVALID'],
      [supplement({ offPlatform: [offline({ cardNo: '3104000012345674' })], titleId: title.id }), 'APPLICATION.INVALID'], // Luhn
      [supplement({ offPlatform: [offline({ date: '2999-01-01' })], titleId: title.id }), 'APPLICATION.INVALID'],
      [supplement({ offPlatform: [offline({ date: '2019-01-01' })], titleId: title.id }), 'APPLICATION.INVALID'],
      [supplement({ offPlatform: [offline({ date: '2024-02-30' })], titleId: title.id }), 'APPLICATION.INVALID'],
      [supplement({ offPlatform: [offline({ amountFen: 100 })], titleId: title.id }), 'APPLICATION.INVALID'],
      [supplement({ offPlatform: [offline({ amountFen: 12.5 })], titleId: title.id }), 'APPLICATION.INVALID'],
      [supplement({ offPlatform: [offline({ channel: 'atm' })], titleId: title.id }), 'APPLICATION.INVALID'],
      [supplement({ offPlatform: Array.from({ length: 11 }, () => offline()), titleId: title.id }), 'APPLICATION.INVALID'],
      [{ type: 'correction', titleId: title.id, contactPhone: '13812345678', clientToken: token() }, 'APPLICATION.INVALID'],
      [{ type: 'correction', invoiceId: 'INVNOPE', titleId: title.id, contactPhone: '13812345678', clientToken: token() }, 'INVOICE.NOT_FOUND'],
      [supplement({ type: 'refund', orderIds: [recent], titleId: title.id }), 'COMMON.BAD_REQUEST'],
      [supplement({ orderIds: [recent], titleId: title.id, clientToken: 'x' }), 'COMMON.BAD_REQUEST'],
    ]
    for (const [input, code] of cases) expect([input, await codeOf(me, 'apply', input)]).toEqual([input, code])
    const offMessage = (
      await me.call('aftersales', { action: 'apply', ...supplement({ offPlatform: [offline(), offline({ date: '2999-01-01' })], titleId: title.id }) })
    ).body.error
    expect(offMessage.message).toContain('第 2 笔')
    expect((await me.ok('aftersales', 'listApplications')).items).toEqual([])

    // anonymous
    const anon = await fetch(`${cloud.url}/functions/aftersales`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'listApplications' }),
    })
    expect(anon.status).toBe(401)
    expect((await anon.json()).error.code).toBe('COMMON.UNAUTHENTICATED')
  })

  it('files an old order once per clientToken, even racing, masks the phone, and keeps it private', async () => {
    const me = await cloud.login(uniqueName('补开'))
    const other = await cloud.login(uniqueName('补开他人'))
    const title = await personalTitle(me)
    const [old] = await paidOrders(me, [3000])
    await pastWindow()
    const pic = await photo(me, 'application')
    const input = supplement({ orderIds: [old], titleId: title.id, photoFileIds: [pic], note: '去年的充值，当时忘了开票', contactPhone: '138 1234 5678' })
    const racing = await Promise.all(Array.from({ length: 6 }, () => me.call('aftersales', { action: 'apply', ...input })))
    const ids = new Set(racing.map((r) => r.body.data?.application.id))
    expect(ids.size).toBe(1)
    const app = racing[0].body.data.application
    expect(app).toMatchObject({
      type: 'supplement',
      status: 'submitted',
      orderIds: [old],
      contactPhoneMasked: '138****5678',
      photos: [{ fileId: pic }],
      title: { kind: 'personal', name: '张三' },
      resultInvoiceId: null,
    })
    expect(JSON.stringify(app)).not.toContain('13812345678')
    expect(app.timeline).toEqual([expect.objectContaining({ status: 'submitted', by: 'user' })])
    expect((await me.ok('aftersales', 'listApplications')).items.map((a: { id: string }) => a.id)).toEqual([app.id])
    // the same token with other content is refused; the order cannot go into a second application
    expect(await codeOf(me, 'apply', { ...input, orderIds: [], offPlatform: [offline()] })).toBe('APPLICATION.CLIENT_TOKEN_REUSED')
    expect(await codeOf(me, 'apply', { ...input, clientToken: token() })).toBe('APPLICATION.INVALID')
    // others see nothing, change nothing
    expect(await codeOf(other, 'getApplication', { applicationId: app.id })).toBe('APPLICATION.NOT_FOUND')
    expect(await codeOf(other, 'withdrawApplication', { applicationId: app.id })).toBe('APPLICATION.NOT_FOUND')
    expect((await me.ok('aftersales', 'summary')).applicationsActive).toBe(1)

    // withdraw while submitted; then staff can no longer act on it
    const withdrawn = (await me.ok('aftersales', 'withdrawApplication', { applicationId: app.id })).application
    expect(withdrawn.status).toBe('withdrawn')
    await expect(startReview(deps(), STAFF, app.id)).rejects.toMatchObject({ code: 'APPLICATION.BAD_STATE' })
    await expect(approveApplication(deps(), STAFF, app.id)).rejects.toMatchObject({ code: 'APPLICATION.BAD_STATE' })
    expect((await me.ok('aftersales', 'summary')).applicationsActive).toBe(0)
    // the order is free again for a new application
    expect((await me.ok('aftersales', 'apply', { ...input, clientToken: token() })).application.status).toBe('submitted')
  })

  it('limits open applications per person', async () => {
    const me = await cloud.login(uniqueName('上限'))
    const title = await personalTitle(me)
    for (let i = 0; i < 3; i++) await me.ok('aftersales', 'apply', supplement({ offPlatform: [offline({ amountFen: 1000 + i * 100 })], titleId: title.id }))
    expect(await codeOf(me, 'apply', supplement({ offPlatform: [offline()], titleId: title.id }))).toBe('APPLICATION.LIMIT_REACHED')
  })

  it('approves off-platform top-ups into paid orders and one invoice listing them, notifies, and a retried approve issues nothing new', async () => {
    const me = await cloud.login(uniqueName('线下补开'))
    const email = `${me.openid.slice(1, 9).toLowerCase()}@example.com`
    await me.ok('profile', 'updateSettings', { defaultEmail: email })
    await me.ok('profile', 'recordSubscriptions', { results: { afterSalesUpdate: 'accept' } })
    const title = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' })).title
    const since = new Date()
    const app = (
      await me.ok(
        'aftersales',
        'apply',
        supplement({
          offPlatform: [offline({ amountFen: 5000, date: '2024-05-01' }), offline({ amountFen: 3000, date: '2024-06-02', channel: 'machine' })],
          titleId: title.id,
        }),
      )
    ).application
    expect(app.offPlatform).toHaveLength(2)

    const reviewing = await startReview(deps(), STAFF, app.id)
    expect(reviewing.status).toBe('in_review')
    // one message of quota: the review notice used it
    const afterReview = await messagesOf(me.openid)
    expect(afterReview).toEqual([expect.objectContaining({ templateKey: 'afterSalesUpdate', result: 'ok' })])
    expect(Object.values(afterReview[0].data).map((v) => v.value)).toEqual(expect.arrayContaining(['补开申请', '审核中']))
    const reviewMail = await cloud.smtp.waitFor({ to: email, since })
    expect(reviewMail.subject).toContain('审核中')
    expect(reviewMail.text).toContain('补开申请')

    const done = await approveApplication(deps(), STAFF, app.id)
    expect(done.status).toBe('done')
    expect(done.resultInvoiceIds).toHaveLength(1)
    const view = (await me.ok('aftersales', 'getApplication', { applicationId: app.id })).application
    expect(view.timeline.map((e: { status: string }) => e.status)).toEqual(['submitted', 'in_review', 'approved', 'done'])
    const invoice = (await me.ok('invoice', 'get', { invoiceId: view.resultInvoiceId })).invoice
    expect(invoice).toMatchObject({ status: 'issued', source: 'application', amountFen: 8000, orderCount: 2, color: 'blue' })

    // the recorded top-ups are paid orders in the person's records, audited in their history
    const orders = (await me.ok('topup', 'listOrders', {})).items as {
      id: string
      status: string
      amountFen: number
      cardNo: string
      invoiceId: string | null
    }[]
    const offOrders = orders.filter((o) => invoice.orderIds.includes(o.id))
    expect(offOrders.map((o) => [o.status, o.amountFen, o.cardNo, o.invoiceId]).sort()).toEqual([
      ['paid', 3000, CARD_B, invoice.id],
      ['paid', 5000, CARD_B, invoice.id],
    ])
    const events = await deps().orders.events(offOrders[0].id)
    expect(events.map((e) => e.type)).toEqual(['created', 'paid'])
    expect(events[0].detail).toContain('客服小王')

    // the PDF lists them
    const files = await me.ok('invoice', 'files', { invoiceId: invoice.id })
    const pdf = Buffer.from(await (await fetch(files.pdfUrl, { headers: { Authorization: `Bearer ${me.token}` } })).arrayBuffer())
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-app-pdf-'))
    fs.writeFileSync(path.join(dir, 'a.pdf'), pdf)
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path.join(dir, 'a.pdf'), '-'], { encoding: 'utf8' })
    expect(text).toContain(CARD_B)
    expect(text).toMatch(/80\.00/)
    for (const o of offOrders) expect(text.replace(/\s/g, '')).toContain(o.id)

    // a retried approve (the staff page clicked twice, a timeout) issues nothing new
    const invoicesBefore = (await me.ok('invoice', 'list', {})).items.length
    const ordersBefore = orders.length
    const again = await approveApplication(deps(), STAFF, app.id)
    expect(again.resultInvoiceIds).toEqual(done.resultInvoiceIds)
    const racing = await Promise.all([1, 2, 3].map(() => approveApplication(deps(), STAFF, app.id)))
    expect(new Set(racing.map((a) => a.resultInvoiceIds.join(',')))).toEqual(new Set(done.resultInvoiceIds))
    expect((await me.ok('invoice', 'list', {})).items).toHaveLength(invoicesBefore)
    expect((await me.ok('topup', 'listOrders', {})).items).toHaveLength(ordersBefore)
    // done is notified by e-mail (no subscribe quota left: no second message)
    await eventually(async () => cloud.smtp.list({ to: email, since }).find((m) => m.subject.includes('已完成')))
    expect(await messagesOf(me.openid)).toHaveLength(1)
  })

  it('links the person own old orders on approval, splitting by the caps, and finishes in the worker when the provider is slow', async () => {
    const me = await cloud.login(uniqueName('关联订单'))
    const title = await personalTitle(me)
    const olds = await paidOrders(me, [2000, 2100, 2200])
    await pastWindow()
    const app = (await me.ok('aftersales', 'apply', supplement({ orderIds: [olds[0]], titleId: title.id }))).application
    // staff link other old orders of the same person (not only the one named)
    await cloud.dev('/dev/api/provider', { latencyMs: 60_000 })
    const approved = await approveApplication(deps(), STAFF, app.id, { orderIds: olds })
    expect(approved.status).toBe('approved')
    expect(approved.resultInvoiceIds).toHaveLength(2) // INVOICE_MAX_ORDERS = 2
    const invs = await Promise.all(approved.resultInvoiceIds.map((id) => deps().invoices.findById(id)))
    expect(invs.map((i) => i!.clientToken).sort()).toEqual([`app-${app.id}-1`, `app-${app.id}-2`])
    expect(invs.flatMap((i) => i!.orderIds).sort()).toEqual([...olds].sort())
    // an order of another person cannot be linked
    const other = await cloud.login(uniqueName('无关'))
    const app2 = (await me.ok('aftersales', 'apply', supplement({ offPlatform: [offline()], titleId: title.id }))).application
    await cloud.dev('/dev/api/clock', { offsetMs: 0 })
    const [foreign] = await paidOrders(other, [2000])
    await expect(approveApplication(deps(), STAFF, app2.id, { orderIds: [foreign] })).rejects.toMatchObject({ code: 'INVOICE.ORDER_NOT_FOUND' })
    expect((await deps().applications.findById(app2.id))!.status).toBe('in_review')

    // the provider catches up; the worker's sweep completes the application
    await cloud.dev('/dev/api/provider', { latencyMs: 0 })
    await cloud.dev('/dev/api/clock', { offsetMs: (WINDOW_DAYS + 3) * DAY })
    await eventually(async () => {
      await cloud.dev('/dev/api/triggers/invoiceWorker', {})
      return (await me.ok('aftersales', 'getApplication', { applicationId: app.id })).application.status === 'done'
    }, 15_000)
  })

  it('resumes an approval cut short (approved, nothing carried out) in the worker, to one invoice', async () => {
    const me = await cloud.login(uniqueName('中断'))
    const title = await personalTitle(me)
    const app = (await me.ok('aftersales', 'apply', supplement({ offPlatform: [offline({ amountFen: 4200 })], titleId: title.id }))).application
    await startReview(deps(), STAFF, app.id)
    // a crash right after the plan was recorded: approved, no order, no invoice yet
    const cur = (await deps().applications.findById(app.id))!
    const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex')
    const orderId = `OP${sha(`${app.id}:0`).slice(0, 30).toUpperCase()}`
    expect(
      await deps().applications.update(
        app.id,
        { from: ['in_review'], rev: cur.rev },
        { status: 'approved', approvedOrderIds: [orderId], approvedOffPlatform: cur.offPlatform, decidedBy: STAFF.name },
      ),
    ).toBe(true)
    expect(await deps().orders.findById(orderId)).toBeNull()
    await Promise.all([cloud.dev('/dev/api/triggers/invoiceWorker', {}), cloud.dev('/dev/api/triggers/invoiceWorker', {})])
    const done = (await me.ok('aftersales', 'getApplication', { applicationId: app.id })).application
    expect(done.status).toBe('done')
    const invoices = (await me.ok('invoice', 'list', {})).items.filter((i: { source: string }) => i.source === 'application')
    expect(invoices).toHaveLength(1)
    expect(invoices[0]).toMatchObject({ id: done.resultInvoiceId, amountFen: 4200, status: 'issued' })
    expect((await deps().orders.findById(orderId))!).toMatchObject({ status: 'paid', invoiceId: done.resultInvoiceId })
  })

  it('approves a correction beyond the self-service limits as a 换开 on the person behalf', async () => {
    const me = await cloud.login(uniqueName('换开申请'))
    const inv = await issuedInvoice(me)
    const company = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' })).title
    const app = (
      await me.ok('aftersales', 'apply', { type: 'correction', invoiceId: inv.id, titleId: company.id, contactPhone: '027-85551234', clientToken: token() })
    ).application
    expect(app).toMatchObject({ type: 'correction', invoiceId: inv.id, contactPhoneMasked: '027-****1234' })
    const approved = await approveApplication(deps(), STAFF, app.id)
    expect(approved.correctionId).toBeTruthy()
    await eventually(async () => {
      await cloud.dev('/dev/api/triggers/invoiceWorker', {})
      return (await me.ok('aftersales', 'getApplication', { applicationId: app.id })).application.status === 'done'
    }, 15_000)
    const view = (await me.ok('aftersales', 'getApplication', { applicationId: app.id })).application
    const replacement = (await me.ok('invoice', 'get', { invoiceId: view.resultInvoiceId })).invoice
    expect(replacement).toMatchObject({ status: 'issued', color: 'blue', title: { name: '武汉示例科技有限公司' } })
    expect((await me.ok('invoice', 'get', { invoiceId: inv.id })).invoice.chain.reversedById).toBeTruthy()
    // a retried approve starts no second correction
    expect((await approveApplication(deps(), STAFF, app.id)).correctionId).toBe(approved.correctionId)
  })

  it('closes a 换开 application with the reason when the red-letter form is refused, the original untouched', async () => {
    const me = await cloud.login(uniqueName('换开被拒'))
    const inv = await issuedInvoice(me)
    const company = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' })).title
    const app = (
      await me.ok('aftersales', 'apply', { type: 'correction', invoiceId: inv.id, titleId: company.id, contactPhone: '13812345678', clientToken: token() })
    ).application
    const provider = deps().provider
    const apply = provider.applyRedConfirmation
    provider.applyRedConfirmation = async (req) => ({ state: 'refused', reason: '购买方拒绝', confirmationNo: `RC${req.requestNo.slice(-10)}` })
    try {
      await approveApplication(deps(), STAFF, app.id)
      await cloud.dev('/dev/api/triggers/invoiceWorker', {})
    } finally {
      provider.applyRedConfirmation = apply
    }
    const ended = (await me.ok('aftersales', 'getApplication', { applicationId: app.id })).application
    expect(ended.status).toBe('rejected')
    expect(ended.rejectReason).toMatch(/原发票继续有效/)
    expect(ended.timeline.at(-1)).toMatchObject({ status: 'rejected', by: 'system' })
    const original = (await me.ok('invoice', 'get', { invoiceId: inv.id })).invoice
    expect(original.chain).toMatchObject({ reversedById: null, replacedById: null })
    // staff cannot reject an application they approved
    const other = (await me.ok('aftersales', 'apply', supplement({ offPlatform: [offline()], titleId: company.id }))).application
    await startReview(deps(), STAFF, other.id)
    await approveApplication(deps(), STAFF, other.id)
    await expect(rejectApplication(deps(), STAFF, other.id, '改主意了')).rejects.toMatchObject({ code: 'APPLICATION.BAD_STATE' })
  })

  it('requires a reason to reject and shows it to the person', async () => {
    const me = await cloud.login(uniqueName('驳回'))
    const title = await personalTitle(me)
    const app = (await me.ok('aftersales', 'apply', supplement({ offPlatform: [offline()], titleId: title.id }))).application
    await expect(rejectApplication(deps(), STAFF, app.id, ' ')).rejects.toMatchObject({ code: 'STAFF.REASON_REQUIRED' })
    const rejected = await rejectApplication(deps(), STAFF, app.id, '未能核实该笔充值，请补充充值凭证照片')
    expect(rejected.status).toBe('rejected')
    const view = (await me.ok('aftersales', 'getApplication', { applicationId: app.id })).application
    expect(view.rejectReason).toBe('未能核实该笔充值，请补充充值凭证照片')
    expect(await codeOf(me, 'withdrawApplication', { applicationId: app.id })).toBe('APPLICATION.BAD_STATE')
    await expect(approveApplication(deps(), STAFF, app.id)).rejects.toMatchObject({ code: 'APPLICATION.BAD_STATE' })
  })
})

async function issuedInvoice(me: Client): Promise<{ id: string; invoiceNo: string }> {
  const title = await personalTitle(me)
  const [o] = await paidOrders(me, [2000])
  const inv = (await me.ok('invoice', 'request', { orderIds: [o], titleId: title.id, clientToken: token() })).invoice
  expect(inv.status).toBe('issued')
  return inv
}

const ADDRESS = {
  recipient: '张三',
  phone: '13912345678',
  province: '湖北省',
  city: '武汉市',
  district: '江汉区',
  detail: '建设大道 568 号 1 栋 101',
  postalCode: '430000',
}

describe('paper copies by post', () => {
  it('takes one active request per invoice whatever the race, checks the address, and keeps it private', async () => {
    const me = await cloud.login(uniqueName('邮寄'))
    const other = await cloud.login(uniqueName('邮寄旁人'))
    const inv = await issuedInvoice(me)
    for (const bad of [
      { ...ADDRESS, recipient: '' },
      { ...ADDRESS, phone: '123' },
      { ...ADDRESS, detail: '长'.repeat(121) },
      { ...ADDRESS, detail: '建设大道\u0000568' },
      { ...ADDRESS, postalCode: '4300' },
      'not an address',
    ]) {
      expect(await codeOf(me, 'requestPaper', { invoiceId: inv.id, address: bad, clientToken: token() })).toBe('PAPER.ADDRESS_INVALID')
    }
    expect(await codeOf(other, 'requestPaper', { invoiceId: inv.id, address: ADDRESS, clientToken: token() })).toBe('INVOICE.NOT_FOUND')
    expect((await me.ok('aftersales', 'listPaper')).items).toEqual([])

    const racing = await Promise.all(
      Array.from({ length: 6 }, () => me.call('aftersales', { action: 'requestPaper', invoiceId: inv.id, address: ADDRESS, clientToken: token() })),
    )
    const won = racing.filter((r) => r.body.ok)
    expect(won).toHaveLength(1)
    expect(racing.filter((r) => !r.body.ok).map((r) => r.body.error.code)).toEqual(Array(5).fill('PAPER.ACTIVE_EXISTS'))
    const paper = won[0].body.data.paper
    expect(paper).toMatchObject({ status: 'requested', invoiceNo: inv.invoiceNo, address: { ...ADDRESS, phone: '139****5678' } })
    // same token again: the same request
    const tok = token()
    const inv2 = await issuedInvoice(me)
    const a = (await me.ok('aftersales', 'requestPaper', { invoiceId: inv2.id, address: ADDRESS, clientToken: tok })).paper
    const b = (await me.ok('aftersales', 'requestPaper', { invoiceId: inv2.id, address: ADDRESS, clientToken: tok })).paper
    expect(b.id).toBe(a.id)
    expect(await codeOf(other, 'getPaper', { paperId: paper.id })).toBe('PAPER.NOT_FOUND')
    expect(await codeOf(other, 'cancelPaper', { paperId: paper.id })).toBe('PAPER.NOT_FOUND')
    expect((await me.ok('aftersales', 'summary')).paperActive).toBe(2)

    // the invoice detail shows it, and its history records it
    const detail = (await me.ok('invoice', 'get', { invoiceId: inv.id })).invoice
    expect(detail.history.map((e: { type: string }) => e.type)).toContain('paper_requested')

    // cancel before printed frees the slot
    expect((await me.ok('aftersales', 'cancelPaper', { paperId: paper.id })).paper.status).toBe('cancelled')
    const again = (await me.ok('aftersales', 'requestPaper', { invoiceId: inv.id, address: ADDRESS, clientToken: token() })).paper
    expect(again.id).not.toBe(paper.id)
  })

  it('moves requested -> printed -> mailed -> delivered with notices, refuses a cancel once printed and a bad tracking number', async () => {
    const me = await cloud.login(uniqueName('寄送'))
    await me.ok('profile', 'recordSubscriptions', { results: { afterSalesUpdate: 'accept' } })
    const inv = await issuedInvoice(me)
    const paper = (await me.ok('aftersales', 'requestPaper', { invoiceId: inv.id, address: ADDRESS, clientToken: token() })).paper
    await expect(markPaper(deps(), STAFF, paper.id, 'mailed', { carrier: '顺丰', trackingNo: 'SF1234567890' })).rejects.toMatchObject({
      code: 'PAPER.BAD_STATE',
    })
    await markPaper(deps(), STAFF, paper.id, 'printed')
    expect(await codeOf(me, 'cancelPaper', { paperId: paper.id })).toBe('PAPER.BAD_STATE')
    await expect(markPaper(deps(), STAFF, paper.id, 'mailed', { carrier: '顺丰', trackingNo: '12' })).rejects.toMatchObject({ code: 'COMMON.BAD_REQUEST' })
    await expect(markPaper(deps(), STAFF, paper.id, 'mailed', { carrier: '', trackingNo: 'SF1234567890' })).rejects.toMatchObject({
      code: 'COMMON.BAD_REQUEST',
    })
    const mailed = await markPaper(deps(), STAFF, paper.id, 'mailed', { carrier: '顺丰', trackingNo: 'sf 1234 567 890' })
    expect(mailed).toMatchObject({ status: 'mailed', carrier: '顺丰', trackingNo: 'SF1234567890' })
    // a retried "mailed" is the same step
    expect((await markPaper(deps(), STAFF, paper.id, 'mailed', { carrier: '顺丰', trackingNo: 'SF1234567890' })).rev).toBe(mailed.rev)
    const delivered = await markPaper(deps(), STAFF, paper.id, 'delivered')
    expect(delivered.status).toBe('delivered')
    await expect(markPaper(deps(), STAFF, paper.id, 'returned', { reason: '查无此人' })).rejects.toMatchObject({ code: 'PAPER.BAD_STATE' })

    const view = (await me.ok('aftersales', 'getPaper', { paperId: paper.id })).paper
    expect(view.timeline.map((e: { status: string }) => e.status)).toEqual(['requested', 'printed', 'mailed', 'delivered'])
    expect(view.timeline[2].text).toContain('SF1234567890')
    // one accepted subscription = one message (the first change); the rest are skipped, not failed
    const msgs = await messagesOf(me.openid)
    expect(msgs).toHaveLength(1)
    expect(Object.values(msgs[0].data).map((v) => v.value)).toEqual(expect.arrayContaining(['纸质发票邮寄', '已打印']))
    // a delivered request is no longer active: a new one may be made
    expect((await me.ok('aftersales', 'summary')).paperActive).toBe(0)
    const history = (await me.ok('invoice', 'get', { invoiceId: inv.id })).invoice.history.filter((e: { type: string }) => e.type === 'paper_status')
    expect(history.map((e: { detail: string }) => e.detail)).toEqual(['已打印', '已寄出', '已签收'])
  })

  it('only for an issued invoice', async () => {
    const me = await cloud.login(uniqueName('未开具'))
    const title = await personalTitle(me)
    const [o] = await paidOrders(me, [2000])
    await cloud.dev('/dev/api/provider', { latencyMs: 60_000 })
    const pending = (await me.ok('invoice', 'request', { orderIds: [o], titleId: title.id, clientToken: token() })).invoice
    expect(pending.status).not.toBe('issued')
    expect(await codeOf(me, 'requestPaper', { invoiceId: pending.id, address: ADDRESS, clientToken: token() })).toBe('PAPER.INVOICE_NOT_ISSUED')
  })
})

describe('tickets (问题反馈)', () => {
  it('runs a thread with staff, closes and rates once, and keeps it private', async () => {
    const me = await cloud.login(uniqueName('反馈'))
    const other = await cloud.login(uniqueName('反馈旁人'))
    const email = `${me.openid.slice(1, 9).toLowerCase()}@example.org`
    await me.ok('profile', 'updateSettings', { defaultEmail: email })
    const inv = await issuedInvoice(me)
    const othersInv = await issuedInvoice(other)

    expect(await codeOf(me, 'openTicket', { category: 'invoice_missing', text: '   ', clientToken: token() })).toBe('TICKET.TEXT_INVALID')
    expect(await codeOf(me, 'openTicket', { category: 'invoice_missing', text: '长'.repeat(501), clientToken: token() })).toBe('TICKET.TEXT_INVALID')
    expect(await codeOf(me, 'openTicket', { category: 'refund', text: '退款', clientToken: token() })).toBe('COMMON.BAD_REQUEST')
    expect(await codeOf(me, 'openTicket', { category: 'invoice_missing', text: '没收到', invoiceId: othersInv.id, clientToken: token() })).toBe(
      'INVOICE.NOT_FOUND',
    )
    expect(await codeOf(me, 'openTicket', { category: 'topup', text: '充值没到账', orderId: 'WT00000000000000NOPE00000000', clientToken: token() })).toBe(
      'ORDER.NOT_FOUND',
    )
    expect((await me.ok('aftersales', 'listTickets')).items).toEqual([])

    const input = { category: 'invoice_missing', text: '发票邮件一直没收到', invoiceId: inv.id, clientToken: token() }
    const racing = await Promise.all([1, 2, 3].map(() => me.call('aftersales', { action: 'openTicket', ...input })))
    expect(new Set(racing.map((r) => r.body.data.ticket.id)).size).toBe(1)
    const t = racing[0].body.data.ticket
    expect(t).toMatchObject({ status: 'open', invoiceId: inv.id, rating: null, messages: [{ from: 'user', text: '发票邮件一直没收到' }] })
    expect(await codeOf(other, 'getTicket', { ticketId: t.id })).toBe('TICKET.NOT_FOUND')
    expect(await codeOf(other, 'replyTicket', { ticketId: t.id, text: '插话' })).toBe('TICKET.NOT_FOUND')

    const since = new Date()
    const answered = await replyAsStaff(deps(), STAFF, t.id, '已为您重新发送，请查看垃圾邮件箱')
    expect(answered.status).toBe('answered')
    const mail = await cloud.smtp.waitFor({ to: email, since })
    expect(mail.subject).toContain('问题反馈')
    expect((await me.ok('aftersales', 'summary')).ticketsAnswered).toBe(1)

    const replied = (await me.ok('aftersales', 'replyTicket', { ticketId: t.id, text: '收到了，谢谢' })).ticket
    expect(replied.status).toBe('open')
    expect(replied.messages.map((m: { from: string }) => m.from)).toEqual(['user', 'staff', 'user'])
    // two replies at once: both land
    await Promise.all([
      me.ok('aftersales', 'replyTicket', { ticketId: t.id, text: '补充一' }),
      me.ok('aftersales', 'replyTicket', { ticketId: t.id, text: '补充二' }),
    ])
    expect((await me.ok('aftersales', 'getTicket', { ticketId: t.id })).ticket.messages).toHaveLength(5)

    expect(await codeOf(me, 'closeTicket', { ticketId: t.id, rating: 6 })).toBe('TICKET.RATING_INVALID')
    expect(await codeOf(me, 'closeTicket', { ticketId: t.id, rating: 0 })).toBe('TICKET.RATING_INVALID')
    const closed = (await me.ok('aftersales', 'closeTicket', { ticketId: t.id })).ticket
    expect(closed).toMatchObject({ status: 'closed', rating: null })
    expect((await me.ok('aftersales', 'closeTicket', { ticketId: t.id, rating: 5 })).ticket.rating).toBe(5)
    expect(await codeOf(me, 'closeTicket', { ticketId: t.id, rating: 4 })).toBe('TICKET.RATING_INVALID')
    expect(await codeOf(me, 'replyTicket', { ticketId: t.id, text: '再问一下' })).toBe('TICKET.CLOSED')
    await expect(replyAsStaff(deps(), STAFF, t.id, '还有问题吗')).rejects.toMatchObject({ code: 'TICKET.CLOSED' })
  })

  it('staff close with a reason the person reads', async () => {
    const me = await cloud.login(uniqueName('客服关闭'))
    const t = (await me.ok('aftersales', 'openTicket', { category: 'suggestion', text: '希望支持更多银行卡', clientToken: token() })).ticket
    await expect(closeAsStaff(deps(), STAFF, t.id, '')).rejects.toMatchObject({ code: 'STAFF.REASON_REQUIRED' })
    await closeAsStaff(deps(), STAFF, t.id, '建议已转交产品团队')
    const view = (await me.ok('aftersales', 'getTicket', { ticketId: t.id })).ticket
    expect(view.status).toBe('closed')
    expect(view.messages[view.messages.length - 1]).toMatchObject({ from: 'staff', text: expect.stringContaining('建议已转交产品团队') })
    // the person may still rate it once
    expect((await me.ok('aftersales', 'closeTicket', { ticketId: t.id, rating: 4 })).ticket.rating).toBe(4)
  })
})

describe('notice e-mails', () => {
  it('are retried by the worker after a failed send, and none is lost', async () => {
    const me = await cloud.login(uniqueName('重试'))
    const email = `${me.openid.slice(1, 9).toLowerCase()}@example.net`
    await me.ok('profile', 'updateSettings', { defaultEmail: email })
    const t = (await me.ok('aftersales', 'openTicket', { category: 'topup', text: '充值问题', clientToken: token() })).ticket
    const since = new Date()
    await cloud.dev('/dev/api/mail/fail', { n: 1 })
    await replyAsStaff(deps(), STAFF, t.id, '请提供充值时间')
    const item = await deps().notices.findById(`ticket:${t.id}:1`)
    expect(item).toMatchObject({ status: 'pending', attempts: 1, to: email })
    expect(cloud.smtp.list({ to: email, since })).toHaveLength(0)
    // the backoff passes; the worker's sweep sends it
    await cloud.dev('/dev/api/clock', { offsetMs: 2 * 60_000 })
    const report = await cloud.dev('/dev/api/triggers/invoiceWorker', {})
    expect(report.data.aftersales.noticesSent).toBe(1)
    expect((await deps().notices.findById(`ticket:${t.id}:1`))!.status).toBe('sent')
    const mail = await cloud.smtp.waitFor({ to: email, since })
    expect(mail.subject).toBe('【武汉通】您的问题反馈有新进度：已回复')
    expect(mail.text).toContain('客服已回复您的反馈')
    expect(mail.html).toContain('<b>已回复</b>')
  })
})
