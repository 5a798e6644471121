import { moneyInvariantViolations, type InvariantInvoice, type InvariantOrder } from '../../cloudfunctions/_core/domain/correction'
import type { TestCloud } from './local-cloud'

/**
 * The money invariant over a local cloud's SQLite file, read straight from the tables: for every
 * invoiced order exactly one live blue invoice; per person sum(blue) - sum(red) = sum(invoiced
 * paid orders), to the fen. Empty when it holds.
 */
export function invariantViolations(c: Pick<TestCloud, 'runtime'>): string[] {
  const invoices = (
    c.runtime.db.prepare('SELECT id, openid, color, status, amount_fen, order_ids, reversed_by_id FROM invoices').all() as Record<string, any>[]
  ).map((r): InvariantInvoice => ({
    id: r.id,
    openid: r.openid,
    color: r.color,
    status: r.status,
    amountFen: r.amount_fen,
    orderIds: JSON.parse(r.order_ids),
    reversedById: r.reversed_by_id,
  }))
  const orders = (c.runtime.db.prepare('SELECT id, openid, status, amount_fen FROM topup_orders').all() as Record<string, any>[]).map((r): InvariantOrder => ({
    id: r.id,
    openid: r.openid,
    status: r.status,
    amountFen: r.amount_fen,
  }))
  return moneyInvariantViolations(invoices, orders)
}
