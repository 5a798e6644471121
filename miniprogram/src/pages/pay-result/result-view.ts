import type { TopupOrder } from '@shared/domain'
import { isPayable } from '../../services/topup.service'

/**
 * What the result page says about an order, decided in one place. It says 未完成 / 继续支付
 * only when the order is definitely unpaid: the person cancelled or WeChat Pay said it failed,
 * or they opened an unpaid order from the list. Straight back from paying, an order still
 * `created` may yet be confirmed by the pay side (a late callback, the reconcile timer): the
 * page keeps checking and never tells the person to pay again.
 */
export type ResultView = 'confirming' | 'checking' | 'paid' | 'unpaid' | 'awaiting' | 'closed'

/** How the person reached the page: route parameter `from` (none: straight back from paying). */
export type ResultSource = 'paid' | 'cancel' | 'fail' | 'list'

export function resultSource(from: string | undefined): ResultSource {
  return from === 'cancel' || from === 'fail' || from === 'list' ? from : 'paid'
}

export function resultView(order: TopupOrder, source: ResultSource, slow: boolean, now: number = Date.now()): ResultView {
  if (order.status === 'paid') return 'paid'
  if (order.status === 'closed') return 'closed'
  const payable = isPayable(order, now)
  if (source === 'cancel' || source === 'fail') return payable ? 'unpaid' : 'checking'
  if (source === 'list') return payable ? 'awaiting' : 'checking'
  return slow ? 'checking' : 'confirming'
}

/** Whether the order's state can still change on its own (the watch goes on). */
export function orderSettled(order: TopupOrder, source: ResultSource): boolean {
  if (order.status !== 'created') return true
  // an unpaid order opened from the list waits for the person, not for the pay side
  return source === 'list' && isPayable(order)
}

export const RESULT_LABEL: Record<ResultView, string> = {
  confirming: '支付确认中',
  checking: '正在核实支付结果',
  paid: '支付成功',
  unpaid: '支付未完成',
  awaiting: '待支付',
  closed: '订单已关闭',
}

export const RESULT_ICON: Record<ResultView, string> = { confirming: '…', checking: '…', paid: '✓', unpaid: '!', awaiting: '!', closed: '×' }

/** the page's existing colour classes (result--paid / --pending / --confirming / --closed) */
export const RESULT_TONE: Record<ResultView, string> = {
  confirming: 'confirming',
  checking: 'confirming',
  paid: 'paid',
  unpaid: 'pending',
  awaiting: 'pending',
  closed: 'closed',
}

/** Ten minutes: the pay side settles a late payment well within this (reconcile runs meanwhile). */
export const ORDER_WATCH_MS = 10 * 60_000
