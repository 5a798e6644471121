import type { StatementView } from '../../../types/ledger'
import { DomainError } from '../domain/errors'
import { buildStatement, cnYearRange, type StatementOrder } from '../domain/ledger'
import type { Deps } from '../runtime/deps'

const PAGE = 100
/** a top-up is paid within its order's lifetime (ORDER_TTL_MINUTES <= 1 day) after it was created */
const PAID_AFTER_CREATED_MAX_MS = 86400_000

/**
 * The year statement (对账单): month by month, what was topped up, what is invoiced (claimed by
 * a live invoice), and what is not yet, with the days left in the request window (the window
 * rule lives in domain/invoice.ts requestWindowDaysLeft; buildStatement applies it).
 */
export async function statement(deps: Deps, openid: string, year: number): Promise<StatementView> {
  const now = deps.clock.now()
  const thisYear = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear()
  if (!Number.isInteger(year) || year < 2000 || year > thisYear) throw new DomainError('COMMON.BAD_REQUEST', `年份应在 2000 到 ${thisYear} 之间`)
  const { from, to } = cnYearRange(year)

  // paid top-ups of the year: the owner's orders, newest first, until before the year
  const paid: { id: string; paidAt: string; amountFen: number }[] = []
  let cursor: { createdAt: string; id: string } | undefined
  for (;;) {
    const page = await deps.orders.listByOwner(openid, { limit: PAGE, cursor })
    for (const o of page)
      if (o.status === 'paid' && o.paidAt && o.paidAt >= from && o.paidAt < to) paid.push({ id: o.id, paidAt: o.paidAt, amountFen: o.amountFen })
    const last = page[page.length - 1]
    if (page.length < PAGE || Date.parse(last.createdAt) < Date.parse(from) - PAID_AFTER_CREATED_MAX_MS) break
    cursor = { createdAt: last.createdAt, id: last.id }
  }

  // which of them no live invoice claims (the store's own answer, the same as 待开票's)
  const unclaimed = new Set<string>()
  let uc: { paidAt: string; id: string } | undefined
  for (;;) {
    const page = await deps.orders.listUninvoiced(openid, from, { limit: PAGE, cursor: uc })
    for (const o of page) unclaimed.add(o.id)
    if (page.length < PAGE) break
    const last = page[page.length - 1]
    uc = { paidAt: last.paidAt!, id: last.id }
  }

  const orders: StatementOrder[] = paid.map((o) => ({ paidAt: o.paidAt, amountFen: o.amountFen, invoiced: !unclaimed.has(o.id) }))
  const windowDays = deps.config.invoice.caps.windowDays
  const months = buildStatement(year, orders, windowDays, now)
  const sum = (k: 'toppedUpFen' | 'invoicedFen' | 'notInvoicedFen' | 'invoiceableFen') => months.reduce((n, m) => n + m[k], 0)
  return {
    year,
    months,
    totals: { toppedUpFen: sum('toppedUpFen'), invoicedFen: sum('invoicedFen'), notInvoicedFen: sum('notInvoicedFen'), invoiceableFen: sum('invoiceableFen') },
    windowDays,
  }
}
