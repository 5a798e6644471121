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
  const s = text.trim()
  const m = /^(\d{1,7})(?:\.(\d{0,2}))?$/.exec(s)
  if (!m) return null
  const cents = (m[2] ?? '').padEnd(2, '0')
  return Number(m[1]) * 100 + Number(cents)
}
