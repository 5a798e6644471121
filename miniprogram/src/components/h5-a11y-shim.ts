/**
 * H5 only: Taro draws its toast, modal, action sheet, picker and tab bar as plain <div>/<a>
 * elements with click handlers and no roles, so a screen reader hears "可点击" without a name or
 * nothing at all. This gives them the roles WeChat's native ones have (button, dialog, status,
 * link with aria-current; Button gets role button) and hides their click-to-close masks (the named 取消 does the same).
 * One observer, coalesced to one pass per animation frame; only elements not yet done are touched.
 */

const RULES: [selector: string, attrs: Record<string, string>][] = [
  ['.taro-model__btn:not([role]), .weui-picker__action:not([role]), .taro-actionsheet__cell:not([role])', { role: 'button', tabindex: '0' }],
  ['.taro__actionSheet > div > div:last-child:not([role])', { role: 'button', tabindex: '0' }],
  ['.taro-modal__content:not([role]), .taro__actionSheet > div:last-child:not([role])', { role: 'dialog', 'aria-modal': 'true' }],
  ['.taro__toast:not([role])', { role: 'status', 'aria-live': 'polite' }],
  ['.taro-modal__mask:not([aria-hidden]), .weui-mask:not([aria-hidden]), .taro__actionSheet > div:first-child:not([aria-hidden])', { 'aria-hidden': 'true' }],
  // Taro's H5 <Button> is a custom element with no role of its own
  ['taro-button-core:not([role])', { role: 'button', tabindex: '0' }],
  ['.weui-tabbar:not([role])', { role: 'navigation', 'aria-label': '主菜单' }],
  ['.weui-tabbar__item:not([role])', { role: 'link', tabindex: '0' }],
]

function apply(): void {
  for (const [selector, attrs] of RULES) {
    document.querySelectorAll(selector).forEach((el) => {
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v)
    })
  }
  // a dialog is named by its title; the chosen tab is the current page
  document.querySelectorAll('.taro-modal__content').forEach((el) => {
    const title = el.querySelector('.taro-modal__title')?.textContent?.trim()
    if (title && el.getAttribute('aria-label') !== title) el.setAttribute('aria-label', title)
  })
  document.querySelectorAll('.weui-tabbar__item').forEach((el) => {
    const on = el.classList.contains('weui-bar__item_on')
    if (on && el.getAttribute('aria-current') !== 'page') el.setAttribute('aria-current', 'page')
    if (!on && el.hasAttribute('aria-current')) el.removeAttribute('aria-current')
  })
}

let installed = false

export function installH5A11yShim(): void {
  if (process.env.TARO_ENV !== 'h5' || installed || typeof MutationObserver === 'undefined') return
  installed = true
  let queued = false
  const schedule = () => {
    if (queued) return
    queued = true
    requestAnimationFrame(() => {
      queued = false
      apply()
    })
  }
  new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] })
  schedule()
}
