import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { defaultFallbackFontPath, fallbackFontDir } from '../../cloudfunctions/_core/adapters/documents/font'
import { loadConfig } from '../../cloudfunctions/_core/config'
import { buildInvoiceDocument } from '../../cloudfunctions/_core/domain/invoice'
import { buildWxDeps } from '../../cloudfunctions/_core/wiring/wx'
import { invoiceDocuments } from '../../cloudfunctions/_core/wiring/wx-documents'
import { commonSubset } from '../../scripts/fonts/common-subset'
import { MAIN_FONT } from '../../scripts/fonts/printable-ranges'
import { FakeWxCloud } from '../fakes/wx-cloud.fake'
import { GOOD_ENV } from '../runtime/startup-check.test'

/**
 * WeChat cloud's renderer (wiring/wx-documents.ts) with the font the functions ship (the
 * 通用规范汉字表 subset) and the fallback fonts in cloud storage (INVOICE_FALLBACK_FONT_FILE_IDS),
 * over the in-memory WeChat cloud fake: a rare name downloads them once, a common one never.
 */
const IDS = ['cloud://prod-1a2b3c.7072-prod/fonts/NotoSansSC-Regular.ttf', 'cloud://prod-1a2b3c.7072-prod/fonts/HanaMinB.ttf']
const doc = (name: string) =>
  buildInvoiceDocument({
    invoiceNo: '26423000000000000001',
    issuedAt: '2026-11-28T04:00:00.000Z',
    title: { kind: 'personal', name, taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
    orders: [{ id: 'o1', amountFen: 5000, cardNo: '3104000012345673' }],
    seller: loadConfig({}).invoice.seller,
  })

let tmp: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-wxfonts-'))
  fs.rmSync(fallbackFontDir(), { recursive: true, force: true }) // this process's /tmp copy: fresh, as in a new instance
})
afterAll(() => {
  delete process.env.INVOICE_FONT_PATH
  fs.rmSync(tmp, { recursive: true, force: true })
  fs.rmSync(fallbackFontDir(), { recursive: true, force: true })
})

it('downloads the fallback fonts from cloud storage on the first rare name only, once, and prints the name', async () => {
  const fake = new FakeWxCloud()
  fake.files.set(IDS[0], fs.readFileSync(MAIN_FONT))
  fake.files.set(IDS[1], fs.readFileSync(defaultFallbackFontPath()!))
  const downloads: string[] = []
  const download = fake.downloadFile.bind(fake)
  fake.downloadFile = (a: { fileID: string }) => {
    downloads.push(a.fileID)
    return download(a)
  }
  // what a deployed function finds beside its bundle (process.env is the function's environment there)
  process.env.INVOICE_FONT_PATH = await commonSubset()
  const deps = buildWxDeps(fake, { ...GOOD_ENV, INVOICE_FALLBACK_FONT_FILE_IDS: IDS.join(',') }, invoiceDocuments)
  await deps.renderer().renderPdf(doc('张三'))
  expect(downloads).toEqual([])

  const pdf = await deps.renderer().renderPdf(doc('龍𪚥'))
  await deps.renderer().renderPdf(doc('王𪚥'))
  expect(downloads).toEqual(IDS)
  const file = path.join(tmp, 'rare.pdf')
  fs.writeFileSync(file, pdf)
  expect(execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })).toContain('龍𪚥')
  const fonts = execFileSync('/usr/bin/pdffonts', [file], { encoding: 'utf8' })
  expect(fonts).toMatch(/\+HanaMinB\s+CID TrueType/) // 𪚥
  expect(fonts.match(/\+NotoSansSC-Regular\s+CID TrueType/g)).toHaveLength(2) // the shipped subset, and the whole font for 龍
}, 60_000)

it('the setting takes cloud:// fileIDs only: anything else stops the function at startup', () => {
  expect(() => loadConfig({ ...GOOD_ENV, INVOICE_FALLBACK_FONT_FILE_IDS: IDS.join(' , ') })).not.toThrow()
  expect(() => loadConfig({ ...GOOD_ENV, INVOICE_FALLBACK_FONT_FILE_IDS: 'https://example.com/HanaMinB.ttf' })).toThrow(/INVOICE_FALLBACK_FONT_FILE_IDS/)
})
