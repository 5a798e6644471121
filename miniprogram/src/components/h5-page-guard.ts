/**
 * H5 only: keeps the current page on screen. Two Back presses in quick succession reach Taro's
 * router as overlapping POP renders; a delayed hide (Taro adds `taro_page_shade` 300 ms after a
 * page slides away) can then land on the page that is shown again, and the next 我的卡片 showed
 * a blank screen (reproduced under load in tests/e2e/h5-navigation.e2e.test.ts). After every
 * route change has settled, the current page is shown and every other page hidden, the way Taro
 * does it.
 */
import Taro from '@tarojs/taro'

/** after Taro's 300 ms slide, and again later for a slow phone */
const SETTLE_MS = [400, 900, 1800]

const routeOf = (s: string) => '/' + s.replace(/^[#/]+/, '').split('?')[0]

/**
 * The page the person is on: the one at the address bar's route. After overlapping POPs the
 * router's own stack can disagree with the address, so its top page is only the tie-breaker.
 */
function currentPage(els: HTMLElement[]): HTMLElement | null {
  const route = routeOf(window.location.hash)
  const candidates = els.filter((el) => routeOf(el.id) === route)
  if (candidates.length === 0) return null
  const pages = Taro.getCurrentPages()
  const top = (pages[pages.length - 1] as { path?: string } | undefined)?.path
  return candidates.find((el) => top && routeOf(el.id) === routeOf(top) && el.id === '/' + top.replace(/^\/+/, '')) ?? candidates[candidates.length - 1]
}

export function reconcilePages(): void {
  const els = Array.from(document.querySelectorAll<HTMLElement>('.taro_page'))
  const current = currentPage(els)
  if (!current) return
  // only what differs is touched: the observer below sees every change
  for (const el of els) {
    const hidden = el.classList.contains('taro_page_shade')
    if (el === current && hidden) el.classList.remove('taro_page_shade')
    else if (el !== current && !hidden) el.classList.add('taro_page_shade')
  }
}

let installed = false

export function installH5PageGuard(): void {
  if (process.env.TARO_ENV !== 'h5' || installed) return
  installed = true
  let timers: ReturnType<typeof setTimeout>[] = []
  const settle = (delays: number[]) => {
    timers.forEach(clearTimeout)
    timers = delays.map((ms) => setTimeout(reconcilePages, ms))
  }
  Taro.eventCenter.on('__taroRouterChange', () => settle(SETTLE_MS))
  // a late hide can land at any time on a slow phone: whenever a page's classes change, check
  // again once the router has had a moment (a legitimate hide is of a page that is no longer on top)
  new MutationObserver((records) => {
    if (records.some((r) => (r.target as Element).classList?.contains('taro_page'))) settle([120, ...SETTLE_MS])
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'] })
}
