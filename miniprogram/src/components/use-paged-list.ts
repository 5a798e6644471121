import { useCallback, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import type { Page } from '@shared/api'
import { errorMessage } from '../services/cloud'

/**
 * A cursor-paged list: first load (with an error state), quiet reloads that keep the list on
 * screen, load more, and answers to an older query (filters changed meanwhile) ignored.
 */
export function usePagedList<T extends { id: string }>(fetchPage: (cursor: string | null) => Promise<Page<T>>) {
  const [items, setItems] = useState<T[] | null>(null)
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [moreError, setMoreError] = useState<string | null>(null)
  const fetchRef = useRef(fetchPage)
  fetchRef.current = fetchPage
  const seq = useRef(0)
  const cursorRef = useRef<string | null>(null)
  const loaded = useRef(false)
  const busyMore = useRef(false)

  /** reset: forget the list (new filters), showing the loading state until the answer */
  const reload = useCallback(async (reset = false): Promise<T[] | null> => {
    const mine = ++seq.current
    if (reset) {
      loaded.current = false
      setItems(null)
      setError(null)
    }
    try {
      const page = await fetchRef.current(null)
      if (mine !== seq.current) return null
      cursorRef.current = page.nextCursor
      setItems(page.items)
      setNextCursor(page.nextCursor)
      setError(null)
      setMoreError(null)
      loaded.current = true
      return page.items
    } catch (e) {
      if (mine !== seq.current) return null
      // a failed refresh keeps the list on screen
      if (loaded.current) void Taro.showToast({ title: errorMessage(e), icon: 'none' })
      else setError(errorMessage(e))
      return null
    }
  }, [])

  const loadMore = useCallback(async () => {
    const cursor = cursorRef.current
    if (busyMore.current || !cursor || !loaded.current) return
    busyMore.current = true
    const mine = seq.current
    setLoadingMore(true)
    setMoreError(null)
    try {
      const page = await fetchRef.current(cursor)
      if (mine !== seq.current) return
      cursorRef.current = page.nextCursor
      setItems((current) => {
        const seen = new Set((current ?? []).map((x) => x.id))
        return [...(current ?? []), ...page.items.filter((x) => !seen.has(x.id))]
      })
      setNextCursor(page.nextCursor)
    } catch (e) {
      if (mine === seq.current) setMoreError(errorMessage(e))
    } finally {
      busyMore.current = false
      setLoadingMore(false)
    }
  }, [])

  return { items, setItems, nextCursor, error, loadingMore, moreError, reload, loadMore, loaded }
}
