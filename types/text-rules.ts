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
