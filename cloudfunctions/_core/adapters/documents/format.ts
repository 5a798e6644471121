/** Formatting shared by the PDF and the XML renderers. Money is integer fen. */

/** 5000 -> "50.00", -12345 -> "-123.45", 123456789 -> "1234567.89" (no grouping, like the 数电票). */
export function yuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new Error(`amount must be an integer number of fen, got ${fen}`)
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

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

/** Quantities as printed: 1 -> "1", 2.5 -> "2.5" (no float noise). */
export function quantity(q: number): string {
  return Number.isInteger(q) ? String(q) : String(Number(q.toFixed(8)))
}
