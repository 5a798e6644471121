import crypto from 'node:crypto'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * The staff function over the local cloud: console calls (source 'external', an operator in
 * the event) through LocalCloud.invoke, mini-program staff over HTTP with a session, SQLite on
 * disk, the provider sandbox, SMTP capture. Who may do what, what is masked, what is audited.
 */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_RESEND_COOLDOWN_SECONDS: '0', INVOICE_INLINE_WAIT_MS: '3000' } })
}, 30_000)
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/provider', { latencyMs: 0, failureRate: 0 })
})

const token = () => crypto.randomBytes(10).toString('hex')
let seq = 0
const uniqueName = (base: string) => `${base}${++seq}`
const PHONE = '13812345678'
const EMAIL = 'alice.staff@example.com'

type Env = { ok: boolean; data?: any; error?: { code: string; message: string } }
/** a console call: what the cloud console's test panel sends */
const console_ = (event: Record<string, unknown>, operator: string | null = '张三') =>
  cloud.invoke('staff', { ...event, ...(operator === null ? {} : { operator }) }, 'external') as Promise<Env>
const consoleOk = async (event: Record<string, unknown>) => {
  const r = await console_(event)
  if (!r.ok) throw new Error(`staff.${String(event.action)} failed: ${JSON.stringify(r.error)}`)
  return r.data
}
const staffCall = async (c: Client, event: Record<string, unknown>): Promise<Env> => (await c.call('staff', event)).body

async function paidOrders(me: Client, amounts: number[]): Promise<string[]> {
  const cards = (await me.ok('card', 'list')).cards as { id: string; cardNo: string }[]
  const cardId = cards[0]?.id ?? (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
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

/** A citizen with a title, an e-mail, an issued invoice, an application, a ticket and a paper request. */
async function citizen() {
  const me = await cloud.login(uniqueName('市民'))
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张小明' })).title
  await me.ok('profile', 'updateSettings', { defaultEmail: EMAIL })
  const [orderId] = await paidOrders(me, [2000])
  const requested = (await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })).invoice
  const invoice = await eventually(async () => {
    const i = (await me.ok('invoice', 'get', { invoiceId: requested.id })).invoice
    return i.status === 'issued' ? i : null
  }, 15_000)
  const application = (
    await me.ok('aftersales', 'apply', {
      type: 'supplement',
      offPlatform: [{ cardNo: CARD_A, date: '2026-01-02', amountFen: 5000, channel: 'machine' }],
      titleId: title.id,
      contactPhone: PHONE,
      note: `自助机充值，电话 ${PHONE}`,
      clientToken: token(),
    })
  ).application
  const ticket = (
    await me.ok('aftersales', 'openTicket', { category: 'invoice_missing', text: `没收到发票，请发到 ${EMAIL}`, invoiceId: invoice.id, clientToken: token() })
  ).ticket
  const paper = (
    await me.ok('aftersales', 'requestPaper', {
      invoiceId: invoice.id,
      address: { recipient: '张小明', phone: PHONE, province: '湖北省', city: '武汉市', district: '江汉区', detail: '新华路 100 号 3 栋' },
      clientToken: token(),
    })
  ).paper
  return { me, title, orderId, invoice, application, ticket, paper }
}

async function staffMember(role: 'viewer' | 'agent' | 'admin') {
  const c = await cloud.login(uniqueName(`工作人员${role}`))
  await consoleOk({ action: 'grant', openid: c.openid, name: `${role}客服`, role, reason: '测试授权' })
  return c
}

async function auditOf(target: string) {
  return (await consoleOk({ action: 'audit', target, limit: 50 })).items as any[]
}

// ---------------------------------------------------------------------------------------

describe('who may call staff: every action, every kind of caller', () => {
  const NONE = 'NONE-0000'
  const EVENTS: Record<string, Record<string, unknown>> = {
    whoami: {},
    queues: {},
    case: { kind: 'invoice', id: NONE },
    startReview: { applicationId: NONE },
    approve: { applicationId: NONE },
    reject: { applicationId: NONE, reason: '材料不全' },
    correct: { invoiceId: NONE, titleId: NONE, reason: '抬头有误', clientToken: 'staff-tok-0001' },
    reply: { ticketId: NONE, text: '您好' },
    closeTicket: { ticketId: NONE, reason: '已解决' },
    paperPrinted: { paperId: NONE },
    paperMailed: { paperId: NONE, carrier: '顺丰速运', trackingNo: 'SF1234567890' },
    paperDelivered: { paperId: NONE },
    paperReturned: { paperId: NONE, reason: '地址错误' },
    retryInvoice: { invoiceId: NONE, reason: '供应商恢复' },
    resendInvoice: { invoiceId: NONE, reason: '用户来电' },
    setNotice: { level: 'info', text: '测试公告', until: '2000-01-01T00:00:00Z', pages: 'home', reason: '演练' },
    endNotice: { noticeId: NONE, reason: '演练结束' },
    listNotices: {},
    find: { by: 'invoice', value: NONE },
    health: {},
    grant: { openid: 'oNobody000000000000000000000', name: '某人', role: null, reason: '清理' },
    audit: {},
    auditVerify: {},
  }
  const READS = ['whoami', 'queues', 'case', 'listNotices', 'find', 'health']
  const ADMIN = ['grant', 'audit', 'auditVerify']
  const AUTH = ['COMMON.FORBIDDEN', 'COMMON.UNAUTHENTICATED', 'STAFF.OPERATOR_REQUIRED', 'STAFF.ROLE_INSUFFICIENT']
  const passed = (r: Env) => r.ok || !AUTH.includes(r.error!.code)

  let viewer: Client, agent: Client, admin: Client, nobody: Client
  beforeAll(async () => {
    ;[viewer, agent, admin] = [await staffMember('viewer'), await staffMember('agent'), await staffMember('admin')]
    nobody = await cloud.login(uniqueName('普通用户'))
  })

  it('lists every action of the contract', async () => {
    expect(Object.keys(EVENTS).sort()).toEqual(Object.keys((await import('../../cloudfunctions/_core/domain/staff')).MIN_ROLE).sort())
  })

  it.each(Object.keys(EVENTS))('%s: console with operator passes; without operator, other sources, plain users and anonymous do not', async (action) => {
    const event = { action, ...EVENTS[action] }
    expect(passed(await console_(event))).toBe(true)
    expect((await console_(event, null)).error?.code).toBe('STAFF.OPERATOR_REQUIRED')
    expect((await console_(event, '   ')).error?.code).toBe('STAFF.OPERATOR_REQUIRED')
    expect((await console_(event, 'x'.repeat(33))).error?.code).toBe('STAFF.OPERATOR_REQUIRED')
    expect(((await cloud.invoke('staff', { ...event, operator: '张三' }, 'wx_trigger')) as Env).error?.code).toBe('COMMON.FORBIDDEN')
    expect(((await cloud.invoke('staff', { ...event, operator: '张三' }, 'scf')) as Env).error?.code).toBe('COMMON.FORBIDDEN')
    // a person without a role, even naming an operator
    expect((await staffCall(nobody, { ...event, operator: '张三' })).error?.code).toBe('COMMON.FORBIDDEN')
    // anonymous in the mini-program
    const anon = await fetch(`${cloud.url}/functions/staff`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) })
    expect([anon.status, ((await anon.json()) as Env).error?.code]).toEqual([401, 'COMMON.UNAUTHENTICATED'])
  })

  it.each(Object.keys(EVENTS))('%s: viewer, agent and admin in the mini-program get exactly their role', async (action) => {
    const event = { action, ...EVENTS[action] }
    const [v, a, d] = [await staffCall(viewer, event), await staffCall(agent, event), await staffCall(admin, event)]
    expect(passed(v)).toBe(READS.includes(action))
    if (!READS.includes(action)) expect(v.error?.code).toBe('STAFF.ROLE_INSUFFICIENT')
    expect(passed(a)).toBe(!ADMIN.includes(action))
    if (ADMIN.includes(action)) expect(a.error?.code).toBe('STAFF.ROLE_INSUFFICIENT')
    expect(passed(d)).toBe(true)
  })

  it('names a mini-program staff member by the staff record, never by an operator in the event', async () => {
    expect((await staffCall(agent, { action: 'whoami', operator: '冒名顶替' })).data).toEqual({ operator: 'agent客服', role: 'agent', via: 'miniprogram' })
    expect(await consoleOk({ action: 'whoami' })).toEqual({ operator: '张三', role: 'admin', via: 'console' })
  })

  it('user functions still refuse calls from outside WeChat', async () => {
    expect(((await cloud.invoke('card', { action: 'list' }, 'external')) as Env).error?.code).toBe('COMMON.FORBIDDEN')
    expect(((await cloud.invoke('invoice', { action: 'list' }, 'external')) as Env).error?.code).toBe('COMMON.FORBIDDEN')
  })

  it('refuses bad input with a code and no crash', async () => {
    expect((await console_({ action: 'nope' })).error?.code).toBe('COMMON.UNKNOWN_ACTION')
    expect((await console_({ action: 'queues', queue: 'everything' })).error?.code).toBe('COMMON.BAD_REQUEST')
    expect((await console_({ action: 'case', kind: 'person', id: 'x' })).error?.code).toBe('COMMON.BAD_REQUEST')
    expect((await console_({ action: 'grant', openid: 'o', name: '某人', role: 'root', reason: '测试一下' })).error?.code).toBe('COMMON.BAD_REQUEST')
    expect((await console_({ action: 'audit', cursor: 'not-a-cursor' })).error?.code).toBe('COMMON.BAD_REQUEST')
    expect(((await cloud.invoke('staff', [1, 2], 'external')) as Env).error?.code).toBe('COMMON.BAD_REQUEST')
    expect(((await cloud.invoke('staff', { action: 'whoami', operator: '张三', pad: 'x'.repeat(20_000) }, 'external')) as Env).error?.code).toBe(
      'COMMON.BAD_REQUEST',
    )
  })
})

describe('roles', () => {
  it('an admin grants, changes and revokes roles; each change is audited with a reason', async () => {
    const bob = await cloud.login(uniqueName('小王'))
    expect((await staffCall(bob, { action: 'whoami' })).error?.code).toBe('COMMON.FORBIDDEN')
    expect(await consoleOk({ action: 'grant', openid: bob.openid, name: '王客服', role: 'viewer', reason: '新入职' })).toEqual({
      staff: { openid: bob.openid, name: '王客服', role: 'viewer' },
    })
    expect((await staffCall(bob, { action: 'whoami' })).data).toMatchObject({ role: 'viewer' })
    expect((await consoleOk({ action: 'grant', openid: bob.openid, name: '王客服', role: 'agent', reason: '转正' })).staff.role).toBe('agent')
    expect((await console_({ action: 'grant', openid: bob.openid, name: '王客服', role: 'admin' })).error?.code).toBe('STAFF.REASON_REQUIRED')
    expect(await consoleOk({ action: 'grant', openid: bob.openid, name: '王客服', role: null, reason: '离职' })).toEqual({ staff: null })
    expect((await staffCall(bob, { action: 'whoami' })).error?.code).toBe('COMMON.FORBIDDEN')
    const trail = await auditOf(`staff:${bob.openid}`)
    expect(trail.map((r) => [r.action, r.reason, r.operator, r.via])).toEqual([
      ['staff.revoke', '离职', '张三', 'console'],
      ['staff.grant', '转正', '张三', 'console'],
      ['staff.grant', '新入职', '张三', 'console'],
    ])
    expect(trail[0].afterDigest).toBeNull()
    expect(trail[2].beforeDigest).toBeNull()
    expect(trail[1].beforeDigest).toBe(trail[2].afterDigest)
  })
})

describe('queues and cases', () => {
  it('counts and lists the open work, one masked line each', async () => {
    const { me, application, ticket, paper } = await citizen()
    const { counts, items } = await consoleOk({ action: 'queues', limit: 50 })
    expect(counts.applications).toBeGreaterThanOrEqual(1)
    expect(counts.tickets).toBeGreaterThanOrEqual(1)
    expect(counts.paper).toBeGreaterThanOrEqual(1)
    const mine = items.filter((i: any) => [application.id, ticket.id, paper.id].includes(i.id))
    expect(mine.map((i: any) => i.queue).sort()).toEqual(['applications', 'paper', 'tickets'])
    const text = JSON.stringify(items)
    expect(text).not.toContain(PHONE)
    expect(text).not.toContain(EMAIL)
    expect(text).not.toContain(me.openid)
    expect(text).toContain('138****5678')
    const only = await consoleOk({ action: 'queues', queue: 'tickets' })
    expect(new Set(only.items.map((i: any) => i.queue))).toEqual(new Set(['tickets']))
    expect(only.counts).toEqual(counts)
  })

  it('carries the staff function’s configuration problems: the local environment judged as WeChat cloud would', async () => {
    // this cloud runs the sandbox with the example seller: fine locally, refused in WeChat cloud
    const { config } = await consoleOk({ action: 'queues' })
    const keys = config.problems.filter((p: any) => p.level === 'error').map((p: any) => p.key)
    expect(keys).toEqual(expect.arrayContaining(['SELLER_TAX_ID', 'SELLER_BANK_ACCOUNT', 'INVOICE_PROVIDER']))
    expect(config.problems.find((p: any) => p.key === 'INVOICE_PROVIDER')).toEqual({
      key: 'INVOICE_PROVIDER',
      level: 'error',
      message: expect.stringContaining('INVOICE_ALLOW_SANDBOX'),
    })
    // the levels in order, errors first
    const levels = config.problems.map((p: any) => p.level)
    expect(levels).toEqual([...levels].sort())
    // a mini-program staff member (viewer) sees the same
    const viewer = await staffMember('viewer')
    expect((await staffCall(viewer, { action: 'queues' })).data.config).toEqual(config)
  })

  it('shows a case masked; with a reason an agent sees it in full and the read is audited first', async () => {
    const { me, application } = await citizen()
    const viewer = await staffMember('viewer')
    const agent = await staffMember('agent')

    const masked = (await staffCall(viewer, { action: 'case', kind: 'application', id: application.id })).data.case
    expect(masked.unmasked).toBe(false)
    const text = JSON.stringify(masked)
    for (const raw of [PHONE, EMAIL, CARD_A, '张小明', me.openid]) expect(text).not.toContain(raw)
    expect(masked.subject.contactPhoneMasked).toBe('138****5678')
    expect(masked.subject.title.name).toBe('张*明')
    expect(masked.person.email).toBe('a***@example.com')
    expect(masked.person.orders[0].cardNo).toBe('3104 **** **** 5673')
    expect(masked.person.invoices.length).toBeGreaterThan(0)
    expect(await auditOf(`application:${application.id}`)).toEqual([])

    expect((await staffCall(viewer, { action: 'case', kind: 'application', id: application.id, reason: '用户来电核对' })).error?.code).toBe(
      'STAFF.ROLE_INSUFFICIENT',
    )
    expect((await staffCall(agent, { action: 'case', kind: 'application', id: application.id, reason: '好' })).error?.code).toBe('STAFF.REASON_REQUIRED')
    expect(await auditOf(`application:${application.id}`)).toEqual([])

    const full = (await staffCall(agent, { action: 'case', kind: 'application', id: application.id, reason: '用户来电核对' })).data.case
    expect(full.unmasked).toBe(true)
    expect(full.subject.contactPhone).toBe(PHONE)
    expect(full.person).toMatchObject({ openid: me.openid, email: EMAIL })
    const [rec] = await auditOf(`application:${application.id}`)
    expect(rec).toMatchObject({
      action: 'case.unmask',
      operator: 'agent客服',
      role: 'agent',
      reason: '用户来电核对',
      via: expect.stringMatching(/^o.{3}\*{4}.{4}$/),
    })
    expect(rec.beforeDigest).toMatch(/^[0-9a-f]{16}$/)
    expect(rec.afterDigest).toBe(rec.beforeDigest)
  })

  it('opens every kind of case, and answers NOT_FOUND codes for unknown ids', async () => {
    const { orderId, invoice, ticket, paper } = await citizen()
    for (const [kind, id] of [
      ['invoice', invoice.id],
      ['order', orderId],
      ['ticket', ticket.id],
      ['paper', paper.id],
    ]) {
      const c = (await consoleOk({ action: 'case', kind, id })).case
      expect(c).toMatchObject({ kind, id, unmasked: false })
    }
    const paperCase = (await consoleOk({ action: 'case', kind: 'paper', id: paper.id })).case
    expect(paperCase.subject.address).toMatchObject({ recipient: '张*明', phone: '138****5678', detail: '新华路***' })
    for (const [kind, code] of [
      ['application', 'APPLICATION.NOT_FOUND'],
      ['ticket', 'TICKET.NOT_FOUND'],
      ['paper', 'PAPER.NOT_FOUND'],
      ['invoice', 'INVOICE.NOT_FOUND'],
      ['order', 'ORDER.NOT_FOUND'],
      ['correction', 'CORRECTION.NOT_FOUND'],
    ]) {
      expect((await console_({ action: 'case', kind, id: 'NOPE' })).error?.code).toBe(code)
    }
  })
})

describe('actions, each audited', () => {
  it('reviews and approves a 补开 by recording the off-platform top-up: an invoice is issued', async () => {
    const { me, application } = await citizen()
    const agent = await staffMember('agent')
    const started = await staffCall(agent, { action: 'startReview', applicationId: application.id })
    expect(started.data.application.status).toBe('in_review')
    // a second start changes nothing and writes nothing
    await staffCall(agent, { action: 'startReview', applicationId: application.id })
    const approved = await staffCall(agent, {
      action: 'approve',
      applicationId: application.id,
      offPlatform: [{ cardNo: CARD_A, date: '2026-01-02', amountFen: 5000, channel: 'machine', extra: 'dropped' }],
      reason: '核对自助机流水无误',
    })
    expect(approved.ok).toBe(true)
    expect(['approved', 'done']).toContain(approved.data.application.status)
    const done = await eventually(async () => {
      await cloud.dev('/dev/api/triggers/invoiceWorker', {})
      const a = (await me.ok('aftersales', 'getApplication', { applicationId: application.id })).application
      return a.status === 'done' ? a : null
    }, 15_000)
    expect(done.resultInvoiceId).toBeTruthy()
    const trail = await auditOf(`application:${application.id}`)
    expect(trail.map((r) => r.action)).toEqual(['application.approve', 'application.startReview'])
    expect(trail[0].reason).toContain('核对自助机流水无误')
    expect(trail[0].reason).toContain('2026-01-02')
    expect(trail[0].beforeDigest).toBe(trail[1].afterDigest)
    expect(trail[0].afterDigest).not.toBe(trail[0].beforeDigest)
  })

  it('audits what a failing approval did change before it failed', async () => {
    const { me, application } = await citizen()
    // approving a submitted application opens the review first; then the order check fails
    const failed = await console_({ action: 'approve', applicationId: application.id, orderIds: ['WT-NOT-HERS'] })
    expect(failed.ok).toBe(false)
    expect(failed.error!.code).not.toBe('INTERNAL')
    expect((await me.ok('aftersales', 'getApplication', { applicationId: application.id })).application.status).toBe('in_review')
    const [rec, ...rest] = await auditOf(`application:${application.id}`)
    expect(rest).toEqual([])
    expect(rec).toMatchObject({ action: 'application.approve', operator: '张三' })
    expect(rec.afterDigest).not.toBe(rec.beforeDigest)
  })

  it('rejects only with a reason; without one nothing changes', async () => {
    const { me, application } = await citizen()
    expect((await console_({ action: 'reject', applicationId: application.id })).error?.code).toBe('STAFF.REASON_REQUIRED')
    expect((await console_({ action: 'reject', applicationId: application.id, reason: ' ' })).error?.code).toBe('STAFF.REASON_REQUIRED')
    expect((await me.ok('aftersales', 'getApplication', { applicationId: application.id })).application.status).toBe('submitted')
    expect(await auditOf(`application:${application.id}`)).toEqual([])
    const rejected = await consoleOk({ action: 'reject', applicationId: application.id, reason: '该笔充值已在服务网点开票' })
    expect(rejected.application).toMatchObject({ status: 'rejected', rejectReason: '该笔充值已在服务网点开票' })
    expect((await console_({ action: 'approve', applicationId: application.id })).error?.code).toBe('APPLICATION.BAD_STATE')
    expect((await auditOf(`application:${application.id}`)).map((r) => [r.action, r.reason])).toEqual([['application.reject', '该笔充值已在服务网点开票']])
  })

  it('answers and closes a ticket', async () => {
    const { me, ticket } = await citizen()
    const replied = await consoleOk({ action: 'reply', ticketId: ticket.id, text: '已为您重新发送，请查看垃圾邮件箱' })
    expect(replied.ticket.status).toBe('answered')
    expect((await me.ok('aftersales', 'getTicket', { ticketId: ticket.id })).ticket.messages.at(-1)).toMatchObject({
      from: 'staff',
      text: '已为您重新发送，请查看垃圾邮件箱',
    })
    expect((await console_({ action: 'closeTicket', ticketId: ticket.id })).error?.code).toBe('STAFF.REASON_REQUIRED')
    expect((await consoleOk({ action: 'closeTicket', ticketId: ticket.id, reason: '用户已收到发票' })).ticket.status).toBe('closed')
    expect((await console_({ action: 'reply', ticketId: ticket.id, text: '再补充一句' })).error?.code).toBe('TICKET.CLOSED')
    expect((await auditOf(`ticket:${ticket.id}`)).map((r) => [r.action, r.reason])).toEqual([
      ['ticket.close', '用户已收到发票'],
      ['ticket.reply', null],
    ])
  })

  it('moves a paper copy printed -> mailed (tracking) -> delivered, in order only', async () => {
    const { me, paper } = await citizen()
    expect((await console_({ action: 'paperDelivered', paperId: paper.id })).error?.code).toBe('PAPER.BAD_STATE')
    expect((await consoleOk({ action: 'paperPrinted', paperId: paper.id })).paper.status).toBe('printed')
    const mailed = await consoleOk({ action: 'paperMailed', paperId: paper.id, carrier: '顺丰速运', trackingNo: 'SF1234567890' })
    expect(mailed.paper).toMatchObject({ status: 'mailed', carrier: '顺丰速运', trackingNo: 'SF1234567890' })
    expect((await consoleOk({ action: 'paperDelivered', paperId: paper.id })).paper.status).toBe('delivered')
    expect((await me.ok('aftersales', 'getPaper', { paperId: paper.id })).paper.status).toBe('delivered')
    expect((await auditOf(`paper:${paper.id}`)).map((r) => [r.action, r.reason])).toEqual([
      ['paper.delivered', null],
      ['paper.mailed', '顺丰速运 SF1234567890'],
      ['paper.printed', null],
    ])
  })

  it('retries a failed invoice and it is issued', async () => {
    const me = await cloud.login(uniqueName('失败'))
    const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '李四' })).title
    const [orderId] = await paidOrders(me, [3000])
    await cloud.dev('/dev/api/provider', { latencyMs: 0, failureRate: 1 })
    const inv = (await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })).invoice
    await eventually(async () => (await me.ok('invoice', 'get', { invoiceId: inv.id })).invoice.status === 'failed', 10_000)
    const q = await consoleOk({ action: 'queues', queue: 'invoices', limit: 50 })
    expect(q.items.find((i: any) => i.id === inv.id)).toMatchObject({ queue: 'invoices', kind: 'invoice', status: 'failed' })
    expect(q.counts.invoices).toBeGreaterThanOrEqual(1)

    await cloud.dev('/dev/api/provider', { latencyMs: 0, failureRate: 0 })
    expect((await console_({ action: 'retryInvoice', invoiceId: inv.id })).error?.code).toBe('STAFF.REASON_REQUIRED')
    const retried = await consoleOk({ action: 'retryInvoice', invoiceId: inv.id, reason: '开票服务已恢复' })
    const issued = await eventually(async () => {
      const i = (await me.ok('invoice', 'get', { invoiceId: inv.id })).invoice
      return i.status === 'issued' ? i : null
    }, 10_000)
    expect(issued.history.some((h: any) => h.type === 'staff_action')).toBe(true)
    expect(retried.invoice.id).toBe(inv.id)
    expect((await console_({ action: 'retryInvoice', invoiceId: inv.id, reason: '再试一次' })).error?.code).toBe('COMMON.BAD_REQUEST')
    expect((await auditOf(`invoice:${inv.id}`)).map((r) => r.action)).toEqual(['invoice.retry'])
  })

  it("re-sends an invoice to another address on the person's behalf, never logging the address in the trail", async () => {
    const { invoice } = await citizen()
    const before = cloud.smtp.list({ to: 'other.box@example.com' }).length
    const out = await consoleOk({ action: 'resendInvoice', invoiceId: invoice.id, email: 'other.box@example.com', reason: '用户说原邮箱已停用' })
    expect(out).toEqual({ queued: true, email: 'other.box@example.com' })
    await eventually(async () => cloud.smtp.list({ to: 'other.box@example.com' }).length > before)
    expect((await console_({ action: 'resendInvoice', invoiceId: invoice.id, email: 'not-an-email', reason: '再发一次' })).error?.code).toBe(
      'PROFILE.EMAIL_INVALID',
    )
    const trail = await auditOf(`invoice:${invoice.id}`)
    expect(trail.map((r) => r.action)).toEqual(['invoice.resend'])
    expect(JSON.stringify(trail)).not.toContain('other.box')
  })

  it("corrects an invoice on the person's behalf with a full title, checked like any title", async () => {
    const { invoice } = await citizen()
    expect((await console_({ action: 'correct', invoiceId: invoice.id, reason: '抬头写错', clientToken: token() })).error?.code).toBe('INVOICE.TITLE_REQUIRED')
    expect(
      (
        await console_({
          action: 'correct',
          invoiceId: invoice.id,
          title: { kind: 'enterprise', name: '某公司', taxId: '123' },
          reason: '抬头写错',
          clientToken: token(),
        })
      ).error?.code,
    ).toBe('TITLE.TAX_ID_INVALID')
    const other = await cloud.login(uniqueName('旁人'))
    const othersTitle = (await other.ok('profile', 'saveTitle', { kind: 'personal', name: '旁人' })).title
    expect((await console_({ action: 'correct', invoiceId: invoice.id, titleId: othersTitle.id, reason: '抬头写错', clientToken: token() })).error?.code).toBe(
      'TITLE.NOT_FOUND',
    )
    expect(await auditOf(`invoice:${invoice.id}`)).toEqual([])

    const clientToken = token()
    const event = {
      action: 'correct',
      invoiceId: invoice.id,
      title: { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' },
      reason: '用户来电：应开单位抬头',
      clientToken,
    }
    const first = await consoleOk(event)
    expect(first.correction).toMatchObject({ invoiceId: invoice.id, by: 'staff', newTitle: { name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' } })
    // the same request again is the same correction, and is not audited twice
    expect((await consoleOk(event)).correction.id).toBe(first.correction.id)
    const trail = await auditOf(`invoice:${invoice.id}`)
    expect(trail.map((r) => [r.action, r.reason])).toEqual([['invoice.correct', '用户来电：应开单位抬头']])
  })

  it('shows payments whose callback amount differs from the order in the payments queue', async () => {
    const me = await cloud.login(uniqueName('异常'))
    const cardId = (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 2000, clientToken: token() })
    // paid at the sandbox, the callback held back; then delivered claiming another amount
    await cloud.dev('/dev/api/pay/delivery', { mode: 'never' })
    try {
      await fetch(`${cloud.url}/sandbox/pay/confirm`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
      })
      await cloud.dev('/dev/api/pay/deliver', { outTradeNo: order.id, times: 1, override: { totalFee: 1, cashFee: 1 } })
    } finally {
      await cloud.dev('/dev/api/pay/delivery', { mode: 'once' })
    }
    const q = await eventually(async () => {
      const r = await consoleOk({ action: 'queues', queue: 'payments', limit: 50 })
      return r.items.some((i: any) => i.id === order.id) ? r : null
    })
    expect(q.items.find((i: any) => i.id === order.id)).toMatchObject({ kind: 'order', queue: 'payments' })
    expect(q.items.find((i: any) => i.id === order.id).summary).toContain('3104 **** **** 5673')
    const c = (await consoleOk({ action: 'case', kind: 'order', id: order.id })).case
    expect(c.subject.history.some((h: any) => h.type === 'anomaly')).toBe(true)
  })
})

describe('the audit trail', () => {
  it('is for admins, newest first, keyset-paged, chained', async () => {
    const agent = await staffMember('agent')
    expect((await staffCall(agent, { action: 'audit' })).error?.code).toBe('STAFF.ROLE_INSUFFICIENT')
    const page1 = await consoleOk({ action: 'audit', limit: 3 })
    expect(page1.items).toHaveLength(3)
    const page2 = await consoleOk({ action: 'audit', limit: 3, cursor: page1.nextCursor })
    const ids = [...page1.items, ...page2.items].map((r: any) => r.id)
    expect([...ids].sort().reverse()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
    for (const r of page1.items) expect(r).toMatchObject({ id: expect.stringMatching(/^AUD\d{12}$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(page1.items[1].hash).toBe(page1.items[0].prevHash)
    // append-only at the database
    expect(() => cloud.runtime.db.prepare("UPDATE staff_audit SET reason = 'x'").run()).toThrow(/append-only/)
  })
})
