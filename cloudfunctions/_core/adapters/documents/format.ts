/** Formatting shared by the PDF and the XML renderers. Money is integer fen. */

// amounts and quantities as printed: one home with the line model the detail page shows too
export { quantity, yuan } from '../../../../types/invoice-lines'

/** The calendar date of an instant in China (UTC+8, no daylight saving). */
export function chinaDate(iso: string): { y: string; m: string; d: string; time: string } {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) throw new Error(`issuedAt is not a date: ${iso}`)
  const s = new Date(t + 8 * 3600_000).toISOString() // 2026-11-28T12:00:00.000Z, shifted
  return { y: s.slice(0, 4), m: s.slice(5, 7), d: s.slice(8, 10), time: s.slice(11, 19) }
}

/** 开票日期 as printed: 2026年11月28日. */
export function chineseDate(iso: string): string {
  const { y, m, d } = chinaDate(iso)
  return `${y}年${m}月${d}日`
}
