import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildInvoiceDocument, type SellerConfig } from '../../../cloudfunctions/_core/domain/invoice'
import { createDocumentRenderer, defaultFontPath } from '../../../cloudfunctions/_core/adapters/documents'
import QRCode from 'qrcode'
import { loadFont } from '../../../cloudfunctions/_core/adapters/documents/font'
import { QR_BOX } from '../../../cloudfunctions/_core/adapters/documents/pdf.renderer'
import type { TitleSnapshot } from '../../../types/domain'
import { totalInCapitals } from '../../../types/capitals'

/**
 * The invoice PDF checked as a person would check it, with poppler-utils (pdftotext, pdffonts,
 * pdfinfo, pdftoppm): CI must `apt-get install -y poppler-utils`.
 */
const POPPLER = '/usr/bin'
for (const tool of ['pdftotext', 'pdffonts', 'pdfinfo', 'pdftoppm']) {
  if (!fs.existsSync(path.join(POPPLER, tool))) throw new Error(`${tool} missing: apt-get install -y poppler-utils`)
}

const SELLER: SellerConfig = {
  name: '武汉城市一卡通有限公司',
  taxId: '914201007483067290',
  address: '武汉市江汉区新华路 1 号',
  phone: '027-85555555',
  bankName: '招商银行武汉分行',
  bankAccount: '127900000010001',
  issuer: '王小明',
  taxCode: '6010000000000000000',
  itemName: '*预付卡销售和充值*武汉通卡充值',
  verifyBaseUrl: 'https://inv.example.cn/verify',
}
const COMPANY: TitleSnapshot = {
  kind: 'enterprise',
  name: '武汉光谷某某科技有限公司',
  taxId: '91420100177570439N',
  address: '武汉市洪山区珞喻路 1037 号',
  phone: '027-87541234',
  bankName: '中国工商银行武汉东湖支行',
  bankAccount: '3202000019000012345',
}
const PERSON: TitleSnapshot = { kind: 'personal', name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null }

const invoice = (over: { title?: TitleSnapshot; orders?: { id: string; amountFen: number; cardNo: string }[]; issuedAt?: string } = {}) =>
  buildInvoiceDocument({
    invoiceNo: '26422000000000012345',
    issuedAt: over.issuedAt ?? '2026-11-28T17:30:00.000Z', // 2026-11-29 01:30 in Wuhan
    title: over.title ?? COMPANY,
    orders: over.orders ?? [{ id: 'T20261128000001ABCD', amountFen: 5000, cardNo: '3104000012345673' }],
    seller: SELLER,
  })

const renderer = createDocumentRenderer({ fontPath: defaultFontPath() })
let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inv-pdf-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

let n = 0
function save(pdf: Buffer): string {
  const file = path.join(dir, `inv-${++n}.pdf`)
  fs.writeFileSync(file, pdf)
  return file
}
const run = (tool: string, ...args: string[]) => execFileSync(path.join(POPPLER, tool), args, { encoding: 'utf8' })
const text = (file: string) => run('pdftotext', '-layout', '-enc', 'UTF-8', file, '-')
const info = (file: string) =>
  Object.fromEntries(
    run('pdfinfo', file)
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
  )

describe('invoice PDF', () => {
  let file: string
  let pdf: Buffer
  beforeAll(async () => {
    pdf = await renderer.renderPdf(invoice())
    file = save(pdf)
  })

  it('is a one-page PDF of at most 60 KB', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.length).toBeLessThanOrEqual(60 * 1024)
    expect(info(file).Pages).toBe('1')
  })

  it('embeds only a subset of Noto Sans SC (no standard fonts)', () => {
    const rows = run('pdffonts', file).split('\n').slice(2).filter(Boolean)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatch(/^[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
  })

  it('reads like a 数电票: title, number, date, parties, item, rate, totals, capitals, remarks, issuer', () => {
    const t = text(file)
    for (const s of [
      '电子发票（普通发票）',
      '发票号码：',
      '26422000000000012345',
      '开票日期：',
      '2026年11月29日',
      '购',
      '销',
      '名称：武汉光谷某某科技有限公司',
      '91420100177570439N',
      '名称：武汉城市一卡通有限公司',
      '914201007483067290',
      '项目名称',
      '税率/征收率',
      '*预付卡销售和充值*武汉通卡充值',
      '不征税',
      '¥50.00',
      '¥0.00',
      '价税合计（大写）',
      '⊗ 伍拾圆整',
      '（小写） ¥50.00',
      '武汉通卡号：3104000012345673',
      'T20261128000001ABCD',
      '购买方地址电话：武汉市洪山区珞喻路 1037 号 027-87541234',
      '开票人：王小明',
    ]) {
      expect([s, t.includes(s)]).toEqual([s, true])
    }
    // one item line: amount and unit price with two decimals, tax *** for 不征税
    expect(t).toMatch(/\*预付卡销售和充值\*武汉通卡充值\s+元\s+1\s+50\.00\s+50\.00\s+不征税\s+\*\*\*/)
  })

  it('carries the document info: title with the number, seller as author, issue time as creation date', () => {
    const i = info(file)
    expect(i.Title).toBe('电子发票 26422000000000012345')
    expect(i.Author).toBe('武汉城市一卡通有限公司')
    expect(i.CreationDate).toMatch(/Nov 28 17:30:00 2026/)
  })

  it('renders the same document to the same bytes', async () => {
    const again = await renderer.renderPdf(invoice())
    expect(again.equals(pdf)).toBe(true)
  })
})

it('a personal title without taxpayer ID and without address lines', async () => {
  const file = save(await renderer.renderPdf(invoice({ title: PERSON, issuedAt: '2026-03-01T02:00:00.000Z' })))
  const t = text(file)
  expect(t).toContain('名称：张三')
  expect(t).toContain('2026年03月01日')
  expect(t).not.toContain('购买方地址电话')
  expect(t).not.toContain('null')
})

it('merged top-ups: one line each, totals and capitals, still one page under 60 KB', async () => {
  const orders = Array.from({ length: 20 }, (_, i) => ({
    id: `T2026112800${String(i + 1).padStart(4, '0')}ABCD`,
    amountFen: 10000 + i * 5,
    cardNo: `310400001234567${i % 2}`,
  }))
  const doc = invoice({ orders })
  const pdf = await renderer.renderPdf(doc)
  const file = save(pdf)
  expect(info(file).Pages).toBe('1')
  expect(pdf.length).toBeLessThanOrEqual(60 * 1024)
  const t = text(file)
  expect(t.match(/不征税/g)).toHaveLength(20)
  expect(t).toContain('100.95') // the 20th line
  expect(t).toContain(`¥${(doc.totalFen / 100).toFixed(2)}`)
  expect(t).toContain(`⊗ ${doc.totalCapital}`)
  expect(doc.totalCapital).toBe('贰仟零玖圆伍角整')
})

it('prints names with XML/PDF special characters verbatim', async () => {
  const t = text(save(await renderer.renderPdf(invoice({ title: { ...COMPANY, name: 'A&B <公司> "引号" \'x\'' } }))))
  expect(t).toContain('名称：A&B <公司> "引号" \'x\'')
})

it('a very long buyer name is shrunk and wrapped inside the buyer block', async () => {
  const name = '湖北省武汉市东湖新技术开发区光谷软件园某某某某信息技术服务有限责任公司驻江汉区办事处后勤保障中心财务结算部（员工交通卡统一充值专户）'
  const pdf = await renderer.renderPdf(invoice({ title: { ...COMPANY, name } }))
  const file = save(pdf)
  expect(info(file).Pages).toBe('1')
  // wrapped lines interleave with 名称： in the layout text: look for both halves
  const t = text(file).replace(/\s+/g, '')
  expect(t).toContain(name.slice(0, 30))
  expect(t).toContain(name.slice(-20))
})

it('parses the font once per process and reuses it for every PDF', () => {
  const p = defaultFontPath()
  expect(loadFont(p)).toBe(loadFont(p))
})

it('red-letter amounts keep their sign', async () => {
  const doc = invoice()
  const red = {
    ...doc,
    items: doc.items.map((i) => ({ ...i, quantity: -1, amountFen: -i.amountFen })),
    amountFen: -5000,
    totalFen: -5000,
    totalCapital: totalInCapitals(-5000),
  }
  const t = text(save(await renderer.renderPdf(red)))
  expect(t).toContain('¥-50.00')
  expect(t).toContain('⊗ （负数）伍拾圆整')
})

describe('defaultFontPath', () => {
  const saved = process.env.INVOICE_FONT_PATH
  afterEach(() => {
    if (saved === undefined) delete process.env.INVOICE_FONT_PATH
    else process.env.INVOICE_FONT_PATH = saved
  })

  it('prefers INVOICE_FONT_PATH, else finds the npm font', () => {
    delete process.env.INVOICE_FONT_PATH
    const pkg = defaultFontPath()
    expect(pkg).toMatch(/NotoSansSC_400Regular\.ttf$/)
    const copy = path.join(dir, 'my-font.ttf')
    fs.symlinkSync(pkg, copy)
    process.env.INVOICE_FONT_PATH = copy
    expect(defaultFontPath()).toBe(copy)
  })

  it('a missing or wrong font fails with a clear message', async () => {
    await expect(createDocumentRenderer({ fontPath: path.join(dir, 'nope.ttf') }).renderPdf(invoice())).rejects.toThrow(/invoice font cannot be read/)
    const junk = path.join(dir, 'junk.ttf')
    fs.writeFileSync(junk, 'not a font')
    await expect(createDocumentRenderer({ fontPath: junk }).renderPdf(invoice())).rejects.toThrow(/is not a TrueType\/OpenType font/)
  })
})

it('draws exactly the QR code of doc.qrPayload (module by module, as rendered by poppler)', async () => {
  const doc = invoice()
  const file = save(await renderer.renderPdf(doc))
  const dpi = 300
  const px = (mm: number) => (mm / 25.4) * dpi
  const out = path.join(dir, 'qr')
  execFileSync(path.join(POPPLER, 'pdftoppm'), ['-gray', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', file, out])
  // binary PGM: "P5\n<w> <h>\n255\n" then one byte a pixel
  const pgm = fs.readFileSync(`${out}.pgm`)
  const header = pgm
    .subarray(0, 40)
    .toString('latin1')
    .match(/^P5\s+(\d+)\s+(\d+)\s+255\s/)
  expect(header).not.toBeNull()
  const width = Number(header![1])
  const pixels = pgm.subarray(header![0].length)
  const dark = (x: number, y: number) => pixels[Math.round(y) * width + Math.round(x)] < 128

  const code = QRCode.create(doc.qrPayload, { errorCorrectionLevel: 'M' })
  const n = code.modules.size
  const cell = QR_BOX.size / n
  let mismatches = 0
  for (let r = -1; r <= n; r++) {
    for (let c = -1; c <= n; c++) {
      // one module of quiet zone all round must be white
      const want = r >= 0 && c >= 0 && r < n && c < n ? Boolean(code.modules.data[r * n + c]) : false
      if (dark(px(QR_BOX.x + (c + 0.5) * cell), px(QR_BOX.y + (r + 0.5) * cell)) !== want) mismatches++
    }
  }
  expect(mismatches).toBe(0)
})
