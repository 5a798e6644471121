import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { buildInvoiceDocument, type SellerConfig } from '../../../cloudfunctions/_core/domain/invoice'
import { createDocumentRenderer } from '../../../cloudfunctions/_core/adapters/documents'
import { defaultFallbackFontPath, localFallbackFonts, storageFallbackFonts } from '../../../cloudfunctions/_core/adapters/documents/font'
import { COMMON_RANGES, commonSubset, generalStandardCharacters } from '../../../scripts/fonts/common-subset'
import { MAIN_FONT } from '../../../scripts/fonts/printable-ranges'
import type { TitleSnapshot } from '../../../types/domain'

/**
 * The font the issuing functions ship: the build-time subset of Noto Sans SC
 * (scripts/fonts/common-subset.ts), with the fallback fonts fetched only when a name needs them
 * (font.ts storageFallbackFonts / localFallbackFonts). Read back with poppler's pdftotext and
 * pdffonts, independent of fontkit and pdfkit.
 */
interface Glyph {
  path: { toSVG(): string }
  advanceWidth: number
}
interface Font {
  hasGlyphForCodePoint(cp: number): boolean
  glyphForCodePoint(cp: number): Glyph
  numGlyphs: number
}
const fontkit = require('fontkit') as { create(b: Buffer): Font }

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
/** An invoice for `name`; `extra` is printed in the remarks (a way to print many characters). */
const doc = (name: string, extra = '') => {
  const d = buildInvoiceDocument({
    invoiceNo: '26422000000000012345',
    issuedAt: '2026-11-28T17:30:00.000Z',
    title: person(name),
    orders: [{ id: 'T20261128000001ABCD', amountFen: 24690, cardNo: '3104000012345673' }],
    seller: SELLER,
  })
  return extra ? { ...d, remarks: `${d.remarks}\n${extra}` } : d
}

let dir: string
let subsetPath: string
let subset: Font
const full = fontkit.create(fs.readFileSync(MAIN_FONT))
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inv-subset-'))
  subsetPath = await commonSubset() // cached under .cache/fonts by the build
  subset = fontkit.create(zlib.brotliDecompressSync(fs.readFileSync(subsetPath)))
}, 120_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const pdftotext = (file: string) => execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
const pdffonts = (file: string) => execFileSync('/usr/bin/pdffonts', [file], { encoding: 'utf8' })
const write = (name: string, pdf: Buffer) => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, pdf)
  return file
}

it('the character list is the whole 通用规范汉字表 from its package: 3,500 + 3,000 + 1,605 distinct characters', () => {
  const chars = generalStandardCharacters()
  expect(chars).toHaveLength(8105)
  expect(chars.slice(0, 5)).toEqual(['一', '乙', '二', '十', '丁']) // the table opens in stroke order
  // the everyday characters of an invoice and of Wuhan's names are all in it
  for (const c of '武汉通城市一卡有限公司电子发票普通价税合计壹贰叁肆伍陆柒捌玖拾佰仟万亿圆角分整江岸硚口洪山汉阳')
    expect([c, chars.includes(c)]).toEqual([c, true])
})

it('the subset has every character of the table with the same outline and advance as the whole font', () => {
  const missing: string[] = []
  const different: string[] = []
  for (const c of generalStandardCharacters()) {
    const cp = c.codePointAt(0)!
    if (!subset.hasGlyphForCodePoint(cp)) {
      missing.push(c)
      continue
    }
    const a = subset.glyphForCodePoint(cp)
    const b = full.glyphForCodePoint(cp)
    if (a.advanceWidth !== b.advanceWidth || a.path.toSVG() !== b.path.toSVG() || a.path.toSVG() === '') different.push(c)
  }
  expect({ missing, different }).toEqual({ missing: [], different: [] })
  // and ASCII, punctuation and full-width forms wherever the whole font has them
  for (const [from, to] of COMMON_RANGES)
    for (let cp = from; cp <= to; cp++) if (full.hasGlyphForCodePoint(cp)) expect([cp, subset.hasGlyphForCodePoint(cp)]).toEqual([cp, true])
  // a character outside the table (traditional 龍) is left to the fallback
  expect(subset.hasGlyphForCodePoint(0x9f8d)).toBe(false)
  expect(full.hasGlyphForCodePoint(0x9f8d)).toBe(true)
  expect(subset.numGlyphs).toBeLessThan(full.numGlyphs / 3)
})

it('an invoice in the subset prints the table characters as text a reader extracts (a sample of every 40th)', async () => {
  const sample = generalStandardCharacters()
    .filter((_, i) => i % 40 === 0)
    .join('')
  const downloads: string[] = []
  const renderer = createDocumentRenderer({
    fontPath: subsetPath,
    fallbackFonts: storageFallbackFonts(['cloud://env/fonts/NotoSansSC-Regular.ttf'], async (id) => {
      downloads.push(id)
      return fs.readFileSync(MAIN_FONT)
    }),
  })
  const file = write('common.pdf', await renderer.renderPdf(doc('张三', sample)))
  expect(pdftotext(file).replace(/\s+/g, '')).toContain(sample)
  expect(pdffonts(file)).toMatch(/\+NotoSansSC-Regular\s+CID TrueType/)
  // the template's own text, the sandbox watermark included, is in the subset too
  await renderer.renderPdf(doc('张三'), { sample: true })
  expect(downloads).toEqual([]) // nothing outside the subset: no fallback fetched
})

it('a name outside the subset prints via the fallbacks, downloaded once per instance on the first such name', async () => {
  const fontDir = path.join(dir, 'tmp-fonts')
  const downloads: string[] = []
  const files: Record<string, string> = {
    'cloud://env.bucket/fonts/NotoSansSC-Regular.ttf': MAIN_FONT,
    'cloud://env.bucket/fonts/HanaMinB.ttf': defaultFallbackFontPath()!,
  }
  const renderer = createDocumentRenderer({
    fontPath: subsetPath,
    fallbackFonts: storageFallbackFonts(
      Object.keys(files),
      async (id) => {
        downloads.push(id)
        return fs.readFileSync(files[id])
      },
      fontDir,
    ),
  })
  await renderer.renderPdf(doc('李四'))
  expect(downloads).toEqual([])

  // 龍 is in the whole Noto Sans SC (not in the table), 𪚥 only in HanaMinB (CJK Ext. B)
  const file = write('rare.pdf', await renderer.renderPdf(doc('龍𪚥')))
  expect(pdftotext(file)).toContain('龍𪚥')
  const fonts = pdffonts(file)
  expect(fonts).toMatch(/\+HanaMinB\s+CID TrueType/)
  expect(fonts.match(/\+NotoSansSC-Regular\s+CID TrueType/g)).toHaveLength(2) // the subset and the whole font, each subset per document
  await renderer.renderPdf(doc('王𪚥'))
  expect(downloads).toEqual(Object.keys(files)) // once each, in order
  const kept = fs.readdirSync(fontDir).sort()
  expect(kept).toEqual([expect.stringMatching(/^[0-9a-f]{12}-HanaMinB\.ttf$/), expect.stringMatching(/^[0-9a-f]{12}-NotoSansSC-Regular\.ttf$/)]) // no temp file left behind
})

it('a failed download fails that invoice with a clear message; the next one downloads again', async () => {
  let fail = true
  const source = storageFallbackFonts(
    ['cloud://env.bucket/fonts/HanaMinB.ttf'],
    async () => {
      if (fail) throw new Error('storage unavailable')
      return fs.readFileSync(defaultFallbackFontPath()!)
    },
    path.join(dir, 'retry-fonts'),
  )
  const renderer = createDocumentRenderer({ fontPath: subsetPath, fallbackFonts: source })
  await expect(renderer.renderPdf(doc('王𪚥'))).rejects.toThrow(/fallback fonts could not be downloaded from cloud storage: storage unavailable/)
  fail = false
  const file = write('retry.pdf', await renderer.renderPdf(doc('王𪚥')))
  expect(pdftotext(file)).toContain('王𪚥')
})

it('with no fallback at all, a rare name is refused with the setting to fix, never printed as a box', async () => {
  const renderer = createDocumentRenderer({ fontPath: subsetPath, fallbackFonts: { paths: async () => [] } })
  await expect(renderer.renderPdf(doc('王𪚥'))).rejects.toThrow(/U\+2A6A5.*INVOICE_FALLBACK_FONT_FILE_IDS/)
  // local default: the whole font from the npm package, then HanaMinB
  expect(await localFallbackFonts().paths()).toEqual([MAIN_FONT, defaultFallbackFontPath()])
})
