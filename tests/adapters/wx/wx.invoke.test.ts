import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxInvoker } from '../../../cloudfunctions/_core/adapters/wx/wx.invoke'
import { formatTimeEnd } from '../../../cloudfunctions/_core/domain/order'
import type { Logger } from '../../../cloudfunctions/_core/ports/runtime.port'
import type { CallContext } from '../../../cloudfunctions/_core/runtime/context'
import type { Deps } from '../../../cloudfunctions/_core/runtime/deps'
import { wxMain } from '../../../cloudfunctions/_core/wiring/wx'
import { invoiceDocuments } from '../../../cloudfunctions/_core/wiring/wx-documents'
import { createCardHandler } from '../../../cloudfunctions/card/src/handler'
import { createInvoiceWorkerHandler } from '../../../cloudfunctions/invoiceWorker/src/handler'
import { createPayNotifyHandler } from '../../../cloudfunctions/payNotify/src/handler'
import { createProfileHandler } from '../../../cloudfunctions/profile/src/handler'
import { createTopupHandler } from '../../../cloudfunctions/topup/src/handler'
import { FakeSdkError, FakeWxCloud } from '../../fakes/wx-cloud.fake'

const ALICE = 'oAlice0000000000000000000001'
const CARD = '3104000012345673'

const quietLog = (): Logger & { lines: { level: string; msg: string }[] } => {
  const lines: { level: string; msg: string }[] = []
  return {
    lines,
    info: (msg) => lines.push({ level: 'info', msg }),
    warn: (msg) => lines.push({ level: 'warn', msg }),
    error: (msg) => lines.push({ level: 'error', msg }),
  }
}

/** What @cloudbase/node-sdk's request-core raises when the socket timeout expires (request-core.js onTimeout). */
const socketTimeout = (connected: boolean) =>
  Object.assign(new Error(`callFunction:fail ${connected ? 'request timeout' : 'connect timeout'}`), {
    code: connected ? 'ESOCKETTIMEDOUT' : 'ETIMEDOUT',
    errCode: -1,
  })

describe('wxInvoker (cloud.callFunction as a start, not a wait)', () => {
  it('calls invoiceWorker with the kick and the hand-off timeout, and counts a fast answer as started', async () => {
    const cloud = new FakeWxCloud()
    await wxInvoker(cloud, { handOffMs: 120, log: quietLog() }).startWorker({ kick: 'issue', invoiceId: 'INV1' })
    expect(cloud.functionCalls).toEqual([{ name: 'invoiceWorker', data: { kick: 'issue', invoiceId: 'INV1' }, timeout: 120 }])
  })

  it('counts "request timeout" (connected, sent, the worker still running) as started', async () => {
    const cloud = new FakeWxCloud()
    cloud.onCallFunction = async () => {
      throw socketTimeout(true)
    }
    await expect(wxInvoker(cloud, { handOffMs: 50, log: quietLog() }).startWorker({ kick: 'issue', invoiceId: 'INV1' })).resolves.toBeUndefined()
  })

  it('rejects when the call was not handed over: connect timeout, missing function, no permission', async () => {
    for (const error of [
      socketTimeout(false),
      new FakeSdkError(-501000, 'callFunction:fail FUNCTION_NOT_FOUND'),
      new FakeSdkError(-604101, 'callFunction:fail no permission'),
    ]) {
      const cloud = new FakeWxCloud()
      cloud.onCallFunction = async () => {
        throw error
      }
      await expect(wxInvoker(cloud, { handOffMs: 50, log: quietLog() }).startWorker({ kick: 'issue', invoiceId: 'INV1' })).rejects.toBe(error)
    }
  })

  it('never holds the caller past the guard when callFunction hangs, and logs a late failure without an unhandled rejection', async () => {
    const cloud = new FakeWxCloud()
    let fail!: (e: Error) => void
    cloud.onCallFunction = () => new Promise((_, reject) => (fail = reject))
    const log = quietLog()
    await wxInvoker(cloud, { handOffMs: 10, log }).startWorker({ kick: 'issue', invoiceId: 'INV1' })
    expect(log.lines).toEqual([expect.objectContaining({ level: 'warn', msg: expect.stringContaining('assuming it was sent') })])
    fail(new FakeSdkError(-1, 'callFunction:fail socket hang up'))
    await new Promise((r) => setImmediate(r))
    expect(log.lines.map((l) => l.msg)).toContain('worker start failed after the hand-off window')
  })
})

describe('payNotify in WeChat cloud (fake SDK): answers at once, the worker issues', () => {
  const savedEnv = { ...process.env }
  beforeEach(() => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true) // the JSON logger's lines
    Object.assign(process.env, {
      PAY_SUB_MCH_ID: '1900000109',
      CLOUD_ENV_ID: 'prod-1',
      PROVIDER_SANDBOX_LATENCY_MS: '0',
      INVOICE_ALLOW_SANDBOX: 'true',
      INVOICE_HANDOFF_MS: '40',
    })
  })
  afterEach(() => {
    process.env = { ...savedEnv }
    jest.restoreAllMocks()
  })

  /** Alice with automatic invoicing on and a top-up paid at cloudPay; returns the callback's event. */
  async function paidOrder(cloud: FakeWxCloud, fields: 'numbers' | 'strings' = 'numbers') {
    const fns = [createCardHandler, createTopupHandler, createProfileHandler].map((create) =>
      wxMain(create as (deps: Deps) => (event: unknown, ctx: CallContext) => Promise<any>, { load: () => cloud }),
    )
    const [card, topup, profile] = fns
    cloud.wxContext = { OPENID: ALICE, SOURCE: 'wx_client', CLIENTIP: '203.0.113.7' }
    await profile({ action: 'saveTitle', kind: 'personal', name: '张三' }, {})
    await profile({ action: 'updateSettings', autoInvoice: true, defaultEmail: null }, {})
    const bound = await card({ action: 'bind', cardNo: CARD }, {})
    const created = await topup({ action: 'createOrder', cardId: bound.data.card.id, amountFen: 5000, clientToken: 'tok-ack-0001' }, {})
    const orderId: string = created.data.order.id
    const paid = cloud.cloudPay.pay(orderId, { transactionId: '4200005555', timeEnd: formatTimeEnd(new Date()) })
    const n = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: orderId,
      transactionId: paid.transactionId,
      totalFee: 5000,
      cashFee: 5000,
      timeEnd: paid.timeEnd,
    }
    // 'strings': fees as digit strings, and the all-digit identifiers and time as numbers
    const flipped = { ...n, totalFee: '5000', cashFee: '5000', transactionId: Number(n.transactionId), timeEnd: Number(n.timeEnd) }
    return { orderId, notification: fields === 'numbers' ? n : flipped }
  }

  const invoicesOf = (cloud: FakeWxCloud, orderId: string) =>
    cloud.db.docs(WX_COLLECTIONS.invoices).filter((d) => Array.isArray(d.orderIds) && (d.orderIds as string[]).includes(orderId))

  it('starts invoiceWorker with { kick, invoiceId } and answers 0; the worker (SOURCE wx_paycallback,scf) issues it', async () => {
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const { orderId, notification } = await paidOrder(cloud)
    const payNotify = wxMain(createPayNotifyHandler, { load: () => cloud })
    const worker = wxMain(createInvoiceWorkerHandler, { load: () => cloud, documents: invoiceDocuments })
    // the platform runs the worker in its own invocation; payNotify does not wait for its answer
    const workerRuns: Promise<unknown>[] = []
    cloud.onCallFunction = (params) => {
      cloud.wxContext = { SOURCE: 'wx_paycallback,scf' } // what the callee sees: the caller's source, then scf
      workerRuns.push(worker(params.data, { request_id: 'kick-1' }))
      return new Promise((_, reject) => setTimeout(() => reject(socketTimeout(true)), params.timeout))
    }

    cloud.wxContext = { SOURCE: 'wx_paycallback' }
    expect(await payNotify(notification, {})).toEqual({ errcode: 0, errmsg: 'OK' })
    const [inv] = invoicesOf(cloud, orderId)
    expect(cloud.functionCalls).toEqual([{ name: 'invoiceWorker', data: { kick: 'issue', invoiceId: inv._id }, timeout: 40 }])
    expect(workerRuns).toHaveLength(1)
    expect(await workerRuns[0]).toEqual({ ok: true, data: { invoiceId: inv._id, status: 'issued' } })
    expect(invoicesOf(cloud, orderId)).toEqual([expect.objectContaining({ status: 'issued', source: 'auto' })])
    // the renderer ran in the worker only: payNotify is deployed without it (and fails loudly if it tried)
    expect([...cloud.files.keys()].filter((f) => f.includes(`users/${ALICE}/invoices/`))).toHaveLength(2)
  })

  it.each([
    ['rejects', async () => Promise.reject(new FakeSdkError(-501000, 'callFunction:fail FUNCTION_NOT_FOUND'))],
    [
      'throws synchronously',
      () => {
        throw new Error('callFunction is not a function')
      },
    ],
    ['hangs', () => new Promise<never>(() => undefined)],
  ] as const)('answers 0 when callFunction %s; the invoice waits, requested, for the timer', async (_how, behave) => {
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const { orderId, notification } = await paidOrder(cloud, 'strings')
    cloud.onCallFunction = behave
    const payNotify = wxMain(createPayNotifyHandler, { load: () => cloud })
    cloud.wxContext = { SOURCE: 'wx_paycallback' }
    expect(await payNotify(notification, {})).toEqual({ errcode: 0, errmsg: 'OK' })
    // fees as strings and identifiers as numbers settle like the typed callback
    expect(cloud.db.docs(WX_COLLECTIONS.orderEvents).filter((e) => e.orderId === orderId && e.type === 'paid')).toHaveLength(1)
    expect(cloud.db.docs(WX_COLLECTIONS.orders).find((o) => o._id === orderId)).toMatchObject({ status: 'paid', transactionId: '4200005555' })
    expect(invoicesOf(cloud, orderId)).toEqual([expect.objectContaining({ status: 'requested' })])
    expect(cloud.functionCalls).toHaveLength(1)

    // the timer completes it
    const worker = wxMain(createInvoiceWorkerHandler, { load: () => cloud, documents: invoiceDocuments })
    cloud.wxContext = { SOURCE: 'wx_trigger' }
    expect(await worker({ Type: 'Timer' }, {})).toMatchObject({ ok: true, data: { issued: 1 } })
    expect(invoicesOf(cloud, orderId)).toEqual([expect.objectContaining({ status: 'issued' })])
  })

  it('three concurrent deliveries: one paid transition, one invoice, one start', async () => {
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const { orderId, notification } = await paidOrder(cloud)
    const payNotify = wxMain(createPayNotifyHandler, { load: () => cloud })
    cloud.wxContext = { SOURCE: 'wx_paycallback' }
    expect(await Promise.all([payNotify(notification, {}), payNotify(notification, {}), payNotify(notification, {})])).toEqual(
      Array(3).fill({ errcode: 0, errmsg: 'OK' }),
    )
    expect(invoicesOf(cloud, orderId)).toHaveLength(1)
    expect(cloud.functionCalls).toHaveLength(1)
  })

  it('the worker refuses a kick that reaches it from a client through a function (OPENID set)', async () => {
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const worker = wxMain(createInvoiceWorkerHandler, { load: () => cloud, documents: invoiceDocuments })
    cloud.wxContext = { OPENID: ALICE, SOURCE: 'wx_client,scf' }
    expect(await worker({ kick: 'issue', invoiceId: 'INV1' }, {})).toMatchObject({ ok: false, error: { code: 'COMMON.FORBIDDEN' } })
    cloud.wxContext = { SOURCE: 'wx_paycallback,scf' }
    expect(await worker({ kick: 'issue', invoiceId: 'INV1' }, {})).toMatchObject({ ok: false, error: { code: 'INVOICE.NOT_FOUND' } })
    cloud.wxContext = { SOURCE: 'wx_client' }
    expect(await worker({ kick: 'issue', invoiceId: 'INV1' }, {})).toMatchObject({ ok: false, error: { code: 'COMMON.FORBIDDEN' } })
  })
})
