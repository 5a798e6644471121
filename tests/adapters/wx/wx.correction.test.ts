import { wxCorrectionRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.correction.repo'
import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { WxProviderSandbox } from '../../../cloudfunctions/_core/adapters/wx/wx.provider-sandbox'
import { advanceCorrection } from '../../../cloudfunctions/_core/app/correction.service'
import { moneyInvariantViolations } from '../../../cloudfunctions/_core/domain/correction'
import { formatTimeEnd } from '../../../cloudfunctions/_core/domain/order'
import type { StoredCorrection } from '../../../cloudfunctions/_core/ports/correction.repo'
import { DuplicateKeyError } from '../../../cloudfunctions/_core/ports/errors'
import type { CallContext } from '../../../cloudfunctions/_core/runtime/context'
import type { Deps } from '../../../cloudfunctions/_core/runtime/deps'
import { buildWxDeps } from '../../../cloudfunctions/_core/wiring/wx'
import { invoiceDocuments } from '../../../cloudfunctions/_core/wiring/wx-documents'
import { createCardHandler } from '../../../cloudfunctions/card/src/handler'
import { createInvoiceHandler } from '../../../cloudfunctions/invoice/src/handler'
import { createInvoiceWorkerHandler } from '../../../cloudfunctions/invoiceWorker/src/handler'
import { createPayNotifyHandler } from '../../../cloudfunctions/payNotify/src/handler'
import { createProfileHandler } from '../../../cloudfunctions/profile/src/handler'
import { createTopupHandler } from '../../../cloudfunctions/topup/src/handler'
import { FakeSdkError, FakeWxCloud } from '../../fakes/wx-cloud.fake'

/**
 * 换开 on the WeChat-cloud adapters over the in-memory cloud database (which enforces the unique
 * indexes of WX_INDEXES and rolls a failed transaction back): the whole chain through the real
 * handlers, the atomic claim move, the correction's unique keys, the sandbox's red-letter forms.
 */
const ALICE = 'oAlice0000000000000000000001'
const CARD = '3104000012345673'
const VALID_TAX_ID = '91420100MA4K0000XJ'

type Fn = (event: Record<string, unknown>) => Promise<any>

function setup(env: Record<string, string> = {}) {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  const deps: Deps = buildWxDeps(
    cloud,
    {
      PAY_SUB_MCH_ID: '1900000109',
      CLOUD_ENV_ID: 'prod-1',
      INVOICE_ALLOW_SANDBOX: 'true',
      PROVIDER_SANDBOX_LATENCY_MS: '0',
      INVOICE_INLINE_WAIT_MS: '3000',
      ...env,
    },
    invoiceDocuments,
  )
  const as = (create: (d: Deps) => (e: unknown, c: CallContext) => Promise<unknown>, source: CallContext['source'], openid: string | null): Fn => {
    const h = create(deps)
    return (event) => h(event, { openid, source, requestId: 'r', clientIp: '127.0.0.1' }) as Promise<any>
  }
  const user = (create: Parameters<typeof as>[0]) => as(create, 'wx_client', ALICE)
  return {
    cloud,
    deps,
    card: user(createCardHandler),
    topup: user(createTopupHandler),
    profile: user(createProfileHandler),
    invoice: user(createInvoiceHandler),
    payNotify: as(createPayNotifyHandler, 'wx_paycallback', null),
    worker: as(createInvoiceWorkerHandler, 'wx_trigger', null),
  }
}

async function issuedInvoice(s: ReturnType<typeof setup>, amounts = [5000, 2050], buyer: 'person' | 'company' = 'person') {
  const person = (await s.profile({ action: 'saveTitle', kind: 'personal', name: '张三' })).data.title
  const company = (await s.profile({ action: 'saveTitle', kind: 'enterprise', name: '武汉示例科技有限公司', taxId: VALID_TAX_ID })).data.title
  const cardId = (await s.card({ action: 'bind', cardNo: CARD })).data.card.id
  const orderIds: string[] = []
  for (const [i, amountFen] of amounts.entries()) {
    const order = (await s.topup({ action: 'createOrder', cardId, amountFen, clientToken: `tok-order-000${i}` })).data.order
    const paid = s.cloud.cloudPay.pay(order.id, { transactionId: `42000${i}`, timeEnd: formatTimeEnd(new Date()) })
    await s.payNotify({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: order.id,
      transactionId: paid.transactionId,
      totalFee: amountFen,
      cashFee: amountFen,
      timeEnd: paid.timeEnd,
    })
    orderIds.push(order.id)
  }
  const inv = (await s.invoice({ action: 'request', orderIds, titleId: (buyer === 'person' ? person : company).id, clientToken: 'tok-invoice-0001' })).data
    .invoice
  expect(inv.status).toBe('issued')
  return { inv, orderIds, person, company }
}

function invariant(cloud: FakeWxCloud): string[] {
  const invoices = cloud.db.docs(WX_COLLECTIONS.invoices).map((d) => ({
    id: d._id,
    openid: d.openid as string,
    color: d.color as 'blue' | 'red',
    status: d.status as 'issued',
    amountFen: d.amountFen as number,
    orderIds: d.orderIds as string[],
    reversedById: (d.reversedById as string | null) ?? null,
  }))
  const orders = cloud.db
    .docs(WX_COLLECTIONS.orders)
    .map((d) => ({ id: d._id, openid: d.openid as string, status: d.status as string, amountFen: d.amountFen as number }))
  return moneyInvariantViolations(invoices, orders)
}

const claimsOf = (cloud: FakeWxCloud, invoiceId: string) =>
  cloud.db
    .docs(WX_COLLECTIONS.invoiceOrders)
    .filter((c) => c.invoiceId === invoiceId)
    .map((c) => c._id)
    .sort()

describe('换开 on the WeChat-cloud adapters', () => {
  it('runs the whole chain through the handlers: red, new blue, claims and order marks moved in one transaction', async () => {
    const s = setup()
    const { inv, orderIds, company } = await issuedInvoice(s)
    const taps = await Promise.all(
      ['tok-corr-0001', 'tok-corr-0002', 'tok-corr-0003'].map((clientToken) =>
        s.invoice({ action: 'correct', invoiceId: inv.id, titleId: company.id, clientToken }),
      ),
    )
    const ids = new Set(taps.filter((t) => t.ok).map((t) => t.data.correction.id))
    expect(ids.size).toBe(1)
    for (const t of taps.filter((x) => !x.ok)) expect(t.error.code).toBe('CORRECTION.IN_PROGRESS')
    const correctionId = [...ids][0]
    const c = await (async () => {
      for (let i = 0; i < 20; i++) {
        const got = (await s.invoice({ action: 'getCorrection', correctionId })).data.correction
        if (got.status === 'done') return got
        await s.worker({})
      }
      throw new Error('correction not done')
    })()
    expect(s.cloud.db.docs(WX_COLLECTIONS.corrections)).toHaveLength(1)
    const red = (await s.invoice({ action: 'get', invoiceId: c.redInvoiceId })).data.invoice
    const fresh = (await s.invoice({ action: 'get', invoiceId: c.newInvoiceId })).data.invoice
    expect(red).toMatchObject({ color: 'red', status: 'issued', confirmationNo: c.confirmationNo, chain: { originalId: inv.id } })
    expect(fresh).toMatchObject({ color: 'blue', status: 'issued', title: { taxId: VALID_TAX_ID }, chain: { originalId: inv.id, correctionCount: 1 } })
    expect((await s.invoice({ action: 'get', invoiceId: inv.id })).data.invoice.chain).toMatchObject({ reversedById: red.id, replacedById: fresh.id })
    expect(claimsOf(s.cloud, fresh.id)).toEqual([...orderIds].sort())
    for (const id of orderIds) expect(s.cloud.db.docs(WX_COLLECTIONS.orders).find((o) => o._id === id)!.invoiceId).toBe(fresh.id)
    // concurrent advancers may each run step 3: one writes, the others find it done ('already')
    expect(s.cloud.db.transactions.rolledBack).toBe(0)
    expect(s.cloud.db.docs(WX_COLLECTIONS.invoiceEvents).filter((e) => e.invoiceId === inv.id && e.type === 'reversed')).toHaveLength(1)
    expect(invariant(s.cloud)).toEqual([])
    // the red invoice's sandbox request carried the red-letter link and negative amounts
    const redReq = s.cloud.db.docs(WX_COLLECTIONS.providerRequests).find((r) => String(r._id).startsWith(red.id))!
    expect(JSON.parse(redReq.payload as string)).toMatchObject({ amountFen: -7050, red: { blueInvoiceNo: inv.invoiceNo, confirmationNo: c.confirmationNo } })
  })

  it('leaves the claims on the old invoice when a write inside the transaction fails, and completes on the next run', async () => {
    const s = setup({ INVOICE_INLINE_WAIT_MS: '0' })
    const { inv, orderIds, company } = await issuedInvoice(s)
    // the second order's mark fails inside the transaction, after the first claim already moved
    s.cloud.db.failNext(WX_COLLECTIONS.orders, 'update', new FakeSdkError(-502001, 'database request fail'))
    const first = await s.invoice({ action: 'correct', invoiceId: inv.id, titleId: company.id, clientToken: 'tok-corr-0009' })
    expect(first.ok).toBe(true)
    expect(first.data.correction.status).toBe('red_issuing')
    expect(s.cloud.db.transactions.rolledBack).toBe(1)
    expect(claimsOf(s.cloud, inv.id)).toEqual([...orderIds].sort())
    expect(s.cloud.db.docs(WX_COLLECTIONS.invoices).find((d) => d._id === inv.id)).toMatchObject({ reversedById: null, replacedById: null })
    expect(s.cloud.db.docs(WX_COLLECTIONS.invoices).some((d) => d._id === `${first.data.correction.id}-N`)).toBe(false)
    for (const id of orderIds) expect(s.cloud.db.docs(WX_COLLECTIONS.orders).find((o) => o._id === id)!.invoiceId).toBe(inv.id)
    expect(invariant(s.cloud).filter((v) => v.includes('live blue'))).toEqual([])

    expect(await s.worker({})).toMatchObject({ ok: true, data: { errors: 0 } })
    const done = (await s.invoice({ action: 'getCorrection', correctionId: first.data.correction.id })).data.correction
    expect(done.status).toBe('done')
    expect(claimsOf(s.cloud, done.newInvoiceId)).toEqual([...orderIds].sort())
    expect(invariant(s.cloud)).toEqual([])
  })
})

describe('a red-letter form the provider keeps reporting as pending', () => {
  it('is recorded lapsed a day after its deadline, with nothing changed', async () => {
    const s = setup({ INVOICE_INLINE_WAIT_MS: '0', PROVIDER_SANDBOX_BUYER_DECISION: 'wait' })
    const { inv, orderIds, person } = await issuedInvoice(s, [5000, 2050], 'company')
    const started = await s.invoice({ action: 'correct', invoiceId: inv.id, titleId: person.id, buyerBooked: true, clientToken: 'tok-corr-0100' })
    expect(started.data.correction.status).toBe('awaiting_buyer')
    const deadline = started.data.correction.confirmDeadline as string
    // a slow provider that never turns the form over to lapsed
    const query = s.deps.provider.queryRedConfirmation.bind(s.deps.provider)
    s.deps.provider.queryRedConfirmation = async (no) => {
      const a = await query(no)
      return a.state === 'lapsed' ? { state: 'pending_buyer', confirmationNo: a.confirmationNo, deadline } : a
    }
    const realNow = s.deps.clock.now
    const at = (ms: number) => {
      s.deps.clock.now = () => new Date(ms)
    }
    try {
      at(Date.parse(deadline) + 3600_000)
      await advanceCorrection(s.deps, started.data.correction.id)
      expect((await s.invoice({ action: 'getCorrection', correctionId: started.data.correction.id })).data.correction.status).toBe('awaiting_buyer')
      at(Date.parse(deadline) + 25 * 3600_000)
      const after = await advanceCorrection(s.deps, started.data.correction.id)
      expect(after).toMatchObject({ status: 'lapsed', redInvoiceId: null, newInvoiceId: null })
      expect(after.failure).toMatch(/失效|过期|72/)
    } finally {
      s.deps.clock.now = realNow
    }
    expect(claimsOf(s.cloud, inv.id)).toEqual([...orderIds].sort())
    expect(s.cloud.db.docs(WX_COLLECTIONS.invoices).filter((d) => d.color === 'red')).toHaveLength(0)
    expect(invariant(s.cloud)).toEqual([])
  })
})

describe('wxInvoiceRepo.replace', () => {
  it('answers already for a repeated step and refuses another red invoice', async () => {
    const s = setup()
    const { inv, company } = await issuedInvoice(s)
    const { correction } = (await s.invoice({ action: 'correct', invoiceId: inv.id, titleId: company.id, clientToken: 'tok-corr-0010' })).data
    expect(correction.status).toBe('done')
    const replacement = (await s.deps.invoices.findById(correction.newInvoiceId))!
    const input = { oldId: inv.id, redId: correction.redInvoiceId, replacement, correctionId: correction.id, at: new Date().toISOString() }
    await expect(s.deps.invoices.replace(input)).resolves.toBe('already')
    await expect(s.deps.invoices.replace({ ...input, redId: 'ANOTHER-R' })).rejects.toThrow(/reversed by/)
    expect(s.cloud.db.docs(WX_COLLECTIONS.invoiceEvents).filter((e) => e.invoiceId === inv.id && e.type === 'reversed')).toHaveLength(1)
  })
})

describe('wxCorrectionRepo', () => {
  const title = { kind: 'personal' as const, name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null }
  const correction = (over: Partial<StoredCorrection>): StoredCorrection => ({
    id: 'COR1',
    openid: ALICE,
    invoiceId: 'INV1',
    clientToken: 'tok-1',
    status: 'requested',
    activeKey: 'INV1',
    reasonCode: '01',
    oldTitle: title,
    newTitle: { ...title, name: '李四' },
    email: null,
    buyerBooked: false,
    by: 'user',
    confirmationNo: null,
    confirmDeadline: null,
    redInvoiceId: null,
    newInvoiceId: null,
    failure: null,
    nextCheckAt: null,
    requestedAt: '2026-06-01T00:00:00.000Z',
    updatedAt: '2026-06-01T00:00:00.000Z',
    ...over,
  })

  it('keeps one correction in progress per invoice, and frees the invoice once the correction ended', async () => {
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const repo = wxCorrectionRepo(cloud.database())
    await repo.create(correction({}))
    await expect(repo.create(correction({ id: 'COR2', clientToken: 'tok-2' }))).rejects.toEqual(new DuplicateKeyError('activeKey'))
    await expect(repo.create(correction({ id: 'COR3', activeKey: 'INV9', invoiceId: 'INV9' }))).rejects.toEqual(new DuplicateKeyError('clientToken'))
    expect((await repo.findActive('INV1'))?.id).toBe('COR1')
    // conditional update: only from the named statuses, once
    expect(await repo.update('COR1', ['awaiting_buyer'], { status: 'lapsed' })).toBe(false)
    expect(await repo.update('COR1', ['requested'], { status: 'lapsed', activeKey: 'COR1', failure: '超时' })).toBe(true)
    expect(await repo.update('COR1', ['requested'], { status: 'lapsed' })).toBe(false)
    expect(await repo.findActive('INV1')).toBeNull()
    await repo.create(correction({ id: 'COR2', clientToken: 'tok-2' }))
    expect((await repo.listForInvoice('INV1')).map((c) => c.id).sort()).toEqual(['COR1', 'COR2'])
    expect((await repo.due('2026-06-02T00:00:00.000Z', 10)).map((c) => c.id)).toEqual(['COR2'])
    expect((await repo.listByStatus(['lapsed'], 10)).map((c) => c.id)).toEqual(['COR1'])
    expect(await repo.findByClientToken(ALICE, 'tok-2')).toMatchObject({ id: 'COR2', newTitle: { name: '李四' } })
  })
})

describe('WxProviderSandbox red-letter forms', () => {
  const req = (over = {}) => ({
    requestNo: 'COR1',
    blueInvoiceNo: '26421000000000000001',
    blueIssuedAt: '2026-06-01T00:00:00.000Z',
    reasonCode: '01' as const,
    amountFen: 5000,
    buyer: { name: '武汉示例科技有限公司', taxId: VALID_TAX_ID },
    buyerMustConfirm: true,
    ...over,
  })

  it('confirms at once when no confirmation is needed, once per request number', async () => {
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const p = new WxProviderSandbox(cloud.database(), { latencyMs: 0, failureRate: 0 })
    const a = await p.applyRedConfirmation(req({ buyerMustConfirm: false }))
    expect(a).toMatchObject({ state: 'confirmed', confirmationNo: expect.stringMatching(/^\d{20}$/) })
    expect(await p.applyRedConfirmation(req({ buyerMustConfirm: false }))).toEqual(a)
    expect(await p.queryRedConfirmation('nope')).toEqual({ state: 'not_found' })
  })

  it('waits for the buyer, lapses after 72 hours, and a lapsed form cannot be confirmed', async () => {
    let now = new Date('2026-06-01T00:00:00Z')
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const p = new WxProviderSandbox(cloud.database(), { latencyMs: 0, failureRate: 0, now: () => now })
    const pending = await p.applyRedConfirmation(req())
    expect(pending).toMatchObject({ state: 'pending_buyer', deadline: '2026-06-04T00:00:00.000Z' })
    now = new Date('2026-06-04T00:00:00Z')
    expect(await p.queryRedConfirmation('COR1')).toMatchObject({ state: 'lapsed' })
    expect(await p.decideRedConfirmation({ requestNo: 'COR1' }, 'confirm')).toMatchObject({ state: 'lapsed' })
  })

  it('issues a red invoice only against a confirmed form for that blue invoice', async () => {
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const p = new WxProviderSandbox(cloud.database(), { latencyMs: 0, failureRate: 0 })
    const pending = await p.applyRedConfirmation(req())
    const red = (confirmationNo: string, blueInvoiceNo = '26421000000000000001') => ({
      requestNo: `R-${confirmationNo}-${blueInvoiceNo}`,
      buyer: { name: 'x', taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
      items: [],
      amountFen: -5000,
      remarks: '',
      red: { blueInvoiceNo, confirmationNo },
    })
    const cno = (pending as { confirmationNo: string }).confirmationNo
    await p.submit(red(cno))
    expect(await p.query(`R-${cno}-26421000000000000001`)).toMatchObject({ state: 'failed' })
    expect(await p.decideRedConfirmation({ confirmationNo: cno }, 'confirm')).toMatchObject({ state: 'confirmed' })
    await p.submit(red(cno, '26421000000000000099'))
    expect(await p.query(`R-${cno}-26421000000000000099`)).toMatchObject({ state: 'failed' })
    const ok = { ...red(cno), requestNo: 'R-ok' }
    await p.submit(ok)
    expect(await p.query('R-ok')).toMatchObject({ state: 'issued' })
  })
})
