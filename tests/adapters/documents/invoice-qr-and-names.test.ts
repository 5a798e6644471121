import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildInvoiceDocument, type SellerConfig } from '../../../cloudfunctions/_core/domain/invoice'
import { buildRedDocument } from '../../../cloudfunctions/_core/domain/correction'
import { createDocumentRenderer, defaultFontPath } from '../../../cloudfunctions/_core/adapters/documents'
import { defaultFallbackFontPath } from '../../../cloudfunctions/_core/adapters/documents/font'
import type { TitleSnapshot } from '../../../types/domain'

/**
 * The printed invoice read back by independent tools, as a reimbursement app or a person would:
 * zbarimg (Debian zbar-tools) scans the QR from the rendered page (pdftoppm), pdftotext reads the
 * rare-character name, pdffonts shows the fallback font is embedded. scripts/setup.sh installs
 * zbar-tools, poppler-utils and fonts-hanazono.
 */
for (const tool of ['/usr/bin/pdftotext', '/usr/bin/pdffonts', '/usr/bin/pdftoppm', '/usr/bin/zbarimg']) {
  if (!fs.existsSync(tool)) throw new Error(`${tool} missing: run scripts/setup.sh (poppler-utils, zbar-tools)`)
}
if (!defaultFallbackFontPath()) throw new Error('HanaMinB.ttf missing: apt-get install fonts-hanazono (scripts/setup.sh)')

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
const person = (name: string): TitleSnapshot => ({ kind: 'personal', name, taxId: null, address: null, phone: null, bankName: null, bankAccount: null })
const ORDERS = [{ id: 'T20261128000001ABCD', amountFen: 24690, cardNo: '3104000012345673' }]
const blue = (title: TitleSnapshot, checkCode?: string) =>
  buildInvoiceDocument({ invoiceNo: '26422000000000012345', issuedAt: '2026-11-28T17:30:00.000Z', title, orders: ORDERS, seller: SELLER, checkCode })

const renderer = createDocumentRenderer({ fontPath: defaultFontPath() })
let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inv-qr-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

let n = 0
async function pdfFile(doc: ReturnType<typeof blue>): Promise<string> {
  const file = path.join(dir, `inv-${++n}.pdf`)
  fs.writeFileSync(file, await renderer.renderPdf(doc))
  return file
}
const run = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })

/** What a scanner reads off the printed page: page 1 at 150 dpi, every QR code zbarimg finds. */
function scanQr(file: string): string[] {
  const png = path.join(dir, `scan-${n}`)
  run('/usr/bin/pdftoppm', '-png', '-r', '150', '-f', '1', '-l', '1', '-singlefile', file, png)
  return run('/usr/bin/zbarimg', '--raw', '-q', '-Sdisable', '-Sqrcode.enable', `${png}.png`).split('\n').filter(Boolean)
}

describe('the QR code on the page, as a scanner reads it', () => {
  it('is the 数电票 payload 01,32,,<number>,<amount>,<date>,,<check> — not a URL', async () => {
    const doc = blue(person('张三'))
    const read = scanQr(await pdfFile(doc))
    expect(read).toEqual([doc.qrPayload])
    // issued 2026-11-28 17:30 UTC is 2026-11-29 in Wuhan
    expect(read[0]).toMatch(/^01,32,,26422000000000012345,246\.90,20261129,,[0-9A-F]{4}$/)
  })

  it('carries the provider check when one is given', async () => {
    expect(scanQr(await pdfFile(blue(person('张三'), 'C0DE')))).toEqual(['01,32,,26422000000000012345,246.90,20261129,,C0DE'])
  })

  it('a red invoice: its own number and the negative total', async () => {
    const red = buildRedDocument({
      invoiceNo: '26422000000000012399',
      issuedAt: '2026-12-01T02:00:00.000Z',
      title: person('张三'),
      orders: ORDERS,
      seller: SELLER,
      blueInvoiceNo: '26422000000000012345',
      confirmationNo: '26429000000000000001',
    })
    const file = await pdfFile(red)
    expect(scanQr(file)).toEqual([red.qrPayload])
    expect(red.qrPayload).toMatch(/^01,32,,26422000000000012399,-246\.90,20261201,,[0-9A-F]{4}$/)
    expect(run('/usr/bin/pdftotext', '-layout', '-enc', 'UTF-8', file, '-')).toContain('（负数）贰佰肆拾陆圆玖角整')
  })
})

describe('rare characters print as registered (glyph by glyph, never a box)', () => {
  it('王𪚥: the text is in the PDF and the fallback font is embedded', async () => {
    const doc = blue({ ...person('王𪚥'), kind: 'enterprise', name: '王𪚥𠀀（武汉）科技有限公司', taxId: '91420100177570439R', address: '武汉市𪚥路 1 号' })
    const file = await pdfFile(doc)
    const text = run('/usr/bin/pdftotext', '-layout', '-enc', 'UTF-8', file, '-')
    expect(text).toContain('王𪚥𠀀（武汉）科技有限公司')
    expect(text).toContain('武汉市𪚥路 1 号') // in the remarks, wrapped text
    const fonts = run('/usr/bin/pdffonts', file)
    // name, type, encoding, then emb sub uni: embedded, subset, with a ToUnicode map
    expect(fonts).toMatch(/\+HanaMinB\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
    expect(fonts).toMatch(/\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
    expect(scanQr(file)).toEqual([doc.qrPayload])
  })

  it('a document without rare characters embeds the main font only', async () => {
    const fonts = run('/usr/bin/pdffonts', await pdfFile(blue(person('张三'))))
    expect(fonts).not.toContain('HanaMinB')
  })

  it('refuses to render a character no invoice font has, instead of printing a box', async () => {
    await expect(renderer.renderPdf(blue(person(`王${String.fromCodePoint(0x30000)}`)))).rejects.toThrow(/U\+30000/)
  })

  it('without a fallback font, a rare character is refused, never printed as a box', async () => {
    const bare = createDocumentRenderer({ fontPath: defaultFontPath(), fallbackFontPath: null })
    await expect(bare.renderPdf(blue(person('王𪚥')))).rejects.toThrow(/U\+2A6A5/)
    await expect(bare.renderPdf(blue(person('张三')))).resolves.toBeInstanceOf(Buffer)
  })
})
