import { execFileSync, spawnSync } from 'node:child_process'
import { builtinModules } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build } from 'esbuild'
import { defaultFontPath } from '../../../cloudfunctions/_core/adapters/documents'

/**
 * The renderer as it is deployed: bundled by esbuild with the options of
 * scripts/build-functions.ts into a folder outside the repository (no node_modules within
 * reach), the font copied next to the bundle under fonts/ like the build does, then run by a
 * plain `node` in a child process.
 */
const root = path.resolve(__dirname, '../../..')
const documents = path.join(root, 'cloudfunctions/_core/adapters/documents')
const domain = path.join(root, 'cloudfunctions/_core/domain/invoice')

let dir: string
let bundle: string
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inv-bundle-'))
  const entry = path.join(dir, 'entry.ts')
  fs.writeFileSync(
    entry,
    `
import fs from 'node:fs'
import { createDocumentRenderer, defaultFontPath } from ${JSON.stringify(documents)}
import { buildInvoiceDocument } from ${JSON.stringify(domain)}
const doc = buildInvoiceDocument({
  invoiceNo: '26422000000000012345',
  issuedAt: '2026-11-28T04:00:00.000Z',
  title: { kind: 'personal', name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
  orders: [{ id: 'T20261128000001ABCD', amountFen: 5000, cardNo: '3104000012345673' }],
  seller: { name: '武汉城市一卡通有限公司', taxId: '914201007483067290', address: '武汉市', phone: '027-85555555', bankName: '招商银行', bankAccount: '1279', issuer: '王小明', taxCode: '6010000000000000000', itemName: '*预付卡销售和充值*武汉通卡充值', verifyBaseUrl: 'https://inv.example.cn/verify' },
})
export async function main() {
  const fontPath = defaultFontPath()
  const r = createDocumentRenderer({ fontPath })
  fs.writeFileSync(__dirname + '/out.pdf', await r.renderPdf(doc))
  fs.writeFileSync(__dirname + '/out.xml', r.renderXml(doc))
  return { fontPath }
}
main().then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write(String(e && e.message)); process.exit(3) })
`,
  )
  bundle = path.join(dir, 'fn', 'index.js')
  await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    external: ['wx-server-sdk'],
    minify: false,
    legalComments: 'none',
    logLevel: 'silent',
  })
}, 60_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const env = () => {
  const e = { ...process.env }
  delete e.INVOICE_FONT_PATH
  delete e.NODE_PATH
  return e
}
const runBundle = () => spawnSync(process.execPath, [bundle], { cwd: path.dirname(bundle), env: env(), encoding: 'utf8', timeout: 30_000 })

it('the bundle needs nothing but Node built-ins at run time (pdfkit, fontkit and qrcode are inside)', () => {
  const code = fs.readFileSync(bundle, 'utf8')
  const requires = new Set([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1].replace(/^node:/, '')))
  expect([...requires].filter((r) => !builtinModules.includes(r))).toEqual([])
})

it('without the font beside it, the bundle fails with a clear message', () => {
  const r = runBundle()
  expect(r.status).toBe(3)
  expect(r.stderr).toMatch(/invoice font not found .*fonts\/NotoSansSC-Regular\.ttf/)
})

// pdfkit's standard fonts (Helvetica metrics, loaded from pdfkit's own folder at run time) are
// never needed: our TTF is the document's font from the constructor on
it('with fonts/NotoSansSC-Regular.ttf beside it, the bundle renders a valid PDF and XML', () => {
  const fonts = path.join(path.dirname(bundle), 'fonts')
  fs.mkdirSync(fonts)
  fs.copyFileSync(defaultFontPath(), path.join(fonts, 'NotoSansSC-Regular.ttf'))
  const r = runBundle()
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  expect(JSON.parse(r.stdout)).toEqual({ fontPath: path.join(fonts, 'NotoSansSC-Regular.ttf') })

  const pdfFile = path.join(path.dirname(bundle), 'out.pdf')
  const pdf = fs.readFileSync(pdfFile)
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
  expect(pdf.length).toBeLessThanOrEqual(60 * 1024)
  expect(execFileSync('/usr/bin/pdffonts', [pdfFile], { encoding: 'utf8' })).toMatch(/[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType/)
  const text = execFileSync('/usr/bin/pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' })
  expect(text).toContain('电子发票（普通发票）')
  expect(text).toContain('⊗ 伍拾圆整')
  expect(fs.readFileSync(path.join(path.dirname(bundle), 'out.xml'), 'utf8')).toContain('<TotalInCapitals>伍拾圆整</TotalInCapitals>')
})
