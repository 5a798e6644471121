/**
 * Rules of after-sales input that the mini-program and the cloud functions both decide, in one
 * pure module (no imports beyond types) so the form's inline messages and the server's checks
 * can never disagree. The server has the last word; these functions are its rules, not a copy.
 */
import type { PaperAddress } from './aftersales'
import { hasInvisible } from './text-rules'

/** Longest accepted text per paper-address field (characters, not bytes). */
export const PAPER_ADDRESS_MAX: Record<Exclude<keyof PaperAddress, 'postalCode'>, number> = {
  recipient: 30,
  phone: 20,
  province: 20,
  city: 30,
  district: 30,
  detail: 120,
}

/** Mainland mobile: 11 digits starting 13-19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/
/** Landline with area code, optional extension: 027-85551234, 02785551234, 027-85551234-123. */
export const LANDLINE_PATTERN = /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/
export const POSTAL_CODE_PATTERN = /^\d{6}$/

/** Spaces out (people type "138 1234 5678"); dashes stay for landlines. */
export function normalizePhone(raw: string): string {
  return raw.replace(/\s/g, '')
}

export function isValidPhone(raw: string): boolean {
  const s = normalizePhone(raw)
  return MOBILE_PATTERN.test(s) || LANDLINE_PATTERN.test(s)
}

/** "13812345678" -> "138****5678"; landlines keep the area code and the last 4. */
export function maskPhone(raw: string | null | undefined): string {
  if (!raw) return ''
  const s = normalizePhone(raw)
  if (MOBILE_PATTERN.test(s)) return `${s.slice(0, 3)}****${s.slice(-4)}`
  if (s.length <= 4) return '****'
  const dash = s.indexOf('-')
  const head = dash > 0 && dash <= 4 ? s.slice(0, dash + 1) : s.slice(0, 3)
  return `${head}****${s.slice(-4)}`
}

export type PaperAddressErrors = Partial<Record<keyof PaperAddress, string>>

/**
 * Every problem of a paper-copy address, keyed by field, in plain Chinese that says what to do.
 * An empty object means the address is acceptable.
 */
export function validatePaperAddress(a: PaperAddress): PaperAddressErrors {
  const errors: PaperAddressErrors = {}
  const text = (key: keyof typeof PAPER_ADDRESS_MAX, label: string, value: string | null | undefined) => {
    const s = (value ?? '').trim()
    if (s === '') errors[key] = `请填写${label}`
    else if (hasInvisible(s)) errors[key] = `${label}含有无法识别的字符，请重新输入`
    else if (Array.from(s).length > PAPER_ADDRESS_MAX[key]) errors[key] = `${label}最多 ${PAPER_ADDRESS_MAX[key]} 个字`
  }
  text('recipient', '收件人', a.recipient)
  text('province', '省份', a.province)
  text('city', '城市', a.city)
  text('district', '区县', a.district)
  text('detail', '详细地址', a.detail)
  const phone = normalizePhone(a.phone ?? '')
  if (phone === '') errors.phone = '请填写联系电话'
  else if (!isValidPhone(phone)) errors.phone = '电话格式不正确：请填写 11 位手机号，或带区号的座机号（如 027-85551234）'
  const postal = (a.postalCode ?? '').trim()
  if (postal !== '' && !POSTAL_CODE_PATTERN.test(postal)) errors.postalCode = '邮编应为 6 位数字，不清楚可不填'
  return errors
}

/** The address as it is stored: trimmed, phone without spaces, empty postal code as null. */
export function normalizePaperAddress(a: PaperAddress): PaperAddress {
  const postal = (a.postalCode ?? '').trim()
  return {
    recipient: a.recipient.trim(),
    phone: normalizePhone(a.phone),
    province: a.province.trim(),
    city: a.city.trim(),
    district: a.district.trim(),
    detail: a.detail.trim(),
    postalCode: postal === '' ? null : postal,
  }
}

/** What an invoice prints about its buyer (a TitleSnapshot's fields). */
export const PRINTED_TITLE_FIELDS = ['kind', 'name', 'taxId', 'address', 'phone', 'bankName', 'bankAccount'] as const

type PrintedTitle = { [K in (typeof PRINTED_TITLE_FIELDS)[number]]: string | null }

/**
 * 换开 must change what is printed about the buyer: a title printing the same (kind, name, tax ID,
 * address, phone, bank) is no correction, so the person is offered a re-send instead
 * (CORRECTION.SAME_TITLE on the server).
 */
export function isSamePrintedTitle(a: PrintedTitle, b: PrintedTitle): boolean {
  const norm = (s: string | null) => (s ?? '').trim()
  return PRINTED_TITLE_FIELDS.every((k) => norm(a[k]) === norm(b[k]))
}

// ---- applications (补开) and tickets: the limits the forms check inline (helper 5's additions) ----

/** an application's note, in characters (the cloud's domain/application.ts NOTE_MAX) */
export const APPLICATION_NOTE_MAX = 200
/** a ticket message, in characters (the cloud's domain/ticket.ts TICKET_TEXT_MAX) */
export const TICKET_TEXT_MAX = 500
/** off-platform top-ups in one application */
export const OFF_PLATFORM_MAX = 10
/** the default of config.afterSales.maxPhotos (the cloud's configuration has the last word) */
export const PHOTOS_MAX_DEFAULT = 3

/** Characters as people count them (an emoji or a CJK character is one). */
export function textLength(text: string): number {
  return Array.from(text).length
}

/** null when the contact phone is fine, else what is wrong and what to do. */
export function contactPhoneProblem(raw: string): string | null {
  const s = normalizePhone(raw)
  if (s === '') return '请填写联系电话，方便客服联系你'
  if (!isValidPhone(s)) return '联系电话格式不正确：请填写 11 位手机号，或带区号的座机号（如 027-85551234）'
  return null
}
