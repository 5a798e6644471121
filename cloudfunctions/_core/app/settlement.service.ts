import type { CloudPayAck, CloudPayNotification } from '../../../types/api'
import { PAYABLE_FROM, isExpired, judgePayment, OUT_TRADE_NO_PATTERN } from '../domain/order'
import type { PayNotificationRecord } from '../ports/order.repo'
import type { Deps } from '../runtime/deps'
import { requestAutoInvoice } from './invoice.service'
import { kickIssue } from './issue-kick'

const ACK: CloudPayAck = { errcode: 0, errmsg: 'OK' }

/** A whole number of fen from a number or an all-digit string; anything else is -1 (never equal to an order). */
const fenOf = (v: unknown): number => {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : -1
  if (typeof v === 'string' && /^\d{1,15}$/.test(v.trim())) return Number(v.trim())
  return -1
}
const textOf = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '')

/**
 * The callback's fields as we compare them. The event reaches us as JSON the platform built, and
 * field types are not guaranteed: fees may come as "5000", and all-digit values (transactionId,
 * timeEnd) as numbers (wx-server-sdk does the same to getWXContext values). So fees become
 * integers and identifiers and times strings before anything is judged or recorded; a value that
 * is neither stays unusable (-1 / '') and the notification is rejected and recorded as such.
 */
export function normalizeNotification(raw: CloudPayNotification): CloudPayNotification {
  const r = raw as unknown as Record<string, unknown>
  const cash = r.cashFee === undefined || r.cashFee === null ? undefined : fenOf(r.cashFee)
  return {
    ...raw,
    returnCode: textOf(r.returnCode),
    resultCode: textOf(r.resultCode),
    outTradeNo: textOf(r.outTradeNo),
    transactionId: textOf(r.transactionId),
    totalFee: fenOf(r.totalFee),
    cashFee: cash === undefined || cash < 0 ? undefined : cash,
    timeEnd: textOf(r.timeEnd),
  }
}

/**
 * Handles one delivery of the payment callback. WeChat may deliver the same notification
 * many times, late, or concurrently: the order moves to paid through one conditional update,
 * so exactly one delivery wins and the rest are recorded as duplicates. We answer errcode 0
 * only after the delivery is recorded (and the automatic invoice request with it), but without
 * waiting for the invoice itself (afterPaid); a storage failure throws, the entry answers
 * non-zero and WeChat retries.
 */
export async function handlePayNotification(deps: Deps, raw: CloudPayNotification): Promise<CloudPayAck> {
  const n = normalizeNotification(raw)
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
 * What follows a payment: the automatic invoice the person asked for on confirmation. Here we
 * only RECORD it (the order's claim, exactly once: requestAutoInvoice) and start the invoice
 * worker for it; the provider, rendering, storage and mail happen in the worker's invocation
 * (app/issue-kick.ts), so the payment callback is answered in milliseconds whatever the
 * provider's latency (WeChat retries a callback that is slow to answer, and the function is
 * frozen once it has answered, so nothing may be left running here). The payment is already
 * recorded: a failure here is logged and left to the worker's timer (which also requests an
 * automatic invoice whose request never happened), never turned into a non-zero answer.
 */
export async function afterPaid(deps: Deps, orderId: string): Promise<void> {
  try {
    const order = await deps.orders.findById(orderId)
    if (!order?.autoInvoice) return
    const inv = await requestAutoInvoice(deps, order)
    if (inv && inv.status !== 'issued') await kickIssue(deps, inv.id)
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
