import type { InvoiceCaps, InvoiceDocument, InvoiceStatus, TitleInput, TitleKind, TitleSnapshot } from '../../../types/domain'
import { totalInCapitals } from './capitals'
import { DomainError } from './errors'
import { checkTaxId } from './tax-id'
import { normalizePrinted, printedTextProblem } from '../../../types/text-rules'
import { isEmail, mergeCapProblem } from '../../../types/invoice-rules'

/** One transition table for invoice status (apart from payment status, convention 6). */
const TRANSITIONS: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  requested: ['issuing', 'failed'],
  issuing: ['issued', 'failed'],
  failed: ['issuing'],
  issued: [],
}

export function canTransition(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

export const fromStatesOf = (to: InvoiceStatus): InvoiceStatus[] => (Object.keys(TRANSITIONS) as InvoiceStatus[]).filter((s) => canTransition(s, to))

/** Retry backoff after a failed issue: 1, 2, 5, 10, 30 minutes, then hourly. */
const BACKOFF_MINUTES = [1, 2, 5, 10, 30, 60]
export function nextRetryAt(now: Date, attempts: number): Date {
  const minutes = BACKOFF_MINUTES[Math.min(Math.max(attempts, 1), BACKOFF_MINUTES.length) - 1]
  return new Date(now.getTime() + minutes * 60_000)
}

/**
 * 数电票 number: 2 digits of the year + 2 of the province (Hubei 42) + 1 issuing channel +
 * a 15-digit sequence. 20 digits, no separate invoice code.
 */
export function formatInvoiceNo(year: number, province: string, channel: string, sequence: number): string {
  if (!/^\d{2}$/.test(province) || !/^\d$/.test(channel)) throw new Error('province is 2 digits, channel 1 digit')
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence >= 10 ** 15) throw new Error('sequence out of range')
  return `${String(year % 100).padStart(2, '0')}${province}${channel}${String(sequence).padStart(15, '0')}`
}

export const INVOICE_NO_PATTERN = /^\d{20}$/

export interface OrderForInvoice {
  id: string
  openid: string
  status: string
  amountFen: number
  paidAt: string | null
  invoiceId: string | null
  cardNo: string
  cardNickname: string
}

const DAY_MS = 86400_000

/**
 * The request window, in one place: a paid top-up may be invoiced until paidAt + windowDays
 * (DOMAIN.md: issuers set the window; configuration INVOICE_WINDOW_DAYS).
 */
export function requestWindowEndsAt(paidAt: string, windowDays: number): Date {
  return new Date(Date.parse(paidAt) + windowDays * DAY_MS)
}

/** Whether a top-up paid at `paidAt` may still be invoiced at `now`. */
export function inRequestWindow(paidAt: string, windowDays: number, now: Date): boolean {
  return now.getTime() <= requestWindowEndsAt(paidAt, windowDays).getTime()
}

/** Whole days left until the window closes (rounded up: "3 天后过期" while any of day 3 remains); 0 once closed. */
export function requestWindowDaysLeft(paidAt: string, windowDays: number, now: Date): number {
  return Math.max(0, Math.ceil((requestWindowEndsAt(paidAt, windowDays).getTime() - now.getTime()) / DAY_MS))
}

/**
 * Checks a set of orders can go on one invoice: owned, paid, not already invoiced, paid within
 * the request window, and within the caps (orders per invoice, total amount).
 */
export function checkMergeable(orders: OrderForInvoice[], openid: string, requestedIds: string[], caps: InvoiceCaps, now: Date): number {
  if (requestedIds.length === 0) throw new DomainError('INVOICE.NO_ORDERS', '请选择要开票的充值订单')
  if (new Set(requestedIds).size !== requestedIds.length) throw new DomainError('COMMON.BAD_REQUEST', '订单重复选择')
  const tooMany = mergeCapProblem(caps, requestedIds.length, 0)
  if (tooMany) throw new DomainError('INVOICE.CAP_EXCEEDED', tooMany)
  const byId = new Map(orders.map((o) => [o.id, o]))
  let total = 0
  for (const id of requestedIds) {
    const o = byId.get(id)
    if (!o || o.openid !== openid) throw new DomainError('INVOICE.ORDER_NOT_FOUND', '找不到所选的充值订单，请刷新后重试')
    if (o.status !== 'paid' || !o.paidAt) throw new DomainError('INVOICE.ORDER_NOT_PAID', '只有已支付的充值才能开票')
    if (o.invoiceId) throw new DomainError('INVOICE.ORDER_ALREADY_INVOICED', '所选订单已开过发票，可在「已开票」中查看')
    if (!inRequestWindow(o.paidAt, caps.windowDays, now)) {
      throw new DomainError('INVOICE.ORDER_OUT_OF_WINDOW', `只能为 ${caps.windowDays} 天内的充值开票`)
    }
    total += o.amountFen
  }
  const tooMuch = mergeCapProblem(caps, requestedIds.length, total)
  if (tooMuch) throw new DomainError('INVOICE.CAP_EXCEEDED', tooMuch)
  return total
}

/** The rule lives in types/invoice-rules.ts, shared with the mini-program's inline check. */
export function parseEmail(raw: string): string {
  const email = raw.trim()
  if (!isEmail(email)) {
    throw new DomainError('PROFILE.EMAIL_INVALID', '邮箱格式不正确，请核对')
  }
  return email
}

const FIELD_LIMITS = { name: 100, address: 100, phone: 30, bankName: 60, bankAccount: 40 } as const

/**
 * A field printed on the invoice (the buyer's address, phone, bank in the remarks): zero-width
 * characters removed; direction controls, emoji and characters no invoice font has are refused
 * with the reason (types/text-rules.ts printedTextProblem, the rule the mini-program's form uses).
 */
function optionalField(v: string | null | undefined, key: keyof typeof FIELD_LIMITS, label: string): string | null {
  const s = normalizePrinted(v ?? '')
  if (s === '') return null
  if ([...s].length > FIELD_LIMITS[key]) throw new DomainError('TITLE.FIELD_INVALID', `${label}最多 ${FIELD_LIMITS[key]} 个字`)
  const problem = printedTextProblem(s, label)
  if (problem) throw new DomainError('TITLE.FIELD_INVALID', problem)
  return s
}

export interface ParsedTitle extends TitleSnapshot {
  taxIdChecksumOk: boolean | null
}

/**
 * Validates a title form. A failing 18-character checksum needs confirmChecksum. The name is
 * kept as registered: full-width （） stay, zero-width characters go; direction controls, emoji
 * and characters the invoice cannot print (生僻字 beyond its fonts) are refused with the reason.
 */
export function parseTitle(input: TitleInput): ParsedTitle {
  const kind: TitleKind = input.kind
  const name = normalizePrinted(input.name ?? '')
  if (!name || [...name].length > FIELD_LIMITS.name) {
    throw new DomainError('TITLE.NAME_INVALID', kind === 'personal' ? '请填写个人姓名（最多 100 字）' : '请填写单位名称（最多 100 字）')
  }
  const problem = printedTextProblem(name, kind === 'personal' ? '姓名' : '单位名称')
  if (problem) throw new DomainError('TITLE.NAME_INVALID', problem)
  let taxId: string | null = null
  let taxIdChecksumOk: boolean | null = null
  const rawTax = (input.taxId ?? '').trim()
  if (kind === 'enterprise' || rawTax) {
    if (!rawTax) throw new DomainError('TITLE.TAX_ID_INVALID', '单位抬头须填写纳税人识别号')
    const check = checkTaxId(rawTax)
    if (!check.formatOk) throw new DomainError('TITLE.TAX_ID_INVALID', check.message)
    if (check.checksumOk === false && !input.confirmChecksum) throw new DomainError('TITLE.TAX_ID_CHECKSUM', check.message)
    taxId = check.taxId
    taxIdChecksumOk = check.checksumOk
  }
  const extra = kind === 'enterprise'
  return {
    kind,
    name,
    taxId,
    taxIdChecksumOk,
    address: extra ? optionalField(input.address, 'address', '地址') : null,
    phone: extra ? optionalField(input.phone, 'phone', '电话') : null,
    bankName: extra ? optionalField(input.bankName, 'bankName', '开户银行') : null,
    bankAccount: extra ? optionalField(input.bankAccount, 'bankAccount', '银行账号') : null,
  }
}

/**
 * The title as it goes on an invoice, checked again at request time: a title saved before the
 * current name rule (or edited in the database) may hold zero-width characters (removed here),
 * or emoji, direction controls or characters no invoice font has (refused, so nothing is ever
 * issued that would print as a box). The same rule as parseTitle.
 */
export function printableSnapshot(title: TitleSnapshot): TitleSnapshot {
  const name = normalizePrinted(title.name)
  const problem = name ? printedTextProblem(name, title.kind === 'personal' ? '姓名' : '单位名称') : '抬头名称为空'
  if (problem) throw new DomainError('TITLE.NAME_INVALID', `${problem}（请先修改该抬头再开票）`)
  const field = (v: string | null, label: string): string | null => {
    const s = normalizePrinted(v ?? '')
    if (!s) return null
    const p = printedTextProblem(s, label)
    if (p) throw new DomainError('TITLE.FIELD_INVALID', `${p}（请先修改该抬头再开票）`)
    return s
  }
  return {
    kind: title.kind,
    name,
    taxId: title.taxId,
    address: field(title.address, '地址'),
    phone: field(title.phone, '电话'),
    bankName: field(title.bankName, '开户银行'),
    bankAccount: field(title.bankAccount, '银行账号'),
  }
}

export interface SellerConfig {
  name: string
  taxId: string
  address: string
  phone: string
  bankName: string
  bankAccount: string
  issuer: string
  taxCode: string
  itemName: string
  verifyBaseUrl: string
}

/** 数电票 kind in the QR payload: 32 数电普票 (31 would be 数电专票, never issued for a top-up) */
export const QR_KIND_PUTONG = '32'

/** The issue date of the QR payload and the file names: YYYYMMDD in Asia/Shanghai. */
export function issueDateYmd(issuedAt: string): string {
  const t = Date.parse(issuedAt)
  if (Number.isNaN(t)) throw new Error(`issuedAt is not a date: ${issuedAt}`)
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')
}

/**
 * The sandbox's own check value (a real one is given by the tax platform through the provider):
 * 4 hex characters, CRC-16/CCITT-FALSE over the payload's fields, so re-rendering the same
 * invoice gives the same QR and a changed number, amount or date gives another.
 */
export function sandboxCheckCode(invoiceNo: string, amount: string, ymd: string): string {
  let crc = 0xffff
  for (const ch of `${invoiceNo},${amount},${ymd}`) {
    crc ^= (ch.charCodeAt(0) & 0xff) << 8
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
  }
  return crc.toString(16).toUpperCase().padStart(4, '0')
}

const CHECK_CODE = /^[0-9A-Fa-f]{4}$/

/**
 * The QR payload of a 数电票 as reimbursement tools and 查验 apps read it (DOMAIN.md), not a URL:
 * `01,32,,<20-digit number>,<amount, 2 decimals>,<YYYYMMDD>,,<check>` — version 01, kind 32,
 * an empty invoice code (数电票 have none), the 价税合计 in yuan (equal to the amount: top-ups are
 * 不征税), the issue date in Asia/Shanghai, an empty field, the 4-hex check.
 * A red invoice carries its negative total ("-70.50"), as its printed figures do, so a tool that
 * matches the QR against the page finds the same amount.
 */
export function qrPayload(input: { invoiceNo: string; totalFen: number; issuedAt: string; checkCode?: string | null }): string {
  if (!INVOICE_NO_PATTERN.test(input.invoiceNo)) throw new Error('invoice number is 20 digits')
  if (!Number.isSafeInteger(input.totalFen)) throw new Error('totalFen must be an integer')
  const sign = input.totalFen < 0 ? '-' : ''
  const abs = Math.abs(input.totalFen)
  const amount = `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
  const ymd = issueDateYmd(input.issuedAt)
  const check = input.checkCode ?? sandboxCheckCode(input.invoiceNo, amount, ymd)
  if (!CHECK_CODE.test(check)) throw new Error('check code is 4 hex characters')
  return ['01', QR_KIND_PUTONG, '', input.invoiceNo, amount, ymd, '', check.toUpperCase()].join(',')
}

/**
 * The document of an issued top-up invoice: one line per top-up, item 预付卡销售和充值
 * (code 6010000000000000000, rate 不征税, tax 0), totals in figures and capitals, remarks
 * naming the cards and order numbers. `checkCode` is the QR check the provider returned; without
 * one (the sandbox, previews) the sandbox's own is used.
 */
export function buildInvoiceDocument(input: {
  invoiceNo: string
  issuedAt: string
  title: TitleSnapshot
  orders: { id: string; amountFen: number; cardNo: string }[]
  seller: SellerConfig
  checkCode?: string | null
}): InvoiceDocument {
  const items = input.orders.map((o) => ({
    name: input.seller.itemName,
    taxCode: input.seller.taxCode,
    spec: '',
    unit: '元',
    quantity: 1,
    unitPriceFen: o.amountFen,
    amountFen: o.amountFen,
    rateLabel: '不征税',
    taxFen: 0,
  }))
  const amountFen = items.reduce((s, i) => s + i.amountFen, 0)
  const cards = [...new Set(input.orders.map((o) => o.cardNo))]
  return {
    invoiceNo: input.invoiceNo,
    issuedAt: input.issuedAt,
    typeLabel: '电子发票（普通发票）',
    buyer: {
      name: input.title.name,
      taxId: input.title.taxId,
      address: input.title.address,
      phone: input.title.phone,
      bankName: input.title.bankName,
      bankAccount: input.title.bankAccount,
    },
    seller: {
      name: input.seller.name,
      taxId: input.seller.taxId,
      address: input.seller.address,
      phone: input.seller.phone,
      bankName: input.seller.bankName,
      bankAccount: input.seller.bankAccount,
    },
    items,
    amountFen,
    taxFen: 0,
    totalFen: amountFen,
    totalCapital: totalInCapitals(amountFen),
    remarks: `武汉通卡号：${cards.join('、')}；充值订单号：${input.orders.map((o) => o.id).join('、')}`,
    issuer: input.seller.issuer,
    qrPayload: qrPayload({ invoiceNo: input.invoiceNo, totalFen: amountFen, issuedAt: input.issuedAt, checkCode: input.checkCode }),
  }
}
