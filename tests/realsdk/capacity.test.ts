import fs from 'node:fs'
import path from 'node:path'
import { WX_INDEXES } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { formatTimeEnd } from '../../cloudfunctions/_core/domain/order'
import type { CallContext } from '../../cloudfunctions/_core/runtime/context'
import type { Deps } from '../../cloudfunctions/_core/runtime/deps'
import { wxMain, type InvoiceDocuments } from '../../cloudfunctions/_core/wiring/wx'
import { invoiceDocuments } from '../../cloudfunctions/_core/wiring/wx-documents'
import { createCardHandler } from '../../cloudfunctions/card/src/handler'
import { createInvoiceHandler } from '../../cloudfunctions/invoice/src/handler'
import { createInvoiceWorkerHandler } from '../../cloudfunctions/invoiceWorker/src/handler'
import { createPayNotifyHandler } from '../../cloudfunctions/payNotify/src/handler'
import { createProfileHandler } from '../../cloudfunctions/profile/src/handler'
import { createReconcileHandler } from '../../cloudfunctions/reconcile/src/handler'
import { createTopupHandler } from '../../cloudfunctions/topup/src/handler'
import { countRequests } from '../helpers/realsdk-requester'
import { FakeWxCloud, type RealSdkDatabase } from './real-wx-cloud'

/**
 * docs/capacity.md's numbers, COUNTED: a top-up, an invoice and an idle timer tick run through
 * the real handlers, buildWxDeps and the real wx-server-sdk, and every database request the SDK
 * sends is counted by kind at the stand-in. The payment callback comes once with its fields as
 * numbers and once as strings (both must settle the same way).
 *
 * The measured table in docs/capacity.md must equal what this run counts: a change in the code
 * that adds a read shows up here. After such a change, regenerate it:
 *   CAPACITY_WRITE=1 npx jest tests/realsdk/capacity.test.ts --selectProjects realsdk
 * Wall-clock times are printed (CAPACITY_PRINT=1) but never asserted.
 */
const ALICE = 'oAlice0000000000000000000001'
const CARD = '3104000012345673'
const DOC = path.join(__dirname, '../../docs/capacity.md')
const START = '<!-- capacity:measured:start -->'
const END = '<!-- capacity:measured:end -->'
// sizes and times vary a little between runs (ids, dates, PDF compression, the machine): they
// are written with CAPACITY_WRITE but not compared
const SIZES_START = '<!-- capacity:sizes:start -->'
const SIZES_END = '<!-- capacity:sizes:end -->'

interface Phase {
  name: string
  reads: number
  writes: number
  transactions: number
  docsRead: number
  docsWritten: number
  bytesSent: number
  /** bytes the phase added to the database (canonical EJSON of its documents) */
  dbBytes: number
  /** bytes uploaded to storage */
  fileBytes: number
  /** function invocations: the handler plus any it started (callFunction) */
  invocations: number
  ms: number
}

/** The mail goes out (the capture accepts it), so the outbox path is counted as in production. */
const documents: InvoiceDocuments = { renderer: invoiceDocuments.renderer, mailer: () => ({ send: async () => ({ messageId: 'captured' }) }) }

function setup() {
  const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  const make = (create: unknown) => wxMain(create as (deps: Deps) => (event: unknown, ctx: CallContext) => Promise<any>, { load: () => cloud, documents })
  const fns = {
    card: make(createCardHandler),
    topup: make(createTopupHandler),
    profile: make(createProfileHandler),
    invoice: make(createInvoiceHandler),
    payNotify: make(createPayNotifyHandler),
    worker: make(createInvoiceWorkerHandler),
    reconcile: make(createReconcileHandler),
  }
  const standIn = (cloud.db as unknown as RealSdkDatabase).standIn
  // callFunction starts the worker in its own invocation (the platform would); it is counted in
  // the phase that started it
  let started: Promise<unknown>[] = []
  /** requests sent when each worker start was asked for: what precedes belongs to the caller */
  let kickMarks: number[] = []
  cloud.onCallFunction = async (params) => {
    kickMarks.push(standIn.requests.length)
    const saved = cloud.wxContext
    cloud.wxContext = { SOURCE: `${String(saved.SOURCE)},scf` }
    const run = fns.worker(params.data, { request_id: 'kick' })
    cloud.wxContext = saved
    started.push(run)
    return { result: await run }
  }
  const fileBytes = () => [...cloud.files.values()].reduce((n, b) => n + b.length, 0)
  const dbBytes = () => Object.values(standIn.storedBytes()).reduce((a, b) => a + b, 0)
  async function measure(name: string, source: Record<string, unknown>, run: () => Promise<unknown>): Promise<{ phase: Phase; result: any; caller?: Phase }> {
    const from = standIn.requests.length
    kickMarks = []
    const [db0, files0, calls0] = [dbBytes(), fileBytes(), cloud.functionCalls.length]
    cloud.wxContext = source
    const t0 = performance.now()
    const result = await run()
    await Promise.all(started)
    started = []
    const ms = performance.now() - t0
    const c = countRequests(standIn.requests.slice(from))
    const k = kickMarks.length ? countRequests(standIn.requests.slice(from, kickMarks[0])) : null
    const caller = k
      ? {
          ...zero(`${name}: the caller's part, up to starting the worker`),
          reads: k.reads,
          writes: k.writes,
          transactions: k.transactions,
          docsRead: k.docsRead,
          docsWritten: k.docsWritten,
          bytesSent: k.bytesSent,
          invocations: 1,
          ms: Number.NaN,
        }
      : undefined
    return {
      result,
      caller,
      phase: {
        name,
        reads: c.reads,
        writes: c.writes,
        transactions: c.transactions,
        docsRead: c.docsRead,
        docsWritten: c.docsWritten,
        bytesSent: c.bytesSent,
        dbBytes: dbBytes() - db0,
        fileBytes: fileBytes() - files0,
        invocations: 1 + cloud.functionCalls.length - calls0,
        ms,
      },
    }
  }
  return { cloud, fns, measure, standIn }
}

const zero = (name: string): Phase => ({
  name,
  reads: 0,
  writes: 0,
  transactions: 0,
  docsRead: 0,
  docsWritten: 0,
  bytesSent: 0,
  dbBytes: 0,
  fileBytes: 0,
  invocations: 0,
  ms: 0,
})

const client = { OPENID: ALICE, SOURCE: 'wx_client', CLIENTIP: '203.0.113.7' }

async function oneTopUp(s: ReturnType<typeof setup>, cardId: string, i: number, fields: 'numbers' | 'strings') {
  const created = await s.measure('topup.createOrder', client, () =>
    s.fns.topup({ action: 'createOrder', cardId, amountFen: 5000, clientToken: `tok-cap-${String(i).padStart(4, '0')}` }, {}),
  )
  const orderId: string = created.result.data.order.id
  const paid = s.cloud.cloudPay.pay(orderId, { transactionId: `42000${i}`, timeEnd: formatTimeEnd(new Date()) })
  const n = {
    returnCode: 'SUCCESS',
    resultCode: 'SUCCESS',
    outTradeNo: orderId,
    transactionId: paid.transactionId,
    totalFee: 5000,
    cashFee: 5000,
    timeEnd: paid.timeEnd,
  }
  // as strings: fees as digit strings, the all-digit identifiers and time as numbers
  const notification =
    fields === 'numbers' ? n : { ...n, totalFee: '5000', cashFee: '5000', transactionId: Number(n.transactionId), timeEnd: Number(n.timeEnd) }
  const ack = await s.measure('payNotify', { SOURCE: 'wx_paycallback' }, () => s.fns.payNotify(notification, {}))
  expect(ack.result).toEqual({ errcode: 0, errmsg: 'OK' })
  return { orderId, phases: [created.phase, ack.phase], caller: ack.caller }
}

async function measureAll() {
  const env = { ...process.env }
  Object.assign(process.env, {
    PAY_SUB_MCH_ID: '1900000109',
    CLOUD_ENV_ID: 'prod-1',
    PROVIDER_SANDBOX_LATENCY_MS: '0',
    INVOICE_ALLOW_SANDBOX: 'true',
    INVOICE_INLINE_WAIT_MS: '3000',
    SELLER_NAME: '武汉通测试销售方有限公司',
  })
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  try {
    const s = setup()
    s.cloud.wxContext = client
    const title = (await s.fns.profile({ action: 'saveTitle', kind: 'personal', name: '张三' }, {})).data.title
    const cardId: string = (await s.fns.card({ action: 'bind', cardNo: CARD }, {})).data.card.id

    // a manual invoice for each of three top-ups; the third is the steady state measured
    const rounds: Phase[][] = []
    for (let i = 1; i <= 3; i++) {
      const { orderId, phases } = await oneTopUp(s, cardId, i, i % 2 ? 'numbers' : 'strings')
      const ask = {
        action: 'request',
        orderIds: [orderId],
        titleId: title.id,
        email: 'alice@example.com',
        clientToken: `inv-cap-${String(i).padStart(4, '0')}`,
      }
      const requested = await s.measure('invoice.request (issued inline or by the kicked worker)', client, () => s.fns.invoice(ask, {}))
      expect(requested.result).toMatchObject({ ok: true })
      const mail = await s.measure('invoiceWorker tick after it (e-mail already sent)', { SOURCE: 'wx_trigger' }, () => s.fns.worker({ Type: 'Timer' }, {}))
      expect(mail.result).toMatchObject({ ok: true })
      rounds.push([...phases, requested.phase, mail.phase])
    }
    const invoices = s.standIn.docs('invoices')
    expect(invoices.map((d) => d.status)).toEqual(['issued', 'issued', 'issued'])
    expect(s.standIn.docs('mail_outbox').map((d) => d.status)).toEqual(['sent', 'sent', 'sent'])

    // automatic invoicing: the callback requests it and starts the worker
    s.cloud.wxContext = client
    await s.fns.profile({ action: 'updateSettings', autoInvoice: true, defaultEmail: null }, {})
    const auto = await oneTopUp(s, cardId, 4, 'strings')
    expect(s.standIn.docs('invoices').filter((d) => (d.orderIds as string[]).includes(auto.orderId))).toEqual([
      expect.objectContaining({ status: 'issued', source: 'auto' }),
    ])
    const autoAck = { ...auto.phases[1], name: 'payNotify with automatic invoice (+ the worker it starts)' }
    expect(auto.caller).toBeDefined()

    // idle: nothing due anywhere
    const idleWorker = await s.measure('invoiceWorker tick, idle', { SOURCE: 'wx_trigger' }, () => s.fns.worker({ Type: 'Timer' }, {}))
    const idleReconcile = await s.measure('reconcile tick, idle', { SOURCE: 'wx_trigger' }, () => s.fns.reconcile({ Type: 'Timer' }, {}))
    return { rounds, steady: [...rounds[2], autoAck, auto.caller!, idleWorker.phase, idleReconcile.phase] }
  } finally {
    process.env = env
    jest.restoreAllMocks()
  }
}

const COLUMNS: [keyof Phase, string][] = [
  ['reads', 'db reads'],
  ['writes', 'db writes'],
  ['transactions', 'transactions'],
  ['docsRead', 'docs read'],
  ['docsWritten', 'docs written'],
  ['invocations', 'function invocations'],
]
const SIZE_COLUMNS: [keyof Phase, string][] = [
  ['bytesSent', 'request bytes sent'],
  ['dbBytes', 'db bytes added'],
  ['fileBytes', 'file bytes stored'],
  ['ms', 'in-process ms (this machine)'],
]

function table(phases: Phase[], columns: [keyof Phase, string][] = COLUMNS): string {
  const head = `| phase | ${columns.map(([, t]) => t).join(' | ')} |`
  const sep = `| --- | ${columns.map(() => '---:').join(' | ')} |`
  const cell = (p: Phase, k: keyof Phase) => (k !== 'ms' ? String(p[k]) : Number.isNaN(p.ms) ? '—' : p.ms.toFixed(1))
  return [head, sep, ...phases.map((p) => `| ${p.name} | ${columns.map(([k]) => cell(p, k)).join(' | ')} |`)].join('\n')
}

/** `doc` with the text between `start` and `end` replaced. */
function replaceBlock(doc: string, start: string, end: string, body: string): string {
  const [before, rest] = doc.split(start)
  const [, after] = rest.split(end)
  return `${before}${start}\n${body}\n${end}${after}`
}

describe('capacity, counted through the real SDK', () => {
  let measured: Awaited<ReturnType<typeof measureAll>>
  beforeAll(async () => {
    measured = await measureAll()
  }, 120_000)

  it('costs the same requests for every top-up and invoice once warm (callback fields as numbers or strings)', () => {
    const counts = (r: Phase[]) => r.map((p) => COLUMNS.filter(([k]) => k !== 'dbBytes' && k !== 'fileBytes').map(([k]) => p[k]))
    expect(counts(measured.rounds[1])).toEqual(counts(measured.rounds[2]))
  })

  it("keeps the provider, the PDF and the mail out of the callback's own part: the worker it starts does them", () => {
    const [, ack, , , auto, caller] = measured.steady
    expect(ack.fileBytes).toBe(0)
    expect(auto.fileBytes).toBeGreaterThan(10_000) // the auto invoice was rendered and stored...
    expect(caller.reads + caller.writes).toBeLessThan((auto.reads + auto.writes) / 2 + 1) // ...mostly after the hand-off
  })

  it('matches the measured table in docs/capacity.md', () => {
    const rendered = table(measured.steady)
    if (process.env.CAPACITY_PRINT) process.stderr.write(`${rendered}\n${measured.steady.map((p) => `${p.name}: ${p.ms.toFixed(1)} ms`).join('\n')}\n`)
    const doc = fs.readFileSync(DOC, 'utf8')
    if (process.env.CAPACITY_WRITE) {
      fs.writeFileSync(DOC, replaceBlock(replaceBlock(doc, START, END, rendered), SIZES_START, SIZES_END, table(measured.steady, SIZE_COLUMNS)))
      return
    }
    const [, rest] = doc.split(START)
    expect(rest).toBeDefined()
    expect(rest.split(END)[0].trim()).toBe(rendered)
  })
})
