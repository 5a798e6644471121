import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { NuonuoProvider } from '../../cloudfunctions/_core/adapters/nuonuo/nuonuo.provider'
import { WxProviderSandbox } from '../../cloudfunctions/_core/adapters/wx/wx.provider-sandbox'
import { WX_INDEXES } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { loadConfig } from '../../cloudfunctions/_core/config'
import { buildInvoiceDocument } from '../../cloudfunctions/_core/domain/invoice'
import { isProviderUnavailable } from '../../cloudfunctions/_core/ports/provider.port'
import { buildWxDeps, wxMain } from '../../cloudfunctions/_core/wiring/wx'
import { invoiceDocuments } from '../../cloudfunctions/_core/wiring/wx-documents'
import { createInvoiceHandler } from '../../cloudfunctions/invoice/src/handler'
import { createPayNotifyHandler } from '../../cloudfunctions/payNotify/src/handler'
import { FakeWxCloud } from '../fakes/wx-cloud.fake'
import { GOOD_ENV } from '../runtime/startup-check.test'

/**
 * Who issues in WeChat cloud (wiring/wx-provider.ts) and whether a function starts at all
 * (wxMain's guard), over the in-memory WeChat cloud fake.
 */
const doc = buildInvoiceDocument({
  invoiceNo: '26423000000000000001',
  issuedAt: '2026-11-28T04:00:00.000Z',
  title: { kind: 'personal', name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
  orders: [{ id: 'o1', amountFen: 5000, cardNo: '3104000012345673' }],
  seller: loadConfig({}).invoice.seller,
})

function pdfText(pdf: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-sample-')), 'x.pdf')
  fs.writeFileSync(file, pdf)
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
}

describe('the provider of WeChat cloud', () => {
  it('is 诺诺 with INVOICE_PROVIDER=nuonuo, and its documents are not marked', () => {
    const deps = buildWxDeps(new FakeWxCloud(), GOOD_ENV, invoiceDocuments)
    expect(deps.provider).toBeInstanceOf(NuonuoProvider)
    expect(deps.renderer().renderXml(doc).toString()).not.toContain('TestFlag')
  })

  it('refuses to issue with the sandbox unless allowed: nothing numbered, nothing failed, the reason given', async () => {
    const deps = buildWxDeps(new FakeWxCloud(), { ...GOOD_ENV, INVOICE_PROVIDER: 'sandbox' })
    expect(deps.provider).not.toBeInstanceOf(WxProviderSandbox)
    const e = await deps.provider.query('INV1-1').catch((x: unknown) => x)
    expect(isProviderUnavailable(e)).toBe(true)
    expect((e as Error).message).toContain('INVOICE_PROVIDER=nuonuo')
  })

  it('allowed, the sandbox issues and every PDF carries a visible 测试样张 mark, every XML a test flag', async () => {
    const deps = buildWxDeps(new FakeWxCloud(), { ...GOOD_ENV, INVOICE_PROVIDER: 'sandbox', INVOICE_ALLOW_SANDBOX: 'true' }, invoiceDocuments)
    expect(deps.provider).toBeInstanceOf(WxProviderSandbox)
    const marked = pdfText(await deps.renderer().renderPdf(doc)).replace(/\s+/g, '')
    expect(marked).toContain('测试样张非正式发票')
    expect(marked).toContain('不得用于报销')
    const xml = deps.renderer().renderXml(doc).toString()
    expect(xml).toContain('<EInvoice version="1.0" test="true">')
    expect(xml).toContain('<TestFlag value="true">测试样张 非正式发票</TestFlag>')
    // the same renderer unmarked, as 诺诺 deployments and the local cloud use it
    expect(pdfText(await invoiceDocuments.renderer().renderPdf(doc))).not.toContain('测试样张')
  })
})

describe('wxMain refuses to start a misconfigured function', () => {
  const saved = { ...process.env }
  let out: string[]
  beforeEach(() => {
    out = []
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true))
  })
  afterEach(() => {
    process.env = { ...saved }
    jest.restoreAllMocks()
  })

  it('answers COMMON.MISCONFIGURED to every call and logs one line naming what is wrong', async () => {
    process.env = { ...saved, ...GOOD_ENV, SELLER_TAX_ID: '91420100MA4K0000XJ', NUONUO_APP_SECRET: '' }
    delete process.env.LOG_FILE // the platform's lines to stdout, where WeChat cloud reads them
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const invoice = wxMain(createInvoiceHandler, { load: () => cloud, documents: invoiceDocuments, guard: { fn: 'invoice', mode: 'refuse' } })
    cloud.wxContext = { OPENID: 'oPerson000000000000000000001', SOURCE: 'wx_client' }
    for (let i = 0; i < 2; i++) {
      expect(await invoice({ action: 'caps' }, {})).toEqual({ ok: false, error: { code: 'COMMON.MISCONFIGURED', message: expect.stringContaining('配置') } })
    }
    const lines = out.filter((l) => l.includes('refuses to start'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('SELLER_TAX_ID')
    expect(lines[0]).toContain('NUONUO_APP_SECRET')
  })

  it('a function in report mode (payNotify) logs the same line and keeps answering', async () => {
    process.env = { ...saved, ...GOOD_ENV, SELLER_TAX_ID: '91420100MA4K0000XJ' }
    delete process.env.LOG_FILE
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const payNotify = wxMain(createPayNotifyHandler, { load: () => cloud, guard: { fn: 'payNotify', mode: 'report' } })
    cloud.wxContext = { SOURCE: 'wx_paycallback' }
    const answer = (await payNotify({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: 'nope', totalFee: 1 }, {})) as { errcode: number }
    expect(answer.errcode).toBeDefined()
    expect(answer).not.toMatchObject({ ok: false })
    expect(out.filter((l) => l.includes('payNotify refuses to start') && l.includes('SELLER_TAX_ID'))).toHaveLength(1)
  })

  it('starts quietly with a complete configuration', async () => {
    process.env = { ...saved, ...GOOD_ENV }
    delete process.env.LOG_FILE
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    const invoice = wxMain(createInvoiceHandler, { load: () => cloud, documents: invoiceDocuments, guard: { fn: 'invoice', mode: 'refuse' } })
    cloud.wxContext = { OPENID: 'oPerson000000000000000000001', SOURCE: 'wx_client' }
    expect(await invoice({ action: 'caps' }, {})).toMatchObject({ ok: true })
    expect(out.some((l) => l.includes('refuses to start') || l.includes('starts with warnings'))).toBe(false)
  })
})
