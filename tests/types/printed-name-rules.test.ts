import fs from 'node:fs'
import { firstEmoji, hasDirectionControl, normalizePrinted, printedTextProblem, stripZeroWidth } from '../../types/text-rules'
import { codePointLabel, isPrintable, unprintableChars } from '../../types/printable'
import { PRINTABLE_RANGES } from '../../types/printable-ranges'
import { DEBIAN_FALLBACK_FONT } from '../../scripts/fonts/fallback-font'
import { MAIN_FONT, printableRanges } from '../../scripts/fonts/printable-ranges'

describe('text printed on an invoice (names as registered)', () => {
  it('strips zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM) instead of refusing them', () => {
    expect(stripZeroWidth('武汉\u200b光谷\u200c科技\u200d有限\u2060公司\ufeff')).toBe('武汉光谷科技有限公司')
    expect(normalizePrinted('\ufeff  张三\u200b ')).toBe('张三')
    expect(printedTextProblem(normalizePrinted('张\u200b三'), '姓名')).toBeNull()
  })

  it.each([
    ['LRM', '\u200e'],
    ['RLM', '\u200f'],
    ['LRE', '\u202a'],
    ['RLO', '\u202e'],
    ['LRI', '\u2066'],
    ['PDI', '\u2069'],
    ['ALM', '\u061c'],
  ])('refuses a direction control (%s) and says why', (_name, ch) => {
    const text = `武汉${ch}科技有限公司`
    expect(hasDirectionControl(text)).toBe(true)
    expect(printedTextProblem(text, '单位名称')).toMatch(/^单位名称含有看不见的文字方向控制符/)
  })

  it.each(['😀', '👍🏻', '🇨🇳', '1️⃣', '❤️', '🀄', '☎', '👨‍👩‍👧'])('refuses an emoji (%s) with a clear message', (emoji) => {
    const text = `张三${emoji}`
    expect(firstEmoji(text)).not.toBeNull()
    expect(printedTextProblem(text, '姓名')).toMatch(/^姓名不能含表情符号（.+），请按登记的名称填写$/)
  })

  it('keeps full-width brackets, middle dots, Latin letters and digits of registered names', () => {
    for (const name of ['武汉光谷某某科技有限公司（分公司）', '阿卜杜·热合曼', 'ABC（武汉）贸易有限公司', '武汉123科技有限公司', 'Müller 咨询']) {
      expect([name, printedTextProblem(name, '名称')]).toEqual([name, null])
    }
  })

  it('accepts rare characters the fallback font prints (CJK Ext. B and beyond): 王𪚥', () => {
    expect(printedTextProblem('王𪚥', '姓名')).toBeNull()
    expect(isPrintable(0x2a6a5)).toBe(true) // 𪚥, Ext. B
    expect(isPrintable(0x2b820)).toBe(true) // first of Ext. E
  })

  it('refuses a character no invoice font has, naming it and its code point', () => {
    const ext = String.fromCodePoint(0x30000) // CJK Ext. G: neither Noto Sans SC nor HanaMinB
    expect(unprintableChars(`王${ext}`)).toEqual([ext])
    expect(printedTextProblem(`王${ext}`, '姓名')).toBe(`姓名中的「${ext}」（U+30000）发票字库无法打印，请核对是否为登记证件上的写法；确需使用请联系客服`)
    expect(codePointLabel('A')).toBe('U+0041')
  })

  it('refuses other invisible characters and angle brackets', () => {
    expect(printedTextProblem('张\u0007三', '姓名')).toMatch(/控制字符/)
    expect(printedTextProblem('张<b>三', '姓名')).toMatch(/尖括号/)
  })
})

describe('the printable table is what the invoice fonts cover', () => {
  const pairs = (flat: readonly number[]) => Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]])

  it('is sorted, disjoint pairs', () => {
    expect(PRINTABLE_RANGES.length % 2).toBe(0)
    for (let i = 0; i < PRINTABLE_RANGES.length; i += 2) {
      expect(PRINTABLE_RANGES[i] <= PRINTABLE_RANGES[i + 1]).toBe(true)
      if (i > 0) expect(PRINTABLE_RANGES[i] > PRINTABLE_RANGES[i - 1] + 1).toBe(true)
    }
  })

  // re-derived from the fonts glyph by glyph: the check before issuing and the renderer agree
  const haveFallback = fs.existsSync(process.env.FALLBACK_FONT_SOURCE || DEBIAN_FALLBACK_FONT)
  it('equals the union of Noto Sans SC and HanaMinB (regenerate: npx tsx scripts/fonts/printable-ranges.ts)', () => {
    if (!haveFallback) throw new Error('fonts-hanazono missing: apt-get install fonts-hanazono (scripts/setup.sh)')
    expect(pairs(PRINTABLE_RANGES)).toEqual(printableRanges([MAIN_FONT, process.env.FALLBACK_FONT_SOURCE || DEBIAN_FALLBACK_FONT]))
  })
})
