import { useCallback, useEffect, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import type { ActiveNotice, NoticePage } from '@shared/api'
import { dismissNotice, loadNotices } from '../services/notice.service'

/**
 * The emergency notices for one page (none for null), refreshed each time the page shows (at most once a
 * minute: the service caches). A failure shows nothing: a notice must never break the page.
 */
export function useNotices(page: NoticePage | null): { notices: ActiveNotice[]; dismiss: (n: ActiveNotice) => void } {
  const [notices, setNotices] = useState<ActiveNotice[]>([])
  const refresh = useCallback(() => {
    if (!page) return
    loadNotices(page)
      .then(setNotices)
      .catch(() => undefined)
  }, [page])
  useEffect(refresh, [refresh])
  useDidShow(refresh)
  const dismiss = useCallback((n: ActiveNotice) => {
    dismissNotice(n)
    setNotices((list) => list.filter((x) => x.id !== n.id))
  }, [])
  return { notices, dismiss }
}
