/** Display formatting only: amounts stay integer fen everywhere else. */
import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)

/** Asia/Shanghai has no DST, so a fixed +08:00 offset is exact and needs no tz database. */
const SHANGHAI_OFFSET_MINUTES = 480

/** 10000 -> "¥100.00" */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(Math.trunc(fen))
  const yuan = Math.floor(abs / 100)
  const cents = String(abs % 100).padStart(2, '0')
  return `${sign}¥${yuan}.${cents}`
}

/** ISO 8601 (UTC) -> "2026-11-28 12:30" in Asia/Shanghai; "" for null. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = dayjs.utc(iso)
  return d.isValid() ? d.utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYY-MM-DD HH:mm') : ''
}

/** "3104123456781234" -> "3104 **** **** 1234" */
export function maskCardNo(cardNo: string): string {
  const digits = cardNo.replace(/\D/g, '')
  if (digits.length < 8) return digits
  return `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`
}

/** "3104123456781234" -> "3104 1234 5678 1234" */
export function groupCardNo(cardNo: string): string {
  return cardNo.replace(/\D/g, '').replace(/(\d{4})(?=\d)/g, '$1 ')
}

/**
 * Parses a yuan amount typed by the user ("88", "88.5", "88.50") into fen.
 * Returns null when it is not a plain amount with at most two decimals.
 */
export function parseYuanToFen(text: string): number | null {
  const [yuan, decimals = '', ...rest] = text.trim().split('.')
  if (rest.length > 0 || !/^\d{1,7}$/.test(yuan) || !/^\d{0,2}$/.test(decimals)) return null
  return Number(yuan) * 100 + Number(decimals.padEnd(2, '0'))
}

/** For lists: "91440300MA5XXXX36T" -> "9144**********136T" (first 4, last 4); short IDs become "****". */
export function maskTaxId(taxId: string | null | undefined): string {
  if (!taxId) return ''
  if (taxId.length <= 8) return '****'
  return `${taxId.slice(0, 4)}${'*'.repeat(taxId.length - 8)}${taxId.slice(-4)}`
}

/** "zhang.san@example.com" -> "zh***@example.com" */
export function maskEmail(email: string | null | undefined): string {
  if (!email) return ''
  const at = email.lastIndexOf('@')
  if (at <= 0) return '***'
  const local = email.slice(0, at)
  const keep = Array.from(local)
    .slice(0, local.length > 2 ? 2 : 1)
    .join('')
  return `${keep}***${email.slice(at)}`
}

/** ISO 8601 (UTC) -> "12:30" in Asia/Shanghai; "" for null. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = dayjs.utc(iso)
  return d.isValid() ? d.utcOffset(SHANGHAI_OFFSET_MINUTES).format('HH:mm') : ''
}

/** "YYYY-MM" of a moment in Asia/Shanghai (the month filter of the invoice list). */
export function monthOf(date: Date): string {
  return dayjs.utc(date).utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYY-MM')
}

/** The last `count` months, newest first: ["2026-11", "2026-10", ...]. */
export function recentMonths(count: number, now: Date = new Date()): string[] {
  const base = dayjs.utc(now).utcOffset(SHANGHAI_OFFSET_MINUTES).startOf('month')
  return Array.from({ length: count }, (_, i) => base.subtract(i, 'month').format('YYYY-MM'))
}

// 人民币大写 has one home, shared with the cloud functions (types/capitals.ts): no copy here.
export { amountInCapitals, totalInCapitals } from '@shared/capitals'
