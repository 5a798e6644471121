/**
 * Batch invoicing (企业批量开票, issue 8): the contract shared by the `batch` cloud function and
 * the mini-program's enterprise pages, and the one split rule both sides use (the 全选 of
 * 待开票 offers "按上限自动分成 N 张发票" with the same rule the cloud applies).
 */

/** Which top-ups: whole months (UTC+8) or a date range (inclusive days, UTC+8). */
export type BatchPeriod = { kind: 'months'; months: string[] } | { kind: 'range'; from: string; to: string }

/** Which cards: all of mine, one group (分组; '' = cards without a group), or some by id. */
export type BatchCards = { kind: 'all' } | { kind: 'group'; group: string } | { kind: 'ids'; cardIds: string[] }

/** per_card: every invoice covers one card (a department's reimbursement); mixed: fewest invoices. */
export type BatchSplitMode = 'per_card' | 'mixed'

export interface BatchSpec {
  titleId: string
  period: BatchPeriod
  cards: BatchCards
  mode: BatchSplitMode
  /** omitted: the person's default e-mail; null: no e-mail */
  email?: string | null
}

export interface PlannedInvoice {
  /** 1-based, in the order they are requested */
  index: number
  orderCount: number
  amountFen: number
  cardNos: string[]
}

export interface BatchPreview {
  orderCount: number
  totalFen: number
  invoiceCount: number
  /** the first planned invoices (all of them up to 200) */
  invoices: PlannedInvoice[]
  caps: { maxOrders: number; maxTotalFen: number }
  /**
   * top-ups in the period that are not in the plan, and why: already invoiced, paid before the
   * request window, or larger on their own than the per-invoice amount cap
   */
  excluded: { alreadyInvoiced: number; outOfWindow: number; overCap: number }
}

/** running -> done | cancelled (see cloudfunctions/_core/domain/batch.ts for the table). */
export type BatchStatus = 'running' | 'done' | 'cancelled'

export interface BatchFailure {
  index: number
  reason: string
}

export interface BatchJobView {
  id: string
  status: BatchStatus
  titleName: string
  mode: BatchSplitMode
  periodLabel: string
  cardsLabel: string
  orderCount: number
  totalFen: number
  invoiceCount: number
  /** planned invoices handled so far (requested, skipped or failed) */
  done: number
  invoicesCreated: number
  ordersInvoiced: number
  /** top-ups another invoice took meanwhile: skipped, never invoiced twice */
  ordersSkipped: number
  failed: number
  failures: BatchFailure[]
  createdAt: string
  finishedAt: string | null
}

export type BatchItemStatus = 'pending' | 'requested' | 'skipped' | 'failed'

export interface BatchItemView {
  index: number
  status: BatchItemStatus
  orderCount: number
  amountFen: number
  cardNos: string[]
  invoiceId: string | null
  reason: string | null
}

export interface SplitCaps {
  maxOrders: number
  maxTotalFen: number
}

/**
 * The split rule: in the given order, start a new invoice when the current one would go over
 * either cap (top-ups per invoice, amount per invoice). Orders larger than the amount cap on
 * their own cannot go on any invoice and come back in `oversize`.
 */
export function splitUnderCaps<T extends { amountFen: number }>(orders: readonly T[], caps: SplitCaps): { groups: T[][]; oversize: T[] } {
  const groups: T[][] = []
  const oversize: T[] = []
  let cur: T[] = []
  let sum = 0
  for (const o of orders) {
    if (o.amountFen > caps.maxTotalFen) {
      oversize.push(o)
      continue
    }
    if (cur.length > 0 && (cur.length >= caps.maxOrders || sum + o.amountFen > caps.maxTotalFen)) {
      groups.push(cur)
      cur = []
      sum = 0
    }
    cur.push(o)
    sum += o.amountFen
  }
  if (cur.length) groups.push(cur)
  return { groups, oversize }
}

/**
 * The invoices of a batch: orders sorted by card (per_card) and then payment time and id, so
 * the same orders always give the same plan (a retry makes the same invoices), then split under
 * the caps; per_card never puts two cards on one invoice.
 */
export function planInvoices<T extends { id: string; amountFen: number; cardNo: string; paidAt: string | null }>(
  orders: readonly T[],
  caps: SplitCaps,
  mode: BatchSplitMode,
): { groups: T[][]; oversize: T[] } {
  const byTime = (a: T, b: T) => ((a.paidAt ?? '') < (b.paidAt ?? '') ? -1 : (a.paidAt ?? '') > (b.paidAt ?? '') ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const sorted = [...orders].sort(byTime)
  if (mode === 'mixed') return splitUnderCaps(sorted, caps)
  const cards = [...new Set(sorted.map((o) => o.cardNo))].sort()
  const groups: T[][] = []
  const oversize: T[] = []
  for (const cardNo of cards) {
    const split = splitUnderCaps(
      sorted.filter((o) => o.cardNo === cardNo),
      caps,
    )
    groups.push(...split.groups)
    oversize.push(...split.oversize)
  }
  return { groups, oversize }
}
