import { codePointLabel, unprintableChars } from './printable'

/**
 * What may appear in text people type (names, addresses, notes, messages) and in text we put
 * into one-line places (mail headers, subjects). One home for the rule, imported by the cloud
 * functions' domain and by the mini-program's forms. Pure; works on code points (no regular
 * expressions over control characters).
 *
 * Invisible: C0 controls (tab, line feed and carriage return allowed only in multi-line text),
 * DEL and C1 controls, zero-width characters, bidirectional controls, word joiners and the BOM.
 * They are never part of a name as registered (DOMAIN.md) and can hide what a text says.
 */
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x2069],
  [0xfeff, 0xfeff],
]
const MULTILINE_ALLOWED = new Set([0x09, 0x0a, 0x0d])

const codePoints = (s: string): number[] => Array.from(s, (ch) => ch.codePointAt(0) ?? 0)

export function isInvisible(cp: number, multiline = false): boolean {
  if (multiline && MULTILINE_ALLOWED.has(cp)) return false
  return INVISIBLE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi)
}

/** true when the text holds an invisible character; `multiline` allows tab and line breaks */
export function hasInvisible(s: string, opts: { multiline?: boolean } = {}): boolean {
  return codePoints(s).some((cp) => isInvisible(cp, opts.multiline))
}

/** C0 controls and DEL (U+0000-U+001F, U+007F): what a single-line field never holds */
export function hasControl(s: string): boolean {
  return codePoints(s).some((cp) => cp <= 0x1f || cp === 0x7f)
}

/** Single-line text that is also safe in markup-free places: no controls, no angle brackets. */
export function isPlainLine(s: string): boolean {
  return !hasControl(s) && !s.includes('<') && !s.includes('>')
}

/**
 * One line for a mail subject or header: every run of controls, DEL and the Unicode line and
 * paragraph separators becomes one space; trimmed.
 */
export function oneLine(s: string): string {
  let out = ''
  let gap = false
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    if (cp <= 0x1f || cp === 0x7f || cp === 0x2028 || cp === 0x2029) {
      gap = true
      continue
    }
    if (gap && out) out += ' '
    gap = false
    out += ch
  }
  return out.trim()
}

/**
 * Text as XML 1.0 allows it: drops the controls other than tab, line feed and carriage return,
 * U+FFFE/U+FFFF and lone surrogates (which no XML parser accepts).
 */
export function xmlSafe(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i] + s[i + 1]
        i++
      }
      continue
    }
    if (c >= 0xdc00 && c <= 0xdfff) continue
    if ((c <= 0x1f && !MULTILINE_ALLOWED.has(c)) || c === 0xfffe || c === 0xffff) continue
    out += s[i]
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Text printed on an invoice (names, and the buyer's address, phone and bank in the remarks)

/**
 * Zero-width characters (ZWSP U+200B, ZWNJ U+200C, ZWJ U+200D, word joiner U+2060, BOM U+FEFF)
 * come along when a name is copied from a web page, a chat or a PDF. They are never part of a
 * name as registered (DOMAIN.md) and print as nothing, so they are removed, not refused.
 */
const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff])

export function stripZeroWidth(s: string): string {
  let out = ''
  for (const ch of s) if (!ZERO_WIDTH.has(ch.codePointAt(0) ?? 0)) out += ch
  return out
}

/**
 * Direction controls (LRM/RLM U+200E/U+200F, embeddings and overrides U+202A-U+202E, isolates
 * U+2066-U+2069, the Arabic letter mark U+061C) reorder what is displayed without changing what
 * is stored: the XML would say one name and a screen another. Refused, with a message saying why.
 */
export function isDirectionControl(cp: number): boolean {
  return cp === 0x200e || cp === 0x200f || cp === 0x061c || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
}

export function hasDirectionControl(s: string): boolean {
  return Array.from(s).some((ch) => isDirectionControl(ch.codePointAt(0) ?? 0))
}

/**
 * Emoji: pictographs (Unicode Extended_Pictographic, less ©, ® and ™ which are ordinary
 * symbols), regional-indicator flags, skin-tone modifiers, the keycap mark, tag characters and
 * the emoji presentation selector. Returns the first one, or null.
 */
const EMOJI_SYMBOLS_ALLOWED = new Set([0xa9, 0xae, 0x2122])
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u
export function firstEmoji(s: string): string | null {
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    if (EMOJI_SYMBOLS_ALLOWED.has(cp)) continue
    if (
      PICTOGRAPHIC.test(ch) ||
      (cp >= 0x1f1e6 && cp <= 0x1f1ff) ||
      (cp >= 0x1f3fb && cp <= 0x1f3ff) ||
      cp === 0x20e3 ||
      cp === 0xfe0f ||
      (cp >= 0xe0020 && cp <= 0xe007f)
    ) {
      return ch
    }
  }
  return null
}

/** What is kept of a printed field: zero-width characters removed, then trimmed. */
export const normalizePrinted = (s: string): string => stripZeroWidth(s).trim()

/**
 * Why a (normalized) text cannot be printed on an invoice as it is, in words for the person, or
 * null when it can. `label` names the field (名称, 地址...). Checked in this order: direction
 * controls, emoji (before the invisible ones: a ZWJ inside an emoji is the emoji's), other
 * invisible or control characters, angle brackets, then every character
 * against the invoice fonts. Full-width （） are ordinary characters and stay as typed.
 */
export function printedTextProblem(s: string, label: string): string | null {
  if (hasDirectionControl(s)) return `${label}含有看不见的文字方向控制符（常见于从网页或聊天中复制），会让显示的顺序与发票上的不同，请删除后重新输入`
  const emoji = firstEmoji(s)
  if (emoji) return `${label}不能含表情符号（${emoji}），请按登记的名称填写`
  if (hasInvisible(s)) return `${label}含有看不见的控制字符，请删除后重新输入`
  if (s.includes('<') || s.includes('>')) return `${label}不能含尖括号 < >`
  const missing = unprintableChars(s)
  if (missing.length > 0) {
    const list = missing
      .slice(0, 3)
      .map((ch) => `「${ch}」（${codePointLabel(ch)}）`)
      .join('、')
    return `${label}中的${list}发票字库无法打印，请核对是否为登记证件上的写法；确需使用请联系客服`
  }
  return null
}
