import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { formatTimeEnd } from '../../../cloudfunctions/_core/domain/order'
import type { CallContext } from '../../../cloudfunctions/_core/runtime/context'
import type { Deps } from '../../../cloudfunctions/_core/runtime/deps'
import { invoiceDocuments } from '../../../cloudfunctions/_core/wiring/wx-documents'
import { buildWxDeps, toCallContext, wxMain } from '../../../cloudfunctions/_core/wiring/wx'
import { WxProviderSandbox } from '../../../cloudfunctions/_core/adapters/wx/wx.provider-sandbox'
import { createCardHandler } from '../../../cloudfunctions/card/src/handler'
import { createInvoiceHandler } from '../../../cloudfunctions/invoice/src/handler'
import { createInvoiceWorkerHandler } from '../../../cloudfunctions/invoiceWorker/src/handler'
import { createPayNotifyHandler } from '../../../cloudfunctions/payNotify/src/handler'
import { createProfileHandler } from '../../../cloudfunctions/profile/src/handler'
import { createTopupHandler } from '../../../cloudfunctions/topup/src/handler'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

const ALICE = 'oAlice0000000000000000000001'
const CARD = '3104000012345673' // Luhn-valid

describe('toCallContext', () => {
  const fixedId = () => 'generated-id'

  it("maps a client call: OPENID, SOURCE, SCF's request_id and CLIENTIP", () => {
    expect(
      toCallContext(
        { OPENID: ALICE, APPID: 'wx123', UNIONID: 'u1', SOURCE: 'wx_client', CLIENTIP: '203.0.113.7', ENV: 'prod-1' },
        { request_id: 'req-1' },
        fixedId,
      ),
    ).toEqual<CallContext>({ openid: ALICE, source: 'wx_client', requestId: 'req-1', clientIp: '203.0.113.7' })
  })

  it('gives a timer or the pay callback no openid, and mints a request id when SCF gave none', () => {
    expect(toCallContext({ SOURCE: 'wx_trigger' }, undefined, fixedId)).toEqual<CallContext>({
      openid: null,
      source: 'wx_trigger',
      requestId: 'generated-id',
      clientIp: '127.0.0.1',
    })
    expect(toCallContext({ SOURCE: 'wx_paycallback', OPENID: '' }, {}, fixedId)).toMatchObject({ openid: null, source: 'wx_paycallback' })
    expect(toCallContext({}, null).requestId).toMatch(/^[0-9a-f]{32}$/)
  })

  it('authorises by the immediate caller: a client reaching us through another function is scf', () => {
    expect(toCallContext({ OPENID: ALICE, SOURCE: 'wx_client,scf' }, {}).source).toBe('scf')
    expect(toCallContext({ SOURCE: 'wx_devtools' }, {}).source).toBe('wx_devtools')
  })

  it('reads unknown wx_ sources as scf, which no handler accepts as a user, timer or payment', () => {
    for (const s of ['wx_unknown', 'wx_crawler', 'wx_localdebug', 'wx_something_new', 'wx_client,wx_unknown', 'wx_client,']) {
      expect(toCallContext({ SOURCE: s }, {}).source).toBe('scf')
    }
  })

  it('reads a last hop without the wx_ prefix, or no SOURCE at all, as a call from outside WeChat (console, CLI, SDK)', () => {
    for (const s of ['something_new', 'tcb', 'wx_client,cli', '', '  ', undefined, null, 42]) {
      expect(toCallContext({ SOURCE: s }, {}).source).toBe('external')
    }
    expect(toCallContext({ SOURCE: 'scf' }, {}).source).toBe('scf')
  })

  it('falls back from CLIENTIP to CLIENTIPV6 to 127.0.0.1, and ignores non-string values', () => {
    expect(toCallContext({ CLIENTIPV6: '2001:db8::1' }, {}).clientIp).toBe('2001:db8::1')
    expect(toCallContext({ CLIENTIP: 12345, OPENID: 12345 }, {})).toMatchObject({ clientIp: '127.0.0.1', openid: null })
  })
})

describe('buildWxDeps', () => {
  it('builds the ports over the SDK with config from the environment', async () => {
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const deps = buildWxDeps(cloud, { PAY_SUB_MCH_ID: '1900000109', CLOUD_ENV_ID: 'prod-1', MAX_CARDS_PER_USER: '3' })
    expect(deps.config.pay).toMatchObject({ subMchId: '1900000109', envId: 'prod-1', notifyFunction: 'payNotify' })
    expect(deps.config.topup.maxCardsPerUser).toBe(3)
    await deps.cards.insert({ id: 'c1', openid: ALICE, cardNo: CARD, nickname: 'x', createdAt: '2026-03-01T00:00:00.000Z' })
    expect(cloud.db.docs(WX_COLLECTIONS.cards)).toHaveLength(1)
    expect(deps.random.id()).toMatch(/^[0-9a-f]{32}$/)
    expect(deps.random.bytes(12)).toHaveLength(12)
    expect(deps.clock.now()).toBeInstanceOf(Date)
  })

  it('takes the callback environment from TCB_ENV when CLOUD_ENV_ID is unset', async () => {
    const cloud = new FakeWxCloud()
    const deps = buildWxDeps(cloud, { PAY_SUB_MCH_ID: '1900000109', TCB_ENV: 'prod-from-scf' })
    expect(deps.config.pay.envId).toBe('prod-from-scf')
    await deps.pay.unifiedOrder({ outTradeNo: 'WT1', totalFee: 100, body: 'b', openid: ALICE, functionName: 'payNotify', clientIp: '1.2.3.4' })
    expect(cloud.cloudPay.calls[0].params).toMatchObject({ envId: 'prod-from-scf', subMchId: '1900000109' })
  })

  it('refuses an invalid configuration at startup', () => {
    expect(() => buildWxDeps(new FakeWxCloud(), { TOPUP_MIN_FEN: 'ten' })).toThrow(/TOPUP_MIN_FEN/)
    expect(() => buildWxDeps(new FakeWxCloud(), { PROVIDER_SANDBOX_FAILURE_RATE: '2' })).toThrow(/PROVIDER_SANDBOX_FAILURE_RATE/)
    expect(() => buildWxDeps(new FakeWxCloud(), { PROVIDER_SANDBOX_LATENCY_MS: '-1' })).toThrow(/PROVIDER_SANDBOX_LATENCY_MS/)
    expect(() => buildWxDeps(new FakeWxCloud(), { SUBSCRIBE_STATE: 'beta' })).toThrow(/SUBSCRIBE_STATE/)
    expect(() => buildWxDeps(new FakeWxCloud(), { SMTP_HOST: 'smtp.example.com', SMTP_PORT: 'abc' }, invoiceDocuments)).toThrow(/SMTP_PORT/)
  })

  it('binds the invoice ports to the database: titles, settings, invoices, outbox, quota', async () => {
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const deps = buildWxDeps(cloud, {})
    await deps.titles.save({
      id: 't1',
      openid: ALICE,
      kind: 'personal',
      name: '张三',
      taxId: null,
      address: null,
      phone: null,
      bankName: null,
      bankAccount: null,
      isDefault: true,
      taxIdChecksumOk: null,
      createdAt: 'x',
      updatedAt: 'x',
    })
    await deps.settings.update(ALICE, { autoInvoice: true })
    await deps.quota.add(ALICE, 'invoiceIssued', 1)
    await deps.outbox.add({
      id: 'INV1-issued',
      invoiceId: 'INV1',
      openid: ALICE,
      to: 'a@example.com',
      kind: 'issued',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 'x',
      lastError: null,
      createdAt: 'x',
      sentAt: null,
    })
    expect(cloud.db.docs(WX_COLLECTIONS.titles)).toHaveLength(1)
    expect(cloud.db.docs(WX_COLLECTIONS.settings)).toHaveLength(1)
    expect(cloud.db.docs(WX_COLLECTIONS.subscribeQuota)).toHaveLength(1)
    expect(cloud.db.docs(WX_COLLECTIONS.mailOutbox)).toHaveLength(1)
    expect(await deps.invoices.findById('INV1')).toBeNull()
  })

  it('uses the database provider sandbox when allowed (INVOICE_ALLOW_SANDBOX), 800 ms latency (the schema default) unless PROVIDER_SANDBOX_* say otherwise', () => {
    const allow = { INVOICE_ALLOW_SANDBOX: 'true' }
    const plain = buildWxDeps(new FakeWxCloud(), allow).provider
    expect(plain).toBeInstanceOf(WxProviderSandbox)
    expect(plain).toMatchObject({ latencyMs: 800, failureRate: 0 })
    expect(buildWxDeps(new FakeWxCloud(), { ...allow, PROVIDER_SANDBOX_LATENCY_MS: '0', PROVIDER_SANDBOX_FAILURE_RATE: '0.25' }).provider).toMatchObject({
      latencyMs: 0,
      failureRate: 0.25,
    })
  })

  it('makes the renderer once, on first use', () => {
    const deps = buildWxDeps(new FakeWxCloud(), {}, invoiceDocuments)
    expect(deps.renderer()).toBe(deps.renderer())
  })

  it('keeps functions without invoiceDocuments small, and failing loudly if they ever render or mail', async () => {
    const deps = buildWxDeps(new FakeWxCloud(), {})
    expect(() => deps.renderer()).toThrow(/without the invoice renderer/)
    await expect(deps.mailer.send({ to: 'a@example.com', subject: 's', text: 't', attachments: [] })).rejects.toThrow(/without the mailer/)
  })

  it('fails every send with a clear error when SMTP is not configured (the outbox keeps the mail)', async () => {
    const deps = buildWxDeps(new FakeWxCloud(), {}, invoiceDocuments)
    await expect(deps.mailer.send({ to: 'a@example.com', subject: 's', text: 't', attachments: [] })).rejects.toThrow(/SMTP_HOST/)
  })

  it('sends subscribe messages through cloud.openapi with SUBSCRIBE_STATE', async () => {
    const cloud = new FakeWxCloud()
    const deps = buildWxDeps(cloud, { SUBSCRIBE_STATE: 'trial' })
    const msg = { openid: ALICE, templateKey: 'invoiceIssued' as const, templateId: 'tpl-1', page: 'pages/x', data: { thing1: { value: 'v' } } }
    expect(await deps.subscribe.send(msg)).toEqual({ ok: true })
    expect(cloud.openapi.sent).toEqual([expect.objectContaining({ touser: ALICE, templateId: 'tpl-1', miniprogramState: 'trial' })])
  })
})

describe('wxMain', () => {
  const savedEnv = { ...process.env }
  afterEach(() => {
    process.env = { ...savedEnv }
    jest.restoreAllMocks()
  })

  it('initialises the SDK once per container, lazily, on the current environment', async () => {
    const cloud = new FakeWxCloud()
    const load = jest.fn(() => cloud)
    const seen: CallContext[] = []
    const create = jest.fn((_deps: Deps) => async (event: unknown, ctx: CallContext) => {
      seen.push(ctx)
      return { echo: (event as { n: number }).n }
    })
    const main = wxMain(create, { load })
    expect(load).not.toHaveBeenCalled()

    cloud.wxContext = { OPENID: ALICE, SOURCE: 'wx_client', CLIENTIP: '203.0.113.7' }
    expect(await main({ n: 1 }, { request_id: 'r1' })).toEqual({ echo: 1 })
    cloud.wxContext = { SOURCE: 'wx_trigger' }
    expect(await main({ n: 2 }, { request_id: 'r2' })).toEqual({ echo: 2 })

    expect(load).toHaveBeenCalledTimes(1)
    expect(create).toHaveBeenCalledTimes(1)
    expect(cloud.inits).toEqual([{ env: cloud.DYNAMIC_CURRENT_ENV }])
    expect(seen).toEqual([
      { openid: ALICE, source: 'wx_client', requestId: 'r1', clientIp: '203.0.113.7' },
      { openid: null, source: 'wx_trigger', requestId: 'r2', clientIp: '127.0.0.1' },
    ])
  })

  it('tries the setup again on the next call when the first one failed', async () => {
    const cloud = new FakeWxCloud()
    let attempts = 0
    const main = wxMain(
      () => {
        if (++attempts === 1) throw new Error('config broken')
        return async () => 'ok'
      },
      { load: () => cloud },
    )
    await expect(main({}, {})).rejects.toThrow('config broken')
    expect(await main({}, {})).toBe('ok')
  })

  it('runs the real handlers on the wx adapters: bind, order, and a doubly delivered payment settles once', async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true) // the JSON logger's lines
    process.env.PAY_SUB_MCH_ID = '1900000109'
    process.env.CLOUD_ENV_ID = 'prod-1'
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const card = wxMain(createCardHandler, { load: () => cloud, documents: invoiceDocuments })
    const topup = wxMain(createTopupHandler, { load: () => cloud, documents: invoiceDocuments })
    const payNotify = wxMain(createPayNotifyHandler, { load: () => cloud, documents: invoiceDocuments })

    cloud.wxContext = { OPENID: ALICE, SOURCE: 'wx_client', CLIENTIP: '203.0.113.7' }
    const bound = (await card({ action: 'bind', cardNo: CARD }, { request_id: 'r1' })) as any
    expect(bound.ok).toBe(true)
    expect(await card({ action: 'bind', cardNo: CARD }, {})).toMatchObject({ ok: false, error: { code: 'CARD.ALREADY_BOUND' } })

    const ask = { action: 'createOrder', cardId: bound.data.card.id, amountFen: 5000, clientToken: 'tok-0001-abcd' }
    const [first, again] = (await Promise.all([topup(ask, {}), topup(ask, {})])) as any[]
    expect(first.ok && again.ok).toBe(true)
    expect(again.data.order.id).toBe(first.data.order.id) // one order per clientToken, even concurrently
    const orderId: string = first.data.order.id
    expect(cloud.cloudPay.calls.filter((c) => c.api === 'unifiedOrder')[0].params).toMatchObject({
      outTradeNo: orderId,
      totalFee: 5000,
      spbillCreateIp: '203.0.113.7',
      envId: 'prod-1',
    })

    // a client calling the callback by name is refused
    expect(await payNotify({ outTradeNo: orderId }, {})).toMatchObject({ errcode: 403 })

    const paid = cloud.cloudPay.pay(orderId, { transactionId: '4200009999', timeEnd: formatTimeEnd(new Date()) })
    cloud.wxContext = { SOURCE: 'wx_paycallback' }
    const notification = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: orderId,
      transactionId: paid.transactionId,
      totalFee: 5000,
      cashFee: 5000,
      timeEnd: paid.timeEnd,
    }
    expect(await Promise.all([payNotify(notification, {}), payNotify(notification, {})])).toEqual([
      { errcode: 0, errmsg: 'OK' },
      { errcode: 0, errmsg: 'OK' },
    ])

    cloud.wxContext = { OPENID: ALICE, SOURCE: 'wx_client' }
    expect(await topup({ action: 'getOrder', orderId }, {})).toMatchObject({ ok: true, data: { order: { status: 'paid', transactionId: '4200009999' } } })
    const events = cloud.db.docs(WX_COLLECTIONS.orderEvents).filter((e) => e.orderId === orderId)
    expect(events.filter((e) => e.type === 'paid')).toHaveLength(1)
    expect(
      cloud.db
        .docs(WX_COLLECTIONS.payNotifications)
        .map((n) => n.outcome)
        .sort(),
    ).toEqual(['duplicate', 'settled'])
    expect(cloud.inits).toHaveLength(3) // one per function (container)
  })

  it('runs the invoice handlers on the wx adapters: title, paid order, invoice issued once, e-mail queued', async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    Object.assign(process.env, {
      PAY_SUB_MCH_ID: '1900000109',
      CLOUD_ENV_ID: 'prod-1',
      INVOICE_ALLOW_SANDBOX: 'true', // a test environment: the sandbox may issue (documents marked 测试样张)
      PROVIDER_SANDBOX_LATENCY_MS: '0',
      INVOICE_INLINE_WAIT_MS: '3000',
    })
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const [card, topup, payNotify, profile, invoice, worker] = [
      createCardHandler,
      createTopupHandler,
      createPayNotifyHandler,
      createProfileHandler,
      createInvoiceHandler,
      createInvoiceWorkerHandler,
    ].map((create) => wxMain(create as (deps: Deps) => (event: unknown, ctx: CallContext) => Promise<any>, { load: () => cloud, documents: invoiceDocuments }))

    cloud.wxContext = { OPENID: ALICE, SOURCE: 'wx_client' }
    const title = (await profile({ action: 'saveTitle', kind: 'personal', name: '张三' }, {})).data.title
    expect(title).toMatchObject({ isDefault: true })
    const bound = await card({ action: 'bind', cardNo: CARD }, {})
    const created = await topup({ action: 'createOrder', cardId: bound.data.card.id, amountFen: 5000, clientToken: 'tok-inv-0001' }, {})
    const orderId: string = created.data.order.id
    const paid = cloud.cloudPay.pay(orderId, { transactionId: '4200007777', timeEnd: formatTimeEnd(new Date()) })
    cloud.wxContext = { SOURCE: 'wx_paycallback' }
    await payNotify(
      {
        returnCode: 'SUCCESS',
        resultCode: 'SUCCESS',
        outTradeNo: orderId,
        transactionId: paid.transactionId,
        totalFee: 5000,
        cashFee: 5000,
        timeEnd: paid.timeEnd,
      },
      {},
    )

    cloud.wxContext = { OPENID: ALICE, SOURCE: 'wx_client' }
    const uninvoiced = await invoice({ action: 'listUninvoiced' }, {})
    expect(uninvoiced.data.items.map((o: { id: string }) => o.id)).toEqual([orderId])
    const ask = { action: 'request', orderIds: [orderId], titleId: title.id, email: 'alice@example.com', clientToken: 'inv-tok-0001' }
    const [a, b] = await Promise.all([invoice(ask, {}), invoice(ask, {})])
    expect(a.ok && b.ok).toBe(true)
    expect(b.data.invoice.id).toBe(a.data.invoice.id)
    const invoiceId: string = a.data.invoice.id
    // a different request for the same order is refused
    const again = await invoice({ ...ask, clientToken: 'inv-tok-0002' }, {})
    expect(again).toMatchObject({ ok: false, error: { code: 'INVOICE.ORDER_ALREADY_INVOICED' } })

    const got = await invoice({ action: 'get', invoiceId }, {})
    expect(got.data.invoice).toMatchObject({ status: 'issued', invoiceNo: expect.stringMatching(/^\d{20}$/) })
    expect(got.data.invoice.pdf.bytes).toBeGreaterThan(1000)
    expect(cloud.db.docs(WX_COLLECTIONS.invoices)).toHaveLength(1)
    expect((await invoice({ action: 'listUninvoiced' }, {})).data.items).toEqual([])
    expect((await invoice({ action: 'forOrder', orderId }, {})).data.invoice.id).toBe(invoiceId)
    expect((await invoice({ action: 'list' }, {})).data.items.map((i: { id: string }) => i.id)).toEqual([invoiceId])
    expect([...cloud.files.keys()].filter((f) => f.includes(`users/${ALICE}/invoices/`))).toHaveLength(2)

    // no SMTP in this environment: the first delivery is queued once and waits for a retry
    const mails = cloud.db.docs(WX_COLLECTIONS.mailOutbox)
    expect(mails).toEqual([
      expect.objectContaining({ _id: `${invoiceId}:issued`, status: 'pending', attempts: 1, lastError: expect.stringContaining('SMTP_HOST') }),
    ])

    cloud.wxContext = { SOURCE: 'wx_trigger' }
    expect(await worker({}, {})).toMatchObject({ ok: true, data: { errors: 0 } })
  })
})
