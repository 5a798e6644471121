import type { InvoiceDocument } from '../../../../types/domain'
import type { DocumentRenderer } from '../../ports/document.port'
import { defaultFallbackFontPath, hasGlyph, loadFont, loadFontAsync, localFallbackFonts, type FallbackFontSource, type ParsedFont } from './font'
import { chineseDate, yuan } from './format'
import { printedLine, printedRemarks } from '../../../../types/invoice-lines'
import { heavyLibs } from '../libs/heavy-libs.loader'
import { renderInvoiceXml } from './xml.renderer'

export { defaultFontPath } from './font'

/**
 * The DocumentRenderer of both clouds: PDF with pdfkit (embedded Noto Sans SC subset), XML by
 * hand (xml.renderer.ts). pdfkit and the font are loaded on the first PDF (or by warmUp()), once
 * per process and font path; the fallback fonts only for a document that needs them (font.ts).
 */
export function createDocumentRenderer(opts: {
  fontPath: string
  fallbackFontPath?: string | null
  fallbackFonts?: FallbackFontSource
}): DocumentRenderer & { warmUp(): void } {
  return {
    renderPdf: (doc, o) =>
      renderInvoicePdf(doc, { fontPath: opts.fontPath, fallbackFontPath: opts.fallbackFontPath, fallbackFonts: opts.fallbackFonts, sample: o?.sample }),
    renderXml: (doc, o) => renderInvoiceXml(doc, o),
    warmUp: () => void loadFont(opts.fontPath),
  }
}

/**
 * The people's copy of a 数电票 (电子发票（普通发票）) as a one-page PDF, laid out like the tax
 * bureau's own: 240 mm x 140 mm (taller only when many lines or long remarks need it), QR code
 * top left, red-brown title with a double underline, number and date top right, the framed
 * buyer / seller blocks, the item table with its 合计 line, 价税合计 in capitals and figures,
 * 备注, and 开票人 below the frame.
 *
 * Text is set in Noto Sans SC, embedded as a subset of the glyphs used (pdfkit subsets every
 * embedded TrueType font); the parsed font is shared by all documents of the process. The
 * document's font is ours from the constructor on, so pdfkit never loads its standard
 * Helvetica metrics (files it reads at run time, which a bundle does not carry).
 */

const MM = 72 / 25.4
const mm = (v: number) => v * MM

const BROWN = '#9c4a1f' // the 数电票 frame and label colour
const INK = '#111111'

// geometry, mm
const PAGE_W = 240
const PAGE_H_MIN = 140
const LEFT = 10
const RIGHT = 230
const MID = 120 // buyer | seller
const LABEL_COL = 7 // the narrow column with vertical labels (购买方信息, 备注)
const FRAME_TOP = 29
const PARTY_H = 23
const HEAD_H = 6.5 // item table header
const TOTAL_H = 6.5 // 合计
const ITEMS_MIN_H = 27 // item lines area between header and 合计
const CAPITAL_H = 8.5
const CAPITAL_LABEL_W = 38
const REMARKS_MIN_H = 19
/** Where the QR code is drawn (mm from the top left corner), with white all round it. */
export const QR_BOX = { x: 13, y: 5, size: 21 } as const

// font sizes, pt
const TITLE_SIZE = 17
const LABEL_SIZE = 9
const VALUE_SIZE = 9
const ITEM_SIZE = 8.5
const SMALL_MIN = 5.5

/** The item table's columns (x from / to, mm), as on the real invoice; no rules between them. */
const COLS = {
  name: { from: LEFT, to: 69, title: '项目名称', align: 'left' },
  spec: { from: 69, to: 92, title: '规格型号', align: 'left' },
  unit: { from: 92, to: 104, title: '单位', align: 'center' },
  qty: { from: 104, to: 121, title: '数量', align: 'right' },
  price: { from: 121, to: 146, title: '单价', align: 'right' },
  amount: { from: 146, to: 175, title: '金额', align: 'right' },
  rate: { from: 175, to: 199, title: '税率/征收率', align: 'center' },
  tax: { from: 199, to: RIGHT, title: '税额', align: 'right' },
} as const
type Col = (typeof COLS)[keyof typeof COLS]
const PAD = 2 // mm inside a column

type Doc = PDFKit.PDFDocument

interface TextOpts {
  size: number
  color?: string
  align?: 'left' | 'right' | 'center'
  spacing?: number
}

export interface PdfRenderOptions {
  fontPath: string
  /** the rare-character font (font.ts defaultFallbackFontPath when undefined; null: none) */
  fallbackFontPath?: string | null
  /** where the fallback fonts come from (default: local files, font.ts localFallbackFonts) */
  fallbackFonts?: FallbackFontSource
  /** a sandbox document: 测试样张 非正式发票 across the page (see sampleWatermark) */
  sample?: boolean
}

// ---------------------------------------------------------------------------------------------
// fonts, glyph by glyph

/**
 * The main font has no glyph for rare characters (生僻字, CJK Ext. B and beyond: 王𪚥), and the
 * shipped subset none for characters outside 通用规范汉字表. Every string drawn is split into runs
 * by the font that has each glyph (main first, then each fallback in order, font.ts), and each
 * run is set in its own font, so a name prints as registered. A character no font has stops the
 * rendering: never a box (types/printable.ts refused such names before issuing; this is the last
 * line). The fallbacks are fetched and parsed only when a document has a character the main font
 * lacks (fallbacksFor, before drawing).
 */
interface FontSet {
  main: ParsedFont
  fallbacks: ParsedFont[]
}
interface Run {
  /** 0: the main font; i > 0: fallbacks[i - 1] */
  font: number
  text: string
}
const fontSets = new WeakMap<Doc, FontSet>()

/** Every string of the document (what can be drawn, whatever the layout picks). */
function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v)
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out)
  else if (v && typeof v === 'object') for (const x of Object.values(v)) stringsOf(x, out)
  return out
}

async function fallbacksFor(main: ParsedFont, doc: InvoiceDocument, opts: PdfRenderOptions): Promise<ParsedFont[]> {
  const needs = stringsOf(doc).some((s) => {
    for (const ch of s) {
      const cp = ch.codePointAt(0) ?? 0
      if (!LAYOUT_CHARS.has(cp) && !hasGlyph(main, cp)) return true
    }
    return false
  })
  if (!needs) return []
  const source = opts.fallbackFonts ?? localFallbackFonts(opts.fallbackFontPath === undefined ? defaultFallbackFontPath() : opts.fallbackFontPath)
  const paths = (await source.paths()).filter((p) => p !== opts.fontPath)
  return Promise.all(paths.map((p) => loadFontAsync(p, null)))
}

/** Line breaks and tabs are layout, not glyphs: pdfkit handles them in any font. */
const LAYOUT_CHARS = new Set([0x09, 0x0a, 0x0d])

function runsOf(pdf: Doc, text: string): Run[] {
  const set = fontSets.get(pdf)!
  const runs: Run[] = []
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0
    let font = 0
    if (!LAYOUT_CHARS.has(cp) && !hasGlyph(set.main, cp)) {
      font = set.fallbacks.findIndex((f) => hasGlyph(f, cp)) + 1
      if (font === 0) {
        const none = set.fallbacks.length === 0 ? ' (no fallback font available: set INVOICE_FALLBACK_FONT_FILE_IDS, docs/deploy.md)' : ''
        throw new Error(`no invoice font has the character U+${cp.toString(16).toUpperCase().padStart(4, '0')}: refusing to print it as a box${none}`)
      }
    }
    const last = runs[runs.length - 1]
    if (last && last.font === font) last.text += ch
    else runs.push({ font, text: ch })
  }
  return runs
}

/** Switches the current font, keeping the size (pdfkit's font() does). */
function useFont(pdf: Doc, which: number) {
  const set = fontSets.get(pdf)!
  pdf.font((which === 0 ? set.main : set.fallbacks[which - 1]) as unknown as string)
}

/** Width (pt) of a string set glyph by glyph in the font that has each glyph. */
function widthOf(pdf: Doc, text: string, spacing = 0): number {
  const runs = runsOf(pdf, text)
  if (runs.length === 1 && runs[0].font === 0) return pdf.widthOfString(text, { characterSpacing: spacing })
  let w = 0
  for (const r of runs) {
    useFont(pdf, r.font)
    w += pdf.widthOfString(r.text, { characterSpacing: spacing })
  }
  useFont(pdf, 0)
  return w
}

/**
 * pdf.text() for a string that may need the fallback: one call when the main font has every
 * glyph (the common case), else the runs chained with `continued`, so wrapping still works.
 */
function richText(pdf: Doc, text: string, x: number, y: number, o: PDFKit.Mixins.TextOptions) {
  const runs = runsOf(pdf, text)
  if (runs.length === 1 && runs[0].font === 0) return void pdf.text(text, x, y, o)
  runs.forEach((r, i) => {
    useFont(pdf, r.font)
    const more = i < runs.length - 1
    if (i === 0) pdf.text(r.text, x, y, { ...o, continued: more })
    else pdf.text(r.text, { ...o, continued: more })
  })
  useFont(pdf, 0)
}

export async function renderInvoicePdf(doc: InvoiceDocument, opts: PdfRenderOptions): Promise<Buffer> {
  // the font is read and decompressed off the main thread while pdfkit compiles on it
  const loading = loadFontAsync(opts.fontPath)
  try {
    heavyLibs()
  } catch (e) {
    await loading.catch(() => undefined)
    throw e
  }
  const font = await loading
  const fonts: FontSet = { main: font, fallbacks: await fallbacksFor(font, doc, opts) }
  const issued = new Date(doc.issuedAt)
  if (Number.isNaN(issued.getTime())) throw new Error(`issuedAt is not a date: ${doc.issuedAt}`)

  // measured before the page is added, so the page can be sized to hold everything on one page
  const pdf = new (heavyLibs().PDFDocument)({
    size: [mm(PAGE_W), mm(PAGE_H_MIN)],
    margin: 0,
    autoFirstPage: false,
    font: font as unknown as string, // a parsed fontkit font: see font.ts
    info: {
      Title: `电子发票 ${doc.invoiceNo}`,
      Author: doc.seller.name,
      Subject: `${doc.typeLabel} ${doc.invoiceNo}`,
      Keywords: `数电票 ${doc.invoiceNo}`,
      Creator: '武汉通充值电子发票',
      Producer: '武汉通充值电子发票',
      CreationDate: issued,
      ModDate: issued,
    },
    pdfVersion: '1.7',
    compress: true,
  })
  fontSets.set(pdf, fonts)
  const chunks: Buffer[] = []
  pdf.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)))
    pdf.on('error', reject)
  })

  const layout = measure(pdf, doc)
  pdf.addPage({ size: [mm(PAGE_W), mm(layout.pageH)], margin: 0 })
  draw(pdf, doc, layout)
  if (opts.sample) sampleWatermark(pdf, layout.pageH)
  pdf.end()
  return done
}

// ---------------------------------------------------------------------------------------------
// layout

interface ItemLine {
  cells: Record<keyof typeof COLS, string>
  h: number // mm
}

interface Layout {
  items: ItemLine[]
  itemsH: number
  remarks: string
  remarksSize: number
  remarksH: number
  pageH: number
}

// the lines and remarks as printed come from the shared line model (types/invoice-lines.ts), which
// the detail page's preview draws too
const remarksText = printedRemarks
const itemCells = (it: InvoiceDocument['items'][number]): ItemLine['cells'] => printedLine(it)

const colWidth = (c: Col) => mm(c.to - c.from - 2 * PAD)

function measure(pdf: Doc, doc: InvoiceDocument): Layout {
  // measuring needs a font and a size but no page
  pdf.fontSize(ITEM_SIZE)
  const items = doc.items.map((it) => {
    const cells = itemCells(it)
    const nameH = pdf.heightOfString(cells.name, { width: colWidth(COLS.name), lineGap: 0 })
    const specH = cells.spec ? pdf.heightOfString(cells.spec, { width: colWidth(COLS.spec), lineGap: 0 }) : 0
    return { cells, h: Math.max(5, Math.max(nameH, specH) / MM + 1.2) }
  })
  const itemsH = Math.max(ITEMS_MIN_H, items.reduce((s, i) => s + i.h, 0) + 2)

  const remarks = remarksText(doc)
  const remarksW = mm(RIGHT - LEFT - LABEL_COL - 2 * PAD - 1)
  // long remarks: a smaller size first, then a taller box
  let remarksSize = ITEM_SIZE
  let textH = 0
  for (; ; remarksSize -= 0.5) {
    pdf.fontSize(remarksSize)
    textH = pdf.heightOfString(remarks || ' ', { width: remarksW, lineGap: 1 }) / MM
    if (textH + 4 <= REMARKS_MIN_H || remarksSize <= 7) break
  }
  const remarksH = Math.max(REMARKS_MIN_H, textH + 4)
  const frameBottom = FRAME_TOP + PARTY_H + HEAD_H + itemsH + TOTAL_H + CAPITAL_H + remarksH
  const pageH = Math.max(PAGE_H_MIN, frameBottom + 11)
  return { items, itemsH, remarks, remarksSize, remarksH, pageH }
}

// ---------------------------------------------------------------------------------------------
// drawing

/** One line of text whose visual middle sits at midY (mm). */
function line(pdf: Doc, text: string, x: number, midY: number, o: TextOpts): number {
  pdf.fontSize(o.size).fillColor(o.color ?? INK)
  const w = widthOf(pdf, text, o.spacing ?? 0)
  const px = o.align === 'right' ? mm(x) - w : o.align === 'center' ? mm(x) - w / 2 : mm(x)
  // CJK glyphs sit between about -0.12 em and 0.88 em around the baseline
  const baseline = mm(midY) + o.size * 0.38
  const runs = runsOf(pdf, text)
  let rx = px
  for (const r of runs) {
    // each run on the same baseline, in the font that has its glyphs (one run in the common case)
    if (r.font !== 0) useFont(pdf, r.font)
    pdf.text(r.text, rx, baseline, { lineBreak: false, baseline: 'alphabetic', characterSpacing: o.spacing ?? 0 })
    rx += pdf.widthOfString(r.text, { characterSpacing: o.spacing ?? 0 })
    if (r.font !== 0) useFont(pdf, 0)
  }
  return w / MM
}

/** A label and its value on one line; the value is shrunk (down to SMALL_MIN) to fit maxW mm. */
function field(pdf: Doc, label: string, value: string, x: number, midY: number, maxW: number) {
  const lw = line(pdf, label, x, midY, { size: LABEL_SIZE, color: BROWN })
  fitted(pdf, value, x + lw, midY, maxW - lw, VALUE_SIZE)
}

/** Text in a box of width w mm centred on midY: shrinks, then wraps to up to 3 lines. */
function fitted(pdf: Doc, text: string, x: number, midY: number, w: number, size: number) {
  if (!text) return
  let s = size
  for (; s > SMALL_MIN; s -= 0.5) {
    pdf.fontSize(s)
    if (widthOf(pdf, text) <= mm(w)) return void line(pdf, text, x, midY, { size: s })
  }
  pdf.fontSize(SMALL_MIN).fillColor(INK)
  const h = pdf.heightOfString(text, { width: mm(w), lineGap: 0 })
  richText(pdf, text, mm(x), mm(midY) - h / 2, { width: mm(w), lineGap: 0, height: SMALL_MIN * 1.45 * 3.2, ellipsis: true })
}

/** Characters stacked in a narrow column, centred in [top, top + h] (mm). */
function vertical(pdf: Doc, text: string, cx: number, top: number, h: number, step: number) {
  const chars = [...text]
  const first = top + h / 2 - ((chars.length - 1) * step) / 2
  chars.forEach((c, i) => line(pdf, c, cx, first + i * step, { size: LABEL_SIZE, color: BROWN, align: 'center' }))
}

function hline(pdf: Doc, x1: number, x2: number, y: number) {
  pdf.moveTo(mm(x1), mm(y)).lineTo(mm(x2), mm(y))
}
function vline(pdf: Doc, x: number, y1: number, y2: number) {
  pdf.moveTo(mm(x), mm(y1)).lineTo(mm(x), mm(y2))
}

/** The QR code as vector squares (sharp at any zoom, a few hundred bytes). */
function qr(pdf: Doc, payload: string, x: number, y: number, size: number) {
  const code = heavyLibs().qr.create(payload, { errorCorrectionLevel: 'M' })
  const n = code.modules.size
  const data = code.modules.data
  const cell = mm(size) / n
  for (let r = 0; r < n; r++) {
    let c = 0
    while (c < n) {
      if (!data[r * n + c]) {
        c++
        continue
      }
      const start = c
      while (c < n && data[r * n + c]) c++
      // a hair wider so neighbouring runs do not show seams
      pdf.rect(mm(x) + start * cell, mm(y) + r * cell, (c - start) * cell + 0.05, cell + 0.05)
    }
  }
  pdf.fillColor('#000000').fill()
}

function draw(pdf: Doc, doc: InvoiceDocument, l: Layout) {
  // --- header --------------------------------------------------------------------------------
  qr(pdf, doc.qrPayload, QR_BOX.x, QR_BOX.y, QR_BOX.size)

  const title = doc.typeLabel || '电子发票（普通发票）'
  pdf.save()
  pdf.lineWidth(0.35).strokeColor(BROWN)
  pdf.fontSize(TITLE_SIZE)
  const spacing = 2
  const tw = pdf.widthOfString(title, { characterSpacing: spacing }) - spacing
  const tx = mm(PAGE_W / 2) - tw / 2
  pdf.fillColor(BROWN).text(title, tx, mm(14) + TITLE_SIZE * 0.38, {
    lineBreak: false,
    baseline: 'alphabetic',
    characterSpacing: spacing,
    fill: true,
    stroke: true, // the printed title is bold; one weight of the font, so fill + stroke
  })
  pdf.restore()
  pdf.save().lineWidth(0.6).strokeColor(BROWN)
  pdf.moveTo(tx - mm(3), mm(19.6)).lineTo(tx + tw + mm(3), mm(19.6))
  pdf.moveTo(tx - mm(3), mm(20.5)).lineTo(tx + tw + mm(3), mm(20.5))
  pdf.stroke().restore()

  const hx = 168
  line(pdf, '发票号码：', hx, 12, { size: LABEL_SIZE, color: BROWN })
  line(pdf, doc.invoiceNo, hx + 17, 12, { size: VALUE_SIZE })
  line(pdf, '开票日期：', hx, 18.5, { size: LABEL_SIZE, color: BROWN })
  line(pdf, chineseDate(doc.issuedAt), hx + 17, 18.5, { size: VALUE_SIZE })

  // --- frame ---------------------------------------------------------------------------------
  const partyBottom = FRAME_TOP + PARTY_H
  const headBottom = partyBottom + HEAD_H
  const itemsBottom = headBottom + l.itemsH
  const totalBottom = itemsBottom + TOTAL_H
  const capitalBottom = totalBottom + CAPITAL_H
  const frameBottom = capitalBottom + l.remarksH

  pdf.save().lineWidth(0.8).strokeColor(BROWN)
  pdf.rect(mm(LEFT), mm(FRAME_TOP), mm(RIGHT - LEFT), mm(frameBottom - FRAME_TOP)).stroke()
  pdf.lineWidth(0.5)
  hline(pdf, LEFT, RIGHT, partyBottom)
  hline(pdf, LEFT, RIGHT, totalBottom)
  hline(pdf, LEFT, RIGHT, capitalBottom)
  vline(pdf, LEFT + LABEL_COL, FRAME_TOP, partyBottom) // 购买方信息 |
  vline(pdf, MID, FRAME_TOP, partyBottom) // buyer | seller
  vline(pdf, MID + LABEL_COL, FRAME_TOP, partyBottom) // 销售方信息 |
  vline(pdf, LEFT + CAPITAL_LABEL_W, totalBottom, capitalBottom) // 价税合计（大写）|
  vline(pdf, LEFT + LABEL_COL, capitalBottom, frameBottom) // 备注 |
  pdf.stroke().restore()

  // --- buyer and seller ----------------------------------------------------------------------
  const party = (label: string, x: number, p: { name: string; taxId: string | null }) => {
    vertical(pdf, label, x + LABEL_COL / 2, FRAME_TOP, PARTY_H, 3.8)
    const fx = x + LABEL_COL + 2.5
    const fw = MID - LEFT - LABEL_COL - 4.5
    field(pdf, '名称：', p.name, fx, FRAME_TOP + 7.5, fw)
    field(pdf, '统一社会信用代码/纳税人识别号：', p.taxId ?? '', fx, FRAME_TOP + 16, fw)
  }
  party('购买方信息', LEFT, doc.buyer)
  party('销售方信息', MID, doc.seller)

  // --- items ---------------------------------------------------------------------------------
  const cellX = (c: Col) => (c.align === 'left' ? c.from + PAD : c.align === 'right' ? c.to - PAD : (c.from + c.to) / 2)
  for (const c of Object.values(COLS)) {
    line(pdf, c.title, (c.from + c.to) / 2, partyBottom + HEAD_H / 2 + 0.3, { size: LABEL_SIZE, color: BROWN, align: 'center' })
  }
  let y = headBottom + 0.5
  for (const it of l.items) {
    const mid = y + 2.5
    for (const [key, c] of Object.entries(COLS) as [keyof typeof COLS, Col][]) {
      const text = it.cells[key]
      if (!text) continue
      if (key === 'name' || key === 'spec') {
        pdf.fontSize(ITEM_SIZE).fillColor(INK)
        richText(pdf, text, mm(c.from + PAD), mm(mid) - ITEM_SIZE * 0.78, { width: colWidth(c), lineGap: 0 })
      } else {
        line(pdf, text, cellX(c), mid, { size: ITEM_SIZE, align: c.align })
      }
    }
    y += it.h
  }

  const totalMid = itemsBottom + TOTAL_H / 2
  line(pdf, '合　　计', (COLS.name.from + COLS.name.to) / 2, totalMid, { size: LABEL_SIZE, color: BROWN, align: 'center' })
  line(pdf, `¥${yuan(doc.amountFen)}`, cellX(COLS.amount), totalMid, { size: VALUE_SIZE, align: 'right' })
  line(pdf, `¥${yuan(doc.taxFen)}`, cellX(COLS.tax), totalMid, { size: VALUE_SIZE, align: 'right' })

  // --- 价税合计 ------------------------------------------------------------------------------
  const capMid = totalBottom + CAPITAL_H / 2
  line(pdf, '价税合计（大写）', LEFT + CAPITAL_LABEL_W / 2, capMid, { size: LABEL_SIZE, color: BROWN, align: 'center' })
  const ox = LEFT + CAPITAL_LABEL_W + 4
  const ow = line(pdf, '⊗', ox, capMid, { size: 10.5 })
  line(pdf, doc.totalCapital, ox + ow + 1.5, capMid, { size: 10 })
  const sx = 163
  const sw = line(pdf, '（小写）', sx, capMid, { size: LABEL_SIZE, color: BROWN })
  line(pdf, `¥${yuan(doc.totalFen)}`, sx + sw + 1, capMid, { size: 10 })

  // --- 备注 ----------------------------------------------------------------------------------
  vertical(pdf, '备注', LEFT + LABEL_COL / 2, capitalBottom, l.remarksH, 7)
  if (l.remarks) {
    pdf.fontSize(l.remarksSize).fillColor(INK)
    richText(pdf, l.remarks, mm(LEFT + LABEL_COL + PAD), mm(capitalBottom + 2), {
      width: mm(RIGHT - LEFT - LABEL_COL - 2 * PAD - 1),
      lineGap: 1,
    })
  }

  // --- 开票人 --------------------------------------------------------------------------------
  const iw = line(pdf, '开票人：', LEFT + 6, frameBottom + 5, { size: LABEL_SIZE, color: BROWN })
  line(pdf, doc.issuer, LEFT + 6 + iw, frameBottom + 5, { size: VALUE_SIZE })
}

/**
 * The mark of a sandbox invoice (issued by no tax platform): 测试样张 非正式发票 in large, light
 * red letters across the middle of the page, and once more in small print above the frame, so a
 * copy can never pass as an invoice, printed or on screen. Drawn last: it lies over the content.
 */
export const SAMPLE_MARK = '测试样张 非正式发票'

function sampleWatermark(pdf: Doc, pageH: number) {
  pdf.save()
  pdf.fillColor('#c00000').fillOpacity(0.22)
  pdf.fontSize(44)
  const w = pdf.widthOfString(SAMPLE_MARK, { characterSpacing: 6 })
  pdf.rotate(-18, { origin: [mm(PAGE_W / 2), mm(pageH / 2)] })
  pdf.text(SAMPLE_MARK, mm(PAGE_W / 2) - w / 2, mm(pageH / 2) - 22, { lineBreak: false, characterSpacing: 6 })
  pdf.restore()
  pdf.save()
  line(pdf, `${SAMPLE_MARK}（沙箱开具，不得用于报销）`, PAGE_W / 2, 25.5, { size: 8, color: '#c00000', align: 'center' })
  pdf.restore()
}
