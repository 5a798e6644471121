import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { errorMessage } from '../services/cloud'

/**
 * Calls `onResume` when the connection comes back and when the app returns to the foreground
 * (WeChat: onNetworkStatusChange / onAppShow; H5: the browser's online and visibilitychange
 * events, which Taro's H5 network listener does not use). The callback may change every render.
 */
export function useOnResume(onResume: () => void): void {
  const latest = useRef(onResume)
  latest.current = onResume
  useEffect(() => {
    const onNetwork = (res: { isConnected: boolean }) => {
      if (res.isConnected) latest.current()
    }
    const onShow = () => latest.current()
    if (process.env.TARO_ENV === 'h5') {
      const onVisible = () => {
        if (document.visibilityState === 'visible') latest.current()
      }
      window.addEventListener('online', onShow)
      document.addEventListener('visibilitychange', onVisible)
      return () => {
        window.removeEventListener('online', onShow)
        document.removeEventListener('visibilitychange', onVisible)
      }
    }
    Taro.onNetworkStatusChange(onNetwork)
    Taro.onAppShow(onShow)
    return () => {
      Taro.offNetworkStatusChange(onNetwork)
      Taro.offAppShow(onShow)
    }
  }, [])
}

export interface PollingOptions<T> {
  /** what to ask; a new function (e.g. another id) restarts the watch */
  fetch: (() => Promise<T>) | null
  /** a settled value ends the watch (issued, failed, a correction waiting for a person...) */
  isSettled: (value: T) => boolean
  /** first pause, growth per answer and the longest pause between questions */
  firstDelayMs?: number
  factor?: number
  maxDelayMs?: number
  /** after this long without settling, stop and say so (`slow`); restart() asks again */
  limitMs?: number
  /**
   * ask again at once when the network comes back or the app returns to the foreground, while
   * the answer is not settled (also after `slow` or a failed first answer). Default true.
   */
  resumeOnReconnect?: boolean
  /**
   * a failed first answer is shown (`error`) but asked again with the same pauses instead of
   * waiting for 重试: for a watch the person must not abandon (a payment being confirmed)
   */
  retryFirstError?: boolean
}

/**
 * Watches something the cloud finishes asynchronously: asks at once, then again with growing
 * pauses (1 s, 1.6 s, 2.6 s ... up to 8 s) until the answer is settled or the time limit passes.
 * A failed first answer is an error state (retry with restart()); a lost later answer is simply
 * asked again. Coming back to the page refreshes quietly and resumes an unsettled watch; so do the
 * network coming back and the app returning to the foreground (useOnResume).
 */
export function usePolling<T>({
  fetch,
  isSettled,
  firstDelayMs = 1000,
  factor = 1.6,
  maxDelayMs = 8000,
  limitMs = 60_000,
  resumeOnReconnect = true,
  retryFirstError = false,
}: PollingOptions<T>) {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [slow, setSlow] = useState(false)
  // the last question went unanswered (offline, server down): what is shown may be out of date
  const [stale, setStale] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const run = useRef(0)
  const loaded = useRef(false)
  const shownOnce = useRef(false)
  const settled = useRef(false)
  const settledRef = useRef(isSettled)
  settledRef.current = isSettled
  const fetchRef = useRef(fetch)
  fetchRef.current = fetch
  const tuning = useRef({ firstDelayMs, factor, maxDelayMs, limitMs })
  const keepTrying = useRef(retryFirstError)
  keepTrying.current = retryFirstError

  const stop = useCallback(() => {
    run.current += 1
    if (timer.current) clearTimeout(timer.current)
    timer.current = undefined
  }, [])

  /** (Re)starts the watch from the first question; resolves after that first answer. */
  const restart = useCallback(async (): Promise<void> => {
    stop()
    const mine = run.current
    const ask = fetchRef.current
    if (!ask) return
    const { firstDelayMs: first, factor: grow, maxDelayMs: most, limitMs: limit } = tuning.current
    const started = Date.now()
    setSlow(false)
    let delay = first
    const tick = async (): Promise<void> => {
      let value: T | null = null
      try {
        value = await ask()
      } catch (e) {
        if (mine !== run.current) return
        setStale(true)
        if (!loaded.current) {
          setError(errorMessage(e))
          if (!keepTrying.current) return
        }
      }
      if (mine !== run.current) return
      if (value !== null) {
        loaded.current = true
        setData(value)
        setError(null)
        setStale(false)
        settled.current = settledRef.current(value)
        if (settled.current) return
      }
      if (Date.now() - started >= limit) {
        setSlow(true)
        return
      }
      timer.current = setTimeout(() => void tick(), delay)
      delay = Math.min(most, Math.round(delay * grow))
    }
    return tick()
  }, [stop])

  useEffect(() => {
    loaded.current = false
    settled.current = false
    setData(null)
    setError(null)
    void restart()
    return stop
  }, [fetch, restart, stop])

  // back on the page (from a PDF, an editor, another invoice): refresh quietly
  useDidShow(() => {
    if (!shownOnce.current) {
      shownOnce.current = true
      return
    }
    if (loaded.current) void restart()
  })

  // a network that comes back (or the app back in front) asks at once instead of waiting out the pause
  useOnResume(() => {
    if (!resumeOnReconnect || !fetchRef.current || settled.current) return
    setError(null)
    void restart()
  })

  /** the error state's 重试 */
  const retry = useCallback(() => {
    setError(null)
    void restart()
  }, [restart])

  return { data, setData, error, slow, stale, restart, retry }
}
