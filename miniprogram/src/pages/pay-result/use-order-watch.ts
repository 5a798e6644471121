import { useCallback } from 'react'
import type { TopupOrder } from '@shared/domain'
import { usePolling } from '../../components/use-polling'
import { getOrder } from '../../services/topup.service'
import { ORDER_WATCH_MS, orderSettled, resultView, type ResultSource } from './result-view'

/**
 * The order behind the result page, watched with the one polling hook: growing pauses up to
 * 10 minutes, a lost answer asked again, and at once when the network or the app comes back.
 * A failed first answer keeps trying too (the person just paid: they must not be left with an
 * error page while the money may be moving).
 */
export function useOrderWatch(orderId: string, source: ResultSource) {
  const fetch = useCallback(() => getOrder(orderId), [orderId])
  const isSettled = useCallback((o: TopupOrder) => orderSettled(o, source), [source])
  const watch = usePolling<TopupOrder>({
    fetch: orderId ? fetch : null,
    isSettled,
    limitMs: ORDER_WATCH_MS,
    maxDelayMs: 15_000,
    retryFirstError: source === 'paid',
  })
  const order = watch.data
  const view = order ? resultView(order, source, watch.slow) : null
  return { order, view, error: watch.error, offline: watch.stale, retry: watch.retry, refresh: watch.restart }
}
