/**
 * Moving between pages. A move that fails (weapp refuses an eleventh page on the stack, a page
 * missing from the build) says so in a toast instead of leaving the tap without effect.
 */
import Taro from '@tarojs/taro'

const NAV_FAILED = '页面打开失败，请返回后重试'

function navFailed(): void {
  void Taro.showToast({ title: NAV_FAILED, icon: 'none' })
}

/** Where to go when there is no page to go back to: a tab page, or any other page (replacing this one). */
export type BackFallback = { tab: string } | { page: string }

function goTo(target: BackFallback): Promise<unknown> {
  return 'tab' in target ? Taro.switchTab({ url: target.tab }) : Taro.redirectTo({ url: target.page })
}

/** A new page on top of this one. */
export function openPage(url: string): void {
  Taro.navigateTo({ url }).catch(navFailed)
}

/** Another page in place of this one (Back skips it). */
export function replacePage(url: string): void {
  Taro.redirectTo({ url }).catch(navFailed)
}

/** One of the tab pages (switchTab takes no query). */
export function openTab(url: string): void {
  Taro.switchTab({ url }).catch(navFailed)
}

/**
 * Back to the page this one was opened from. With a fallback: when there is none (opened from a
 * share, a notice, a reload of H5) or going back fails, on to `fallback`. A failure is shown.
 */
export function goBack(fallback?: BackFallback): void {
  if (!fallback) {
    Taro.navigateBack().catch(navFailed)
    return
  }
  const moved = Taro.getCurrentPages().length > 1 ? Taro.navigateBack().catch(() => goTo(fallback)) : goTo(fallback)
  moved.catch(navFailed)
}

/**
 * A page's route parameter, URL-decoded; a malformed escape is kept as typed rather than
 * thrown (a hand-edited or truncated link must not crash the page). '' when absent.
 */
export function routeParam(value: string | undefined): string {
  if (!value) return ''
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
