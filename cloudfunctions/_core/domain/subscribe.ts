import type { TemplateKey } from '../../../types/domain'

/**
 * WeChat subscribe messages (订阅消息): the field rules and the pure builders of our payloads.
 *
 * A template's keys are named by WeChat, not by us: each key is its value type plus its position
 * in the template as shown in the mini-program console (thing1, amount2, character_string3...).
 * WeChat checks each value against the rule of its type and answers 47003 when one breaks it, so
 * every value we send goes through the helper of its type below. The keys of our templates are
 * constants (INVOICE_ISSUED_KEYS, INVOICE_FAILED_KEYS): when the template picked in the console
 * numbers its fields differently, map them there — the types only allow a key of the right type.
 *
 * Rules (WeChat "订阅消息参数值内容限制"):
 *   thing             20 characters or fewer; Chinese, letters, digits, symbols; no control chars
 *   character_string  32 or fewer digits, letters or symbols
 *   phrase            5 or fewer Chinese characters, nothing else
 *   amount            1 currency symbol + 10 or fewer digits, decimals allowed, may end in 元
 *   time              24-hour HH:mm or HH:mm:ss, optionally after a date; a range joined by ~
 *   date              a date (y年m月d日, yyyy-mm-dd, / or .), optionally with a time; ranges by ~
 *   number            32 or fewer digits, decimals allowed
 *   letter            32 or fewer letters;  symbol  5 or fewer symbols
 *   phone_number      17 or fewer digits and symbols;  car_number  8 or fewer (plate)
 *   name              10 or fewer Chinese characters, or 20 or fewer letters/symbols
 * Where a rule is ambiguous we take the stricter reading: "10 digits" for amount counts the
 * decimal point too, and emoji are dropped from thing values.
 */

/** A value that cannot be made to fit its field. A bug or bad data upstream, never user input. */
export class SubscribeFieldError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`subscribe field ${field}: ${rule}`)
    this.name = 'SubscribeFieldError'
  }
}

export const THING_MAX = 20
export const CHARACTER_STRING_MAX = 32
export const PHRASE_MAX = 5
/** digits plus the decimal point after the currency symbol (stricter reading of "10位以内纯数字") */
export const AMOUNT_DIGITS_MAX = 10

const chars = (s: string) => Array.from(s).length

/** C0/C1 control characters, format characters (bidi marks, zero-width...), line/paragraph separators. */
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/gu
/** Emoji and dingbats: not among the "common symbols" a thing may hold. */
const EMOJI = /[\u{1F000}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}]|\p{Variation_Selector}/gu
const HAN = /^\p{Script=Han}+$/u

/** Cleans free text for a thing field: no control characters or emoji, one space between words. */
function clean(s: string): string {
  return s
    .replace(/[\t\r\n\v\f\u2028\u2029]+/g, ' ')
    .replace(CONTROL, '')
    .replace(EMOJI, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * thing: at most 20 characters (code points, not bytes or UTF-16 units). Longer text keeps
 * its first 19 characters and ends with "…". Empty text takes the fallback, or throws.
 */
export function thing(s: string, fallback?: string): string {
  let v = clean(String(s ?? ''))
  if (!v && fallback !== undefined) v = clean(fallback)
  if (!v) throw new SubscribeFieldError('thing', 'empty')
  const cs = Array.from(v)
  return cs.length <= THING_MAX
    ? v
    : cs
        .slice(0, THING_MAX - 1)
        .join('')
        .trimEnd() + '…'
}

/**
 * character_string: at most 32 ASCII letters, digits and symbols. Whitespace is dropped; an
 * identifier is never truncated (a cut invoice number is a wrong one), so anything else throws.
 */
export function characterString(s: string): string {
  const v = String(s ?? '').replace(/\s+/g, '')
  if (!v) throw new SubscribeFieldError('character_string', 'empty')
  if (v.length > CHARACTER_STRING_MAX) throw new SubscribeFieldError('character_string', `longer than ${CHARACTER_STRING_MAX}`)
  if (!/^[\x21-\x7e]+$/.test(v)) throw new SubscribeFieldError('character_string', 'only letters, digits and ASCII symbols')
  return v
}

/** phrase: one to five Chinese characters and nothing else (配送中, 重试中). */
export function phrase(s: string): string {
  const v = String(s ?? '').trim()
  if (!HAN.test(v)) throw new SubscribeFieldError('phrase', 'Chinese characters only')
  if (chars(v) > PHRASE_MAX) throw new SubscribeFieldError('phrase', `more than ${PHRASE_MAX} characters`)
  return v
}

/** amount: integer fen as "¥50.00". Throws rather than round or cut a sum of money. */
export function amount(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new SubscribeFieldError('amount', 'fen must be a non-negative integer')
  const digits = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
  if (digits.length > AMOUNT_DIGITS_MAX) throw new SubscribeFieldError('amount', `more than ${AMOUNT_DIGITS_MAX} digits`)
  return `¥${digits}`
}

/** time: "2026-11-28 12:30" in UTC+8 (China has no daylight saving time). */
export function time(at: string | Date): string {
  const ms = at instanceof Date ? at.getTime() : Date.parse(at)
  if (!Number.isFinite(ms)) throw new SubscribeFieldError('time', 'not a date')
  const t = new Date(ms + 8 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}`
}

/** "zhangsan@qq.com" -> "zh***@qq.com": enough to recognise one's own address, no more (PIPL). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at < 1) return '***'
  const local = email.slice(0, at)
  return `${local.slice(0, local.length > 2 ? 2 : 1)}***${email.slice(at)}`
}

// ---------------------------------------------------------------------------------------
// Validation, as WeChat does it (used by the local sandbox and by tests of the builders)

type Rule = (v: string) => string | null

const CLOCK = '(?:[01]?\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?'
const DAY =
  '(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{4}年\\d{1,2}月\\d{1,2}日|\\d{4}年\\d{1,2}月|\\d{1,2}月\\d{1,2}日|\\d{4}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2})'
const range = (point: string) => new RegExp(`^${point}(?:\\s*~\\s*${point})?$`)
const TIME_VALUE = range(`(?:${DAY}\\s*)?${CLOCK}`)
const DATE_VALUE = range(`${DAY}(?:\\s*${CLOCK})?`)
const HAS_CONTROL = /[\p{Cc}\u2028\u2029]/u

const RULES: Record<string, Rule> = {
  thing: (v) => (chars(v) > THING_MAX ? `more than ${THING_MAX} characters` : HAS_CONTROL.test(v) ? 'control characters' : null),
  character_string: (v) =>
    v.length > CHARACTER_STRING_MAX ? `more than ${CHARACTER_STRING_MAX} characters` : /^[\x21-\x7e]+$/.test(v) ? null : 'only letters, digits and symbols',
  phrase: (v) => (!HAN.test(v) ? 'Chinese characters only' : chars(v) > PHRASE_MAX ? `more than ${PHRASE_MAX} characters` : null),
  amount: (v) => {
    const m = /^[¥￥$€£]((\d+)(\.\d+)?)元?$/.exec(v)
    if (!m) return 'a currency symbol and digits'
    return m[1].length > AMOUNT_DIGITS_MAX ? `more than ${AMOUNT_DIGITS_MAX} digits` : null
  },
  time: (v) => (TIME_VALUE.test(v) ? null : 'not a 24-hour time'),
  date: (v) => (DATE_VALUE.test(v) ? null : 'not a date'),
  number: (v) => (v.length > 32 ? 'more than 32 characters' : /^[+-]?\d+(?:\.\d+)?$/.test(v) ? null : 'digits only'),
  letter: (v) => (/^[A-Za-z]{1,32}$/.test(v) ? null : 'at most 32 letters'),
  symbol: (v) => (chars(v) <= 5 && /^[^\p{L}\p{N}\p{Cc}\s]+$/u.test(v) ? null : 'at most 5 symbols'),
  phone_number: (v) => (chars(v) <= 17 && /^[^\p{L}\p{Cc}]+$/u.test(v) && /\d/.test(v) ? null : 'at most 17 digits and symbols'),
  car_number: (v) => (chars(v) <= 8 && /^[\p{Script=Han}A-Za-z0-9][A-Za-z0-9]*[\p{Script=Han}A-Za-z0-9]?$/u.test(v) ? null : 'not a plate number'),
  name: (v) => {
    if (HAS_CONTROL.test(v) || /\d/.test(v)) return 'letters or Chinese characters'
    return chars(v) > (/\p{Script=Han}/u.test(v) ? 10 : 20) ? 'too long' : null
  },
  // enum values are listed per template by WeChat; the sandbox cannot know them
  enum: () => null,
}

const KEY = /^(character_string|phone_number|car_number|thing|number|letter|symbol|amount|phrase|time|date|name|enum)(\d+)$/

export type SubscribeCheck = { ok: true } | { ok: false; key: string; rule: string }

/** Checks a payload the way subscribeMessage.send does; the first broken field is reported. */
export function checkSubscribeData(data: unknown): SubscribeCheck {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { ok: false, key: '', rule: 'data must be an object' }
  const entries = Object.entries(data as Record<string, unknown>)
  if (entries.length === 0) return { ok: false, key: '', rule: 'no fields' }
  for (const [key, field] of entries) {
    const m = KEY.exec(key)
    if (!m) return { ok: false, key, rule: 'unknown field type' }
    const value = (field as { value?: unknown } | null)?.value
    if (typeof value !== 'string') return { ok: false, key, rule: 'value must be a string' }
    if (value.trim() === '') return { ok: false, key, rule: 'empty' }
    const broken = RULES[m[1]](value)
    if (broken) return { ok: false, key, rule: broken }
  }
  return { ok: true }
}

// ---------------------------------------------------------------------------------------
// Our templates

type ThingKey = `thing${number}`
type AmountKey = `amount${number}`
type CharacterStringKey = `character_string${number}`
type PhraseKey = `phrase${number}`
type TimeKey = `time${number}`

/** What each field of 发票开具成功通知 means -> the key the console gave it. */
export interface InvoiceIssuedKeys {
  title: ThingKey
  amount: AmountKey
  invoiceNo: CharacterStringKey
  issuedAt: TimeKey
  hint: ThingKey
}

/** What each field of 发票开具失败通知 means -> the key the console gave it. */
export interface InvoiceFailedKeys {
  title: ThingKey
  amount: AmountKey
  status: PhraseKey
  requestedAt: TimeKey
  reason: ThingKey
}

/** 发票开具成功通知: 发票抬头 / 开票金额 / 发票号码 / 开票时间 / 温馨提示. */
export const INVOICE_ISSUED_KEYS: InvoiceIssuedKeys = {
  title: 'thing1',
  amount: 'amount2',
  invoiceNo: 'character_string3',
  issuedAt: 'time4',
  hint: 'thing5',
}

/** 发票开具失败通知: 发票抬头 / 开票金额 / 处理状态 / 申请时间 / 失败原因. */
export const INVOICE_FAILED_KEYS: InvoiceFailedKeys = {
  title: 'thing1',
  amount: 'amount2',
  status: 'phrase3',
  requestedAt: 'time4',
  reason: 'thing5',
}

/** Every template key, in one place (a new TemplateKey fails to compile until listed here). */
const TEMPLATE_ENV: Record<TemplateKey, string> = {
  invoiceIssued: 'SUBSCRIBE_TEMPLATE_INVOICE_ISSUED',
  invoiceFailed: 'SUBSCRIBE_TEMPLATE_INVOICE_FAILED',
  afterSalesUpdate: 'SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE',
  invoiceReminder: 'SUBSCRIBE_TEMPLATE_INVOICE_REMINDER',
}
export const TEMPLATE_KEYS = Object.keys(TEMPLATE_ENV) as TemplateKey[]
export const TEMPLATE_ENV_KEYS: Readonly<Record<TemplateKey, string>> = TEMPLATE_ENV

export const isTemplateKey = (k: unknown): k is TemplateKey => typeof k === 'string' && Object.prototype.hasOwnProperty.call(TEMPLATE_ENV, k)

/** Template ids from the environment; '' where a key is not configured (the wiring decides). */
export function templateIdsFromEnv(env: Record<string, string | undefined>): Record<TemplateKey, string> {
  const ids = {} as Record<TemplateKey, string>
  for (const key of TEMPLATE_KEYS) ids[key] = (env[TEMPLATE_ENV[key]] ?? '').trim()
  return ids
}

type SubscribeData = Record<string, { value: string }>

export interface InvoiceIssuedInput {
  title: { name: string }
  amountFen: number
  invoiceNo: string | null
  issuedAt: string | null
  email: string | null
  /** whether the invoice was e-mailed; defaults to "an e-mail address is set" */
  emailed?: boolean
}

export interface InvoiceFailedInput {
  title: { name: string }
  amountFen: number
  requestedAt: string
  /** shown to the person: plain Chinese, no codes or personal data */
  reason: string | null
  /** 重试中 while retries are scheduled; another phrase (e.g. 开票失败) when they gave up */
  status?: string
}

const ISSUED_HINT_NO_EMAIL = '可在小程序中查看和下载'
const ISSUED_HINT_EMAIL = '已发送至您的邮箱'
const FAILED_REASON = '开票服务暂时繁忙'

function issuedHint(inv: InvoiceIssuedInput): string {
  const emailed = inv.emailed ?? (inv.email !== null && inv.email !== undefined)
  if (!emailed || !inv.email) return ISSUED_HINT_NO_EMAIL
  const hint = `已发送至${maskEmail(inv.email)}`
  // a truncated address helps nobody: fall back to the general wording
  return chars(clean(hint)) <= THING_MAX ? hint : ISSUED_HINT_EMAIL
}

/** The payload of 发票开具成功通知. Throws SubscribeFieldError when the invoice is not issued yet. */
export function invoiceIssuedMessage(inv: InvoiceIssuedInput, keys: InvoiceIssuedKeys = INVOICE_ISSUED_KEYS): SubscribeData {
  if (!inv.invoiceNo) throw new SubscribeFieldError(keys.invoiceNo, 'invoice has no number yet')
  if (!inv.issuedAt) throw new SubscribeFieldError(keys.issuedAt, 'invoice has no issue time yet')
  return {
    [keys.title]: { value: thing(inv.title.name) },
    [keys.amount]: { value: amount(inv.amountFen) },
    [keys.invoiceNo]: { value: characterString(inv.invoiceNo) },
    [keys.issuedAt]: { value: time(inv.issuedAt) },
    [keys.hint]: { value: thing(issuedHint(inv)) },
  }
}

/** The payload of 发票开具失败通知. */
export function invoiceFailedMessage(inv: InvoiceFailedInput, keys: InvoiceFailedKeys = INVOICE_FAILED_KEYS): SubscribeData {
  return {
    [keys.title]: { value: thing(inv.title.name) },
    [keys.amount]: { value: amount(inv.amountFen) },
    [keys.status]: { value: phrase(inv.status ?? '重试中') },
    [keys.requestedAt]: { value: time(inv.requestedAt) },
    [keys.reason]: { value: thing(inv.reason ?? '', FAILED_REASON) },
  }
}

/** What each field of 售后进度通知 means -> the key the console gave it. */
export interface AfterSalesUpdateKeys {
  /** 业务类型: 补开申请 / 纸质发票邮寄 / 问题反馈 / 发票换开 */
  kind: ThingKey
  /** 处理状态: at most 5 Chinese characters */
  status: PhraseKey
  updatedAt: TimeKey
  /** 备注: what happened, for people */
  text: ThingKey
}

/** 售后进度通知: 业务类型 / 处理状态 / 更新时间 / 备注. */
export const AFTER_SALES_UPDATE_KEYS: AfterSalesUpdateKeys = {
  kind: 'thing1',
  status: 'phrase2',
  updatedAt: 'time3',
  text: 'thing4',
}

export interface AfterSalesUpdateInput {
  kindLabel: string
  /** <= 5 汉字 (已通过, 已寄出, 已回复...) */
  statusLabel: string
  at: string
  text: string
}

/** The payload of 售后进度通知. Throws SubscribeFieldError when the status is not a phrase. */
export function afterSalesUpdateMessage(u: AfterSalesUpdateInput, keys: AfterSalesUpdateKeys = AFTER_SALES_UPDATE_KEYS): SubscribeData {
  return {
    [keys.kind]: { value: thing(u.kindLabel) },
    [keys.status]: { value: phrase(u.statusLabel) },
    [keys.updatedAt]: { value: time(u.at) },
    [keys.text]: { value: thing(u.text, '请在小程序中查看详情') },
  }
}

/**
 * What wx.requestSubscribeMessage answers per template. Every accept* value is consent (the
 * person also chose how to be alerted: banner, sound, forced push); reject, ban and filter
 * (and anything unknown) are not.
 */
export const CONSENT_ANSWERS: readonly string[] = ['accept', 'acceptWithAlert', 'acceptWithAudio', 'acceptWithForcePush']
export const isConsent = (answer: unknown): boolean => typeof answer === 'string' && CONSENT_ANSWERS.includes(answer)

/** What each field of 开票提醒 (the reminders timer's message) means -> the key the console gave it. */
export interface InvoiceReminderKeys {
  /** 提醒内容: "3 笔充值还未开发票" */
  what: ThingKey
  /** 金额: their total */
  amount: AmountKey
  /** 截止时间: the soonest end of a request window */
  deadline: TimeKey
  /** 温馨提示 */
  hint: ThingKey
}

/** 开票提醒: 提醒内容 / 金额 / 截止时间 / 温馨提示. */
export const INVOICE_REMINDER_KEYS: InvoiceReminderKeys = {
  what: 'thing1',
  amount: 'amount2',
  deadline: 'time3',
  hint: 'thing4',
}

export interface InvoiceReminderInput {
  count: number
  amountFen: number
  /** ISO: the soonest end of a request window among them */
  deadline: string
}

/** The payload of 开票提醒 (count, total, deadline; no personal data). */
export function invoiceReminderMessage(r: InvoiceReminderInput, keys: InvoiceReminderKeys = INVOICE_REMINDER_KEYS): SubscribeData {
  return {
    [keys.what]: { value: thing(`${r.count} 笔充值还未开发票`) },
    [keys.amount]: { value: amount(r.amountFen) },
    [keys.deadline]: { value: time(r.deadline) },
    [keys.hint]: { value: thing('过期后只能申请补开，请尽早开票') },
  }
}
