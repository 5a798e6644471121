import type { CloudPayAck, CloudPayNotification } from '../../../types/api'
import { PAYABLE_FROM, isExpired, judgePayment, OUT_TRADE_NO_PATTERN } from '../domain/order'
import type { PayNotificationRecord } from '../ports/order.repo'
import type { Deps } from '../runtime/deps'
import { advanceInvoice, requestAutoInvoice } from './invoice.service'

const ACK: CloudPayAck = { errcode: 0, errmsg: 'OK' }

/**
 * Handles one delivery of the payment callback. WeChat may deliver the same notification
 * many times, late, or concurrently: the order moves to paid through one conditional update,
 * so exactly one delivery wins and the rest are recorded as duplicates. We answer errcode 0
 * only after the delivery is recorded; a storage failure throws, the entry answers non-zero
 * and WeChat retries.
 */
export async function handlePayNotification(deps: Deps, n: CloudPayNotification): Promise<CloudPayAck> {
  const receivedAt = deps.clock.now().toISOString()
  const record = (outcome: PayNotificationRecord['outcome']) =>
    deps.orders.recordNotification({
      outTradeNo: String(n.outTradeNo).slice(0, 64),
      transactionId: String(n.transactionId ?? '').slice(0, 64),
      totalFee: Number.isSafeInteger(n.totalFee) ? n.totalFee : -1,
      resultCode: String(n.resultCode ?? '').slice(0, 32),
      receivedAt,
      outcome,
    })

  const order = typeof n.outTradeNo === 'string' && OUT_TRADE_NO_PATTERN.test(n.outTradeNo) ? await deps.orders.findById(n.outTradeNo) : null
  if (!order) {
    await record('unknown_order')
    deps.log.warn('pay notification for unknown order', { outTradeNo: String(n.outTradeNo).slice(0, 40) })
    return ACK
  }
  const verdict = judgePayment(order, n)
  if (verdict.kind === 'ignore') {
    await record('ignored')
    return ACK
  }
  if (verdict.kind === 'reject') {
    await record(verdict.reason === 'AMOUNT_MISMATCH' ? 'amount_mismatch' : 'bad_time')
    await deps.orders.recordAnomaly(order.id, receivedAt, `${verdict.reason}: notified ${n.totalFee} fen, ordered ${order.amountFen} fen`)
    deps.log.error('pay notification rejected', { order: order.id, reason: verdict.reason })
    return ACK
  }
  const moved = await deps.orders.markPaid(order.id, PAYABLE_FROM, {
    transactionId: n.transactionId,
    paidAt: verdict.paidAt,
    cashFen: Number.isSafeInteger(n.cashFee) ? (n.cashFee as number) : null,
    via: 'notify',
  })
  await record(moved ? 'settled' : 'duplicate')
  if (moved) {
    deps.log.info('order paid', { order: order.id, via: 'notify' })
    await afterPaid(deps, order.id)
  }
  return ACK
}

/**
 * What follows a payment: the automatic invoice the person asked for on confirmation. The
 * payment is already recorded, so a failure here is logged and left to the invoice worker,
 * never turned into a non-zero answer (that would only make WeChat deliver again).
 */
export async function afterPaid(deps: Deps, orderId: string): Promise<void> {
  try {
    const order = await deps.orders.findById(orderId)
    if (!order?.autoInvoice) return
    const inv = await requestAutoInvoice(deps, order)
    if (inv) await advanceInvoice(deps, inv.id, deps.config.invoice.inlineWaitMs)
  } catch (e) {
    deps.log.error('automatic invoice deferred to the worker', { order: orderId, error: e instanceof Error ? e.message : String(e) })
  }
}

export interface ReconcileReport {
  checked: number
  paid: number
  closed: number
  stillOpen: number
  errors: number
}

/**
 * The timer's safety net for callbacks that never come: every order still 'created' after
 * a grace period is queried at the payment side; paid ones are settled through the same
 * conditional update as the callback, expired unpaid ones are closed (first at the payment
 * side, so the user can no longer pay them).
 */
export async function reconcile(deps: Deps, batch = 100): Promise<ReconcileReport> {
  const now = deps.clock.now()
  const before = new Date(now.getTime() - deps.config.reconcileGraceSeconds * 1000).toISOString()
  const orders = await deps.orders.listUnsettled(before, batch)
  const report: ReconcileReport = { checked: orders.length, paid: 0, closed: 0, stillOpen: 0, errors: 0 }
  for (const order of orders) {
    try {
      let q = await deps.pay.queryOrder(order.id)
      if (q.tradeState !== 'SUCCESS' && isExpired(order, now)) {
        const closed = await deps.pay.closeOrder(order.id)
        if (closed === 'already_paid') q = await deps.pay.queryOrder(order.id)
        else {
          if (await deps.orders.markClosed(order.id, now.toISOString(), 'expired unpaid')) report.closed++
          continue
        }
      }
      if (q.tradeState === 'SUCCESS') {
        const verdict = judgePayment(order, {
          returnCode: 'SUCCESS',
          resultCode: 'SUCCESS',
          totalFee: q.totalFee ?? -1,
          timeEnd: q.timeEnd ?? '',
        })
        if (verdict.kind !== 'settle') {
          await deps.orders.recordAnomaly(order.id, now.toISOString(), `query: ${verdict.kind === 'reject' ? verdict.reason : 'NOT_SUCCESS'}`)
          report.errors++
          continue
        }
        const moved = await deps.orders.markPaid(order.id, PAYABLE_FROM, {
          transactionId: q.transactionId ?? '',
          paidAt: verdict.paidAt,
          cashFen: q.cashFee ?? null,
          via: 'query',
        })
        if (moved) {
          report.paid++
          deps.log.info('order paid', { order: order.id, via: 'query' })
          await afterPaid(deps, order.id)
        }
      } else if (q.tradeState === 'CLOSED' || q.tradeState === 'REVOKED' || q.tradeState === 'NOT_FOUND') {
        if (isExpired(order, now) && (await deps.orders.markClosed(order.id, now.toISOString(), `pay side ${q.tradeState}`))) report.closed++
        else report.stillOpen++
      } else {
        report.stillOpen++
      }
    } catch (e) {
      report.errors++
      deps.log.error('reconcile failed for order', { order: order.id, error: e instanceof Error ? e.message : String(e) })
    }
  }
  return report
}
