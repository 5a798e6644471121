import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build } from 'esbuild'
import { defaultFontPath } from '../../../cloudfunctions/_core/adapters/documents'
import { defaultFallbackFontPath, FALLBACK_FONT_FILE_NAME } from '../../../cloudfunctions/_core/adapters/documents/font'
import { FALLBACK_FONT_NAME } from '../../../scripts/fonts/fallback-font'

/**
 * The deployed renderer and a rare-character name: bundled like scripts/build-functions.ts does,
 * outside the repository, with fonts/NotoSansSC-Regular.ttf and fonts/HanaMinB.ttf beside it (what
 * the build ships with the invoice functions), run by a plain `node`.
 */
const root = path.resolve(__dirname, '../../..')
const documents = path.join(root, 'cloudfunctions/_core/adapters/documents')
const fontModule = path.join(documents, 'font')
const domain = path.join(root, 'cloudfunctions/_core/domain/invoice')

let dir: string
let bundle: string
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inv-bundle-rare-'))
  const entry = path.join(dir, 'entry.ts')
  fs.writeFileSync(
    entry,
    `
import fs from 'node:fs'
import { createDocumentRenderer, defaultFontPath } from ${JSON.stringify(documents)}
import { defaultFallbackFontPath } from ${JSON.stringify(fontModule)}
import { buildInvoiceDocument } from ${JSON.stringify(domain)}
const doc = buildInvoiceDocument({
  invoiceNo: '26422000000000012345',
  issuedAt: '2026-11-28T04:00:00.000Z',
  title: { kind: 'personal', name: '王𪚥', taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
  orders: [{ id: 'T20261128000001ABCD', amountFen: 5000, cardNo: '3104000012345673' }],
  seller: { name: '武汉城市一卡通有限公司', taxId: '914201007483067290', address: '武汉市', phone: '027-85555555', bankName: '招商银行', bankAccount: '1279', issuer: '王小明', taxCode: '6010000000000000000', itemName: '*预付卡销售和充值*武汉通卡充值', verifyBaseUrl: 'https://inv.example.cn/verify' },
})
createDocumentRenderer({ fontPath: defaultFontPath() }).renderPdf(doc).then(
  (pdf) => { fs.writeFileSync(__dirname + '/out.pdf', pdf); process.stdout.write(JSON.stringify({ fallback: defaultFallbackFontPath() })) },
  (e) => { process.stderr.write(String(e && e.message)); process.exit(3) },
)
`,
  )
  bundle = path.join(dir, 'fn', 'index.js')
  await build({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', target: 'node18', format: 'cjs', minify: false, logLevel: 'silent' })
  const fonts = path.join(dir, 'fn', 'fonts')
  fs.mkdirSync(fonts)
  fs.copyFileSync(defaultFontPath(), path.join(fonts, 'NotoSansSC-Regular.ttf'))
  fs.copyFileSync(defaultFallbackFontPath()!, path.join(fonts, FALLBACK_FONT_NAME))
}, 60_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

it('the build and the renderer agree on the fallback file name', () => {
  expect(FALLBACK_FONT_NAME).toBe(FALLBACK_FONT_FILE_NAME)
})

it('finds fonts/HanaMinB.ttf beside the bundle and prints 王𪚥 with it embedded', () => {
  const env = { ...process.env }
  delete env.INVOICE_FONT_PATH
  delete env.INVOICE_FALLBACK_FONT_PATH
  const r = spawnSync(process.execPath, [bundle], { cwd: path.dirname(bundle), env, encoding: 'utf8', timeout: 30_000 })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  expect(JSON.parse(r.stdout)).toEqual({ fallback: path.join(dir, 'fn', 'fonts', FALLBACK_FONT_NAME) })
  const pdf = path.join(dir, 'fn', 'out.pdf')
  expect(execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' })).toContain('王𪚥')
  expect(execFileSync('/usr/bin/pdffonts', [pdf], { encoding: 'utf8' })).toMatch(/[A-Z]{6}\+HanaMinB\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
  // pdfkit subsets per document: the PDF carries the glyphs used, not the 30 MB font
  expect(fs.statSync(pdf).size).toBeLessThanOrEqual(80 * 1024)
})
