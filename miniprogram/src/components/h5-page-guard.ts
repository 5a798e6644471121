/**
 * H5 only: keeps exactly one page on screen. Two Back presses in quick succession reach Taro's
 * router as two overlapping POP renders; the second can leave a page it meant to remove still
 * displayed (or the page it meant to show hidden), so the next 我的卡片 opened over a stale copy or
 * showed blank. After every route change has settled (Taro slides pages for 300 ms), every page
 * element but the current one is hidden the way Taro hides them (`taro_page_shade`), and the
 * current one is shown.
 */
import Taro from '@tarojs/taro'

const SETTLE_MS = [350, 800]

function currentPath(): string | null {
  const pages = Taro.getCurrentPages()
  const top = pages[pages.length - 1] as { path?: string } | undefined
  return top?.path ?? Taro.getCurrentInstance().page?.path ?? null
}

function samePage(id: string, path: string): boolean {
  const norm = (s: string) => '/' + s.replace(/^\/+/, '')
  return norm(id) === norm(path)
}

export function reconcilePages(): void {
  const path = currentPath()
  if (!path) return
  const els = Array.from(document.querySelectorAll<HTMLElement>('.taro_page'))
  const current = els.find((el) => samePage(el.id, path))
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
