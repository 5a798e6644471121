/**
 * Can the invoice print this character? The fonts of the invoice PDF (Noto Sans SC, and HanaMinB
 * for CJK Ext. B to F) are known at build time; types/printable-ranges.ts lists what they cover
 * (generated from the fonts, checked against them by a test). The domain refuses a name with a
 * character outside it before anything is issued, and the mini-program's form says so while
 * the person types: nothing is ever printed as a box. Pure, for both bundles.
 */
import { PRINTABLE_RANGES } from './printable-ranges'

export function isPrintable(cp: number): boolean {
  // binary search over the [from, to] pairs
  let lo = 0
  let hi = PRINTABLE_RANGES.length / 2 - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (cp < PRINTABLE_RANGES[2 * mid]) hi = mid - 1
    else if (cp > PRINTABLE_RANGES[2 * mid + 1]) lo = mid + 1
    else return true
  }
  return false
}

/** The distinct characters of s that no invoice font has, in order of appearance. */
export function unprintableChars(s: string): string[] {
  const out: string[] = []
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    if (!isPrintable(cp) && !out.includes(ch)) out.push(ch)
  }
  return out
}

/** U+2A6A5 for a message: the character may be invisible or a box on the reader's screen too. */
export const codePointLabel = (ch: string): string => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
