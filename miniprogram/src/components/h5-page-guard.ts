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

function currentPath(): string | null {
  const pages = Taro.getCurrentPages()
  const top = pages[pages.length - 1] as { path?: string } | undefined
  return top?.path ?? Taro.getCurrentInstance().page?.path ?? null
}

const norm = (s: string) => '/' + s.replace(/^\/+/, '')

export function reconcilePages(): void {
  const path = currentPath()
  if (!path) return
  const els = Array.from(document.querySelectorAll<HTMLElement>('.taro_page'))
  const current = els.find((el) => norm(el.id) === norm(path))
  if (!current) return
  for (const el of els) {
    if (el === current) el.classList.remove('taro_page_shade')
    else el.classList.add('taro_page_shade')
  }
}

let installed = false

export function installH5PageGuard(): void {
  if (process.env.TARO_ENV !== 'h5' || installed) return
  installed = true
  let timers: ReturnType<typeof setTimeout>[] = []
  Taro.eventCenter.on('__taroRouterChange', () => {
    timers.forEach(clearTimeout)
    timers = SETTLE_MS.map((ms) => setTimeout(reconcilePages, ms))
  })
}
