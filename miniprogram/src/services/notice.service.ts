/** Emergency notices staff set during an incident (`profile.notices`), cached briefly per page. */
import type { ActiveNotice, NoticePage } from '@shared/api'
import { callFunction } from './cloud'

/** a banner may lag its setting by this much; every page show within it costs no call */
const CACHE_MS = 60_000

/** the pages that show the banner, by route */
const NOTICE_ROUTES: Readonly<Record<string, NoticePage>> = {
  'pages/index/index': 'home',
  'pages/invoice/index': 'invoice',
  'pages/invoice-detail/index': 'invoice',
}

/** '/pages/invoice/index?x=1' -> 'invoice'; a page without banner -> null */
export function noticePageOf(route: string | undefined): NoticePage | null {
  if (!route) return null
  return NOTICE_ROUTES[route.split('?')[0].replace(/^\/+/, '')] ?? null
}

const cache = new Map<NoticePage, { at: number; notices: ActiveNotice[] }>()
/** info notices the person closed: hidden until the mini-program restarts */
const dismissed = new Set<string>()

export async function loadNotices(page: NoticePage): Promise<ActiveNotice[]> {
  const hit = cache.get(page)
  const now = Date.now()
  if (hit && now - hit.at < CACHE_MS) return hit.notices.filter((n) => !dismissed.has(n.id))
  const { notices } = await callFunction('profile', 'notices', { page })
  cache.set(page, { at: now, notices })
  return notices.filter((n) => !dismissed.has(n.id))
}

/** only info notices can be closed; warnings and critical ones stay while they are in force */
export function dismissNotice(notice: ActiveNotice): void {
  if (notice.level === 'info') dismissed.add(notice.id)
}
