import { useCallback, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { errorMessage } from '../services/cloud'

/**
 * A page's data, loaded on every show (coming back from an editor refreshes it) and on
 * pull-down. The first failure shows the error state; a failed refresh keeps what is on screen
 * and says why in a toast. `onLoaded` sees every fresh value (e.g. to fill a form once).
 */
export function useLoader<T>(fetch: () => Promise<T>, onLoaded?: (value: T) => void) {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<string | null>(null)
  const loaded = useRef(false)
  const fetchRef = useRef(fetch)
  fetchRef.current = fetch
  const onLoadedRef = useRef(onLoaded)
  onLoadedRef.current = onLoaded

  const load = useCallback(async () => {
    try {
      const value = await fetchRef.current()
      setData(value)
      setError(null)
      loaded.current = true
      onLoadedRef.current?.(value)
    } catch (e) {
      if (loaded.current) void Taro.showToast({ title: errorMessage(e), icon: 'none' })
      else setError(errorMessage(e))
    }
  }, [])

  useDidShow(() => {
    void load()
  })

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  /** the error state's 重试 */
  const retry = useCallback(() => {
    setError(null)
    void load()
  }, [load])

  return { data, setData, error, retry, reload: load }
}
