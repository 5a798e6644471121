import crypto from 'node:crypto'
import { NuonuoProvider } from '../../../cloudfunctions/_core/adapters/nuonuo/nuonuo.provider'
import { nuonuoKey } from '../../../cloudfunctions/_core/adapters/nuonuo/nuonuo.protocol'
import { loadConfig } from '../../../cloudfunctions/_core/config'
import { isProviderUnavailable, type IssueRequest, type RedConfirmationRequest } from '../../../cloudfunctions/_core/ports/provider.port'
import type { Logger } from '../../../cloudfunctions/_core/ports/runtime.port'
import { startNuonuoStub, type NuonuoStub } from '../../../scripts/nuonuo-stub/server'

/**
 * The Nuonuo adapter against the local stub of the open platform: real HTTP, the signature
 * checked by the stub, the asynchronous states driven by a shared clock.
 */
const KEYS = { appKey: 'SD63236305', appSecret: 'SDDED2523BED4643', accessToken: 'tok-0123456789', userTax: '91420100MA4K0000XJ' }
let t = Date.parse('2026-11-28T02:00:00Z')
const clock = () => new Date(t)
let stub: NuonuoStub
const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = []
const log: Logger = {
  info: (msg, fields) => lines.push({ level: 'info', msg, fields }),
  warn: (msg, fields) => lines.push({ level: 'warn', msg, fields }),
  error: (msg, fields) => lines.push({ level: 'error', msg, fields }),
}

function provider(over: { appSecret?: string; accessToken?: string; timeoutMs?: number } = {}) {
  const config = loadConfig({
    INVOICE_PROVIDER: 'nuonuo',
    NUONUO_BASE_URL: stub.servicesUrl,
    NUONUO_APP_KEY: KEYS.appKey,
    NUONUO_APP_SECRET: over.appSecret ?? KEYS.appSecret,
    NUONUO_ACCESS_TOKEN: over.accessToken ?? KEYS.accessToken,
    NUONUO_TIMEOUT_MS: String(over.timeoutMs ?? 2000),
    NUONUO_CLERK: '张开票',
  })
  return new NuonuoProvider({ nuonuo: config.provider.nuonuo, seller: config.invoice.seller, redConfirmHours: 72, log, now: clock, applyPollMs: 10 })
}

let n = 0
const requestNo = () => `INV${(++n).toString(36).toUpperCase()}${crypto.randomBytes(5).toString('hex').toUpperCase()}-1`
function issue(over: Partial<IssueRequest> = {}): IssueRequest {
  return {
    requestNo: requestNo(),
    buyer: { name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ', address: null, phone: null, bankName: null, bankAccount: null },
    items: [
      {
        name: '*预付卡销售和充值*武汉通卡充值',
        taxCode: '6010000000000000000',
        spec: '',
        unit: '次',
        quantity: 1,
        unitPriceFen: 5000,
        amountFen: 5000,
        rateLabel: '不征税',
        taxFen: 0,
      },
    ],
    amountFen: 5000,
    remarks: '卡号 3104000012345673',
    ...over,
  }
}

beforeAll(async () => {
  stub = await startNuonuoStub({ ...KEYS, now: clock, issuingMs: 1000, signingMs: 1000 })
})
afterAll(() => stub.close())
afterEach(() => {
  Object.assign(stub.behaviour, { failNext: null, delayMs: 0, dropNext: 0, garbleNext: 0, buyerDecision: 'wait' })
})

async function issued(p: NuonuoProvider, req: IssueRequest) {
  expect(await p.submit(req)).toBe('accepted')
  t += 5000
  const s = await p.query(req.requestNo)
  if (s.state !== 'issued') throw new Error(`not issued: ${JSON.stringify(s)}`)
  return s
}

describe('NuonuoProvider against the open-platform stub', () => {
  it('signs every call the way the gateway checks it, with the token, the tax number and the method in headers', async () => {
    const p = provider()
    const before = stub.calls.length
    await p.query('INVNOTHING-1')
    const call = stub.calls[before]
    expect(call).toMatchObject({ method: 'nuonuo.OpeMplatform.queryInvoiceResult', signatureOk: true, body: { orderNos: [nuonuoKey('INVNOTHING-1')] } })
  })

  it('answers a wrong secret or token as the provider being unavailable, and says which keys to check without logging them', async () => {
    for (const bad of [provider({ appSecret: 'WRONG' }), provider({ accessToken: 'expired' })]) {
      const e = await bad.submit(issue()).catch((x: unknown) => x)
      expect(isProviderUnavailable(e)).toBe(true)
      expect((e as Error).message).toContain('拒绝了应用凭证')
    }
    expect(stub.calls.slice(-2).map((c) => c.signatureOk)).toEqual([false, true])
    const logged = JSON.stringify(lines)
    expect(logged).toContain('NUONUO_APP_SECRET')
    expect(logged).not.toContain(KEYS.appSecret)
    expect(logged).not.toContain(KEYS.accessToken)
  })

  it('issues asynchronously: 20 开票中 and 21 签章中 are "issuing", 2 is issued with the 20-digit number, the time and the file URLs', async () => {
    const p = provider()
    const req = issue()
    expect(await p.submit(req)).toBe('accepted')
    const orderNo = nuonuoKey(req.requestNo)
    expect(orderNo).toMatch(/^[0-9A-F]{20}$/) // Nuonuo's orderNo is at most 20 characters
    expect(stub.order(orderNo)!.order).toMatchObject({
      orderNo,
      invoiceLine: 'pc',
      invoiceType: '1',
      salerTaxNum: KEYS.userTax,
      clerk: '张开票',
      pushMode: '-1',
      naturalPersonFlag: '0',
      invoiceDetail: [
        { goodsName: '武汉通卡充值', goodsCode: '6010000000000000000', taxIncludedAmount: '50.00', tax: '0.00', taxRate: '0', zeroRateFlag: '2' },
      ],
    })
    expect(await p.query(req.requestNo)).toEqual({ state: 'issuing' })
    t += 1500
    expect(stub.statusOf(orderNo)).toBe('21')
    expect(await p.query(req.requestNo)).toEqual({ state: 'issuing' })
    t += 1000
    const s = await p.query(req.requestNo)
    expect(s).toMatchObject({ state: 'issued', invoiceNo: expect.stringMatching(/^\d{20}$/) })
    if (s.state !== 'issued') throw new Error('unreachable')
    expect(Date.parse(s.issuedAt)).toBe(stub.order(orderNo)!.createdAt + 1000)
    expect(s.checkCode).toMatch(/^[0-9A-F]{4}$/) // from the platform's QR content
    expect(s.files).toEqual({ pdfUrl: expect.stringContaining('.pdf'), ofdUrl: expect.stringContaining('.ofd'), xmlUrl: expect.stringContaining('.xml') })
    // the files are the provider's, byte for byte
    const pdf = await p.fetchFile(s.files!.pdfUrl!)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(pdf.equals((await stub.file(orderNo, 'pdf'))!)).toBe(true)
    expect((await p.fetchFile(s.files!.xmlUrl!)).toString()).toContain('诺诺开放平台（本地模拟）')
  })

  it('answers a reused request number as a duplicate (E9106), never a second invoice', async () => {
    const p = provider()
    const req = issue()
    expect(await p.submit(req)).toBe('accepted')
    expect(await p.submit(req)).toBe('duplicate')
    expect(stub.orders().filter((x) => x.orderNos.includes(nuonuoKey(req.requestNo)))).toHaveLength(1)
  })

  it('knows nothing of a request it never got', async () => {
    expect(await provider().query('INV0000000000000-9')).toEqual({ state: 'not_found' })
  })

  it('reports 22 开票失败 with the cause, so the pipeline retries under a new request number', async () => {
    const p = provider()
    stub.behaviour.failNext = { status: '22', count: 1, cause: '购方税号校验不通过' }
    const req = issue()
    await p.submit(req)
    t += 5000
    expect(await p.query(req.requestNo)).toEqual({ state: 'failed', reason: '开票失败：购方税号校验不通过' })
  })

  it('re-signs a 24 签章失败 instead of failing it: the number exists, a new attempt would issue twice', async () => {
    const p = provider()
    stub.behaviour.failNext = { status: '24', count: 1 }
    const req = issue()
    await p.submit(req)
    t += 5000
    expect(stub.statusOf(nuonuoKey(req.requestNo))).toBe('24')
    expect(await p.query(req.requestNo)).toEqual({ state: 'issuing' })
    expect(stub.calls[stub.calls.length - 1].method).toBe('nuonuo.OpeMplatform.reInvoice')
    t += 5000
    expect((await p.query(req.requestNo)).state).toBe('issued')
    expect(stub.orders().filter((x) => x.orderNos.includes(nuonuoKey(req.requestNo)))).toHaveLength(1)
  })

  it('refuses bad input with the provider code and message (a definite answer, not an outage)', async () => {
    const e = await provider()
      .submit(issue({ buyer: { name: ' ', taxId: null, address: null, phone: null, bankName: null, bankAccount: null } }))
      .catch((x: unknown) => x)
    expect(isProviderUnavailable(e)).toBe(false)
    expect((e as Error).message).toBe('诺诺拒绝开票（E9999）：购方名称不能为空')
  })

  it('gives up on a slow answer after the timeout; the work was done, so a later query finds it', async () => {
    const p = provider({ timeoutMs: 150 })
    stub.behaviour.delayMs = 600
    const req = issue()
    const e = await p.submit(req).catch((x: unknown) => x)
    expect(isProviderUnavailable(e)).toBe(true)
    expect((e as Error).message).toContain('150 ms 内未应答')
    stub.behaviour.delayMs = 0
    t += 5000
    expect((await p.query(req.requestNo)).state).toBe('issued')
    expect(await p.submit(req)).toBe('duplicate')
  })

  it('treats a dropped connection and a non-JSON answer as unavailable (outcome unknown)', async () => {
    const p = provider()
    stub.behaviour.dropNext = 1
    const req = issue()
    expect(isProviderUnavailable(await p.submit(req).catch((x: unknown) => x))).toBe(true)
    expect(stub.order(nuonuoKey(req.requestNo))).toBeDefined() // it did the work
    stub.behaviour.garbleNext = 1
    const e = await p.query(req.requestNo).catch((x: unknown) => x)
    expect(isProviderUnavailable(e)).toBe(true)
    expect((e as Error).message).toContain('HTTP 502')
  })

  describe('red letter (数电 红字确认单 and 快捷冲红)', () => {
    const form = (blueInvoiceNo: string, over: Partial<RedConfirmationRequest> = {}): RedConfirmationRequest => ({
      requestNo: `COR${crypto.randomBytes(8).toString('hex').toUpperCase()}`,
      blueInvoiceNo,
      blueIssuedAt: new Date(t).toISOString(),
      reasonCode: '01',
      amountFen: 5000,
      buyer: { name: '张三', taxId: null },
      buyerMustConfirm: false,
      ...over,
    })

    it('a buyer who need not confirm: confirmed at once, then the red invoice under our request number', async () => {
      const p = provider()
      const blue = await issued(p, issue())
      const f = form(blue.invoiceNo)
      const c = await p.applyRedConfirmation(f)
      expect(c).toEqual({ state: 'confirmed', confirmationNo: expect.stringMatching(/^\d{20}$/) })
      expect(stub.redForm(f.requestNo)).toMatchObject({ redReason: '2', billStatus: '01' }) // 开票有误 is Nuonuo's 2
      expect(await p.applyRedConfirmation(f)).toEqual(c) // a repeated apply reads the form back
      if (c.state !== 'confirmed') throw new Error('unreachable')
      const red = issue({ requestNo: `${f.requestNo}-R-1`, red: { blueInvoiceNo: blue.invoiceNo, confirmationNo: c.confirmationNo } })
      expect(await p.submit(red)).toBe('accepted')
      expect(await p.submit(red)).toBe('duplicate')
      t += 5000
      const s = await p.query(red.requestNo)
      expect(s).toMatchObject({ state: 'issued' })
      expect(s.state === 'issued' && s.invoiceNo).not.toBe(blue.invoiceNo)
      // a second form for the same blue invoice is refused by the platform
      expect(await p.applyRedConfirmation(form(blue.invoiceNo))).toMatchObject({ state: 'refused', reason: expect.stringContaining('已有有效的红字确认单') })
    })

    it('an enterprise that booked the invoice: pending with a 72 h deadline, then confirmed, refused or lapsed', async () => {
      const p = provider()
      for (const decision of ['confirm', 'refuse', 'lapse'] as const) {
        const blue = await issued(p, issue())
        const f = form(blue.invoiceNo, { buyer: { name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' }, buyerMustConfirm: true })
        const pending = await p.applyRedConfirmation(f)
        expect(pending).toMatchObject({ state: 'pending_buyer', deadline: new Date(Math.floor(t / 1000) * 1000 + 72 * 3600_000).toISOString() })
        expect(stub.decideRed(f.requestNo, decision)).toBe({ confirm: '04', refuse: '05', lapse: '07' }[decision])
        expect((await p.queryRedConfirmation(f.requestNo)).state).toBe({ confirm: 'confirmed', refuse: 'refused', lapse: 'lapsed' }[decision])
      }
      expect(await p.queryRedConfirmation('CORUNKNOWN')).toEqual({ state: 'not_found' })
    })

    it('will not issue a red invoice against a form that is not confirmed', async () => {
      const p = provider()
      const blue = await issued(p, issue())
      const f = form(blue.invoiceNo, { buyerMustConfirm: true })
      const pending = await p.applyRedConfirmation(f)
      const red = issue({
        requestNo: `${f.requestNo}-R-1`,
        red: { blueInvoiceNo: blue.invoiceNo, confirmationNo: pending.state === 'pending_buyer' ? pending.confirmationNo : '' },
      })
      await expect(p.submit(red)).rejects.toThrow('诺诺拒绝红冲（E9999）：红字确认单未确认，不能开具红票')
    })
  })
})
