/**
 * The ledger of an export (发票台账), the export job's states, the year statement (对账单) and
 * the public answer of the authenticity check (验真). Pure: no SDK, no I/O.
 */
import type { InvoiceColor } from '../../../types/aftersales'
import type { TitleSnapshot } from '../../../types/domain'
import type { StatementMonthView } from '../../../types/ledger'
import { issueDateYmd, requestWindowDaysLeft } from './invoice'

// ---------------------------------------------------------------------------------------
// Export jobs

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed'

const EXPORT_TRANSITIONS: Record<ExportStatus, readonly ExportStatus[]> = {
  queued: ['running', 'failed'],
  // running -> running: a resumed job (its runner died, the lease ran out) is taken again
  running: ['running', 'done', 'failed'],
  done: [],
  // a failed job may be run again by a retry with the same clientToken
  failed: ['running'],
}

export function canExportTransition(from: ExportStatus, to: ExportStatus): boolean {
  return EXPORT_TRANSITIONS[from].includes(to)
}

export const exportFromStatesOf = (to: ExportStatus): ExportStatus[] =>
  (Object.keys(EXPORT_TRANSITIONS) as ExportStatus[]).filter((s) => canExportTransition(s, to))

// ---------------------------------------------------------------------------------------
// The ledger

/** What the ledger needs of one invoice (and of the invoices its chain names). */
export interface LedgerInvoice {
  id: string
  invoiceNo: string | null
  issuedAt: string | null
  title: TitleSnapshot
  amountFen: number
  color: InvoiceColor
  originalId: string | null
  reversedById: string | null
  replacedById: string | null
  orderIds: string[]
  cards: { cardNo: string }[]
}

export interface LedgerFile {
  kind: 'pdf' | 'xml' | 'ofd'
  /** the name inside the ZIP */
  name: string
  sha256: string
}

export interface LedgerRow {
  invoiceNo: string
  issueDate: string
  buyerName: string
  buyerTaxId: string
  /** yuan with two decimals; negative for a red invoice (it reverses the blue one's amount) */
  amount: string
  color: '蓝字' | '红字'
  chain: string
  orders: string
  cards: string
  pdfSha256: string
  xmlSha256: string
  ofdSha256: string
  files: string
}

export const LEDGER_COLUMNS: readonly { key: keyof LedgerRow; header: string; width: number }[] = [
  { key: 'invoiceNo', header: '发票号码', width: 24 },
  { key: 'issueDate', header: '开票日期', width: 12 },
  { key: 'buyerName', header: '购买方名称', width: 30 },
  { key: 'buyerTaxId', header: '购买方税号', width: 22 },
  { key: 'amount', header: '价税合计(元)', width: 14 },
  { key: 'color', header: '红蓝字', width: 8 },
  { key: 'chain', header: '红冲/换开关系', width: 40 },
  { key: 'orders', header: '充值订单', width: 40 },
  { key: 'cards', header: '武汉通卡号', width: 24 },
  { key: 'pdfSha256', header: 'PDF SHA-256', width: 66 },
  { key: 'xmlSha256', header: 'XML SHA-256', width: 66 },
  { key: 'ofdSha256', header: 'OFD SHA-256', width: 66 },
  { key: 'files', header: '压缩包内文件', width: 40 },
]

/** YYYY-MM-DD in China time, as printed on the invoice. */
export function cnDate(iso: string): string {
  const ymd = issueDateYmd(iso)
  return `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)}`
}

export const yuan = (fen: number): string => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`

/** The names of the files of one invoice inside the ZIP: by invoice number (unique), id before a number exists. */
export function zipNameOf(inv: Pick<LedgerInvoice, 'id' | 'invoiceNo'>, kind: LedgerFile['kind']): string {
  return `invoices/${inv.invoiceNo ?? inv.id}.${kind}`
}

/**
 * One ledger row. `numberOf` gives the invoice number of an invoice the chain names (red ->
 * its blue, blue -> the red that reversed it and the blue that replaced it), null when unknown.
 */
export function ledgerRow(inv: LedgerInvoice, files: readonly LedgerFile[], numberOf: (id: string) => string | null): LedgerRow {
  const no = (id: string) => numberOf(id) ?? id
  const chain: string[] = []
  if (inv.color === 'red' && inv.originalId) chain.push(`红冲 ${no(inv.originalId)}`)
  if (inv.color === 'blue' && inv.originalId) chain.push(`换开自 ${no(inv.originalId)}`)
  if (inv.reversedById) chain.push(`已被 ${no(inv.reversedById)} 红冲`)
  if (inv.replacedById) chain.push(`换开为 ${no(inv.replacedById)}`)
  const sha = (k: LedgerFile['kind']) => files.find((f) => f.kind === k)?.sha256 ?? ''
  return {
    invoiceNo: inv.invoiceNo ?? '',
    issueDate: inv.issuedAt ? cnDate(inv.issuedAt) : '',
    buyerName: inv.title.name,
    buyerTaxId: inv.title.taxId ?? '',
    amount: yuan(inv.color === 'red' ? -inv.amountFen : inv.amountFen),
    color: inv.color === 'red' ? '红字' : '蓝字',
    chain: chain.join('；'),
    orders: inv.orderIds.join(' '),
    cards: [...new Set(inv.cards.map((c) => c.cardNo))].join(' '),
    pdfSha256: sha('pdf'),
    xmlSha256: sha('xml'),
    ofdSha256: sha('ofd'),
    files: files.map((f) => f.name).join(' '),
  }
}

/**
 * One CSV line (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled).
 * A field a spreadsheet would run as a formula (= + - @ first) gets a leading apostrophe, except
 * plain numbers such as a red invoice's negative amount: an export must not carry a formula
 * injection from a title name typed by someone.
 */
export function csvLine(values: readonly string[]): string {
  return (
    values
      .map((raw) => {
        const v = /^[=+\-@\t\r]/.test(raw) && !/^-?\d+(\.\d+)?$/.test(raw) ? `'${raw}` : raw
        return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
      })
      .join(',') + '\r\n'
  )
}

/** The ledger's CSV starts with a UTF-8 BOM so that Excel opens the Chinese text correctly. */
export const CSV_BOM = '\uFEFF'

export const ledgerCsvHeader = (): string => csvLine(LEDGER_COLUMNS.map((c) => c.header))
export const ledgerCsvLine = (row: LedgerRow): string => csvLine(LEDGER_COLUMNS.map((c) => row[c.key]))

// ---------------------------------------------------------------------------------------
// The year statement

/** Months are counted in China time (UTC+8), as a person reads them on a receipt. */
const CN_OFFSET_MS = 8 * 3600_000

export function cnMonthOf(iso: string): { year: number; month: number } {
  const d = new Date(Date.parse(iso) + CN_OFFSET_MS)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 }
}

/** [from, to) of a calendar year in China time, as ISO instants. */
export function cnYearRange(year: number): { from: string; to: string } {
  return {
    from: new Date(Date.UTC(year, 0, 1) - CN_OFFSET_MS).toISOString(),
    to: new Date(Date.UTC(year + 1, 0, 1) - CN_OFFSET_MS).toISOString(),
  }
}

export interface StatementOrder {
  paidAt: string
  amountFen: number
  /** claimed by a live invoice (issued or on its way) */
  invoiced: boolean
}

/** One month of the statement: the shape the app receives (types/ledger.ts). */
export type StatementMonth = StatementMonthView

/** Month by month: topped up, invoiced, not yet invoiced (with the days left in the request window). */
export function buildStatement(year: number, orders: readonly StatementOrder[], windowDays: number, now: Date): StatementMonth[] {
  const months: StatementMonth[] = Array.from({ length: 12 }, (_, i) => ({
    month: i + 1,
    toppedUpFen: 0,
    invoicedFen: 0,
    notInvoicedFen: 0,
    invoiceableFen: 0,
    minDaysLeft: null,
  }))
  for (const o of orders) {
    const ym = cnMonthOf(o.paidAt)
    if (ym.year !== year) continue
    const m = months[ym.month - 1]
    m.toppedUpFen += o.amountFen
    if (o.invoiced) {
      m.invoicedFen += o.amountFen
      continue
    }
    m.notInvoicedFen += o.amountFen
    const left = requestWindowDaysLeft(o.paidAt, windowDays, now)
    if (left > 0) {
      m.invoiceableFen += o.amountFen
      m.minDaysLeft = m.minDaysLeft === null ? left : Math.min(m.minDaysLeft, left)
    }
  }
  return months
}

// ---------------------------------------------------------------------------------------
// 验真

export type VerifyResult = 'genuine' | 'altered' | 'unknown'

/** What anyone may learn of one of our invoices: never the buyer. */
export interface PublicInvoiceFacts {
  invoiceNo: string
  issueDate: string
  amountFen: number
  sellerName: string
  color: InvoiceColor
  /** a blue invoice reversed by a red one (红冲): genuine, but no longer valid for reimbursement */
  reversed: boolean
}

export function publicFacts(
  inv: Pick<LedgerInvoice, 'invoiceNo' | 'issuedAt' | 'amountFen' | 'color' | 'reversedById'>,
  sellerName: string,
): PublicInvoiceFacts | null {
  if (!inv.invoiceNo || !inv.issuedAt) return null
  return {
    invoiceNo: inv.invoiceNo,
    issueDate: cnDate(inv.issuedAt),
    amountFen: inv.amountFen,
    sellerName,
    color: inv.color,
    reversed: inv.reversedById !== null,
  }
}

export const SHA256_HEX = /^[0-9a-f]{64}$/

/** The rate-limit window a moment falls in: its start, as the unique key's second half. */
export function windowStart(now: Date, windowSeconds: number): string {
  const ms = windowSeconds * 1000
  return new Date(Math.floor(now.getTime() / ms) * ms).toISOString()
}
