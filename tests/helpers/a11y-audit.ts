import type { Page } from 'playwright-core'

/**
 * The checks of issue 9 items 5 and 6, run in the H5 build on whatever the page shows now:
 * - overflow: an element with text whose content is wider than its box (cut off or spilling
 *   out), text cut vertically by overflow: hidden, and boxes reaching past the viewport;
 * - target: a click target under 44 CSS px (48 in 大字模式) high or wide;
 * - text: text under 12 CSS px (15 in 大字模式);
 * - name: a clickable element without a role, or without an accessible name;
 * - axe: axe-core's serious and critical violations (WCAG 2.x A/AA and best practices).
 * Clickable elements are found two ways: by role / native control, and by the click listeners
 * Taro's H5 components register (installClickTracker records every element given one), so a
 * View with onClick and no role is caught.
 */

export type AuditKind = 'overflow' | 'viewport' | 'target' | 'text' | 'name' | 'axe'

export interface AuditIssue {
  kind: AuditKind
  what: string
}

export interface AuditLimits {
  minTarget: number
  minText: number
}

export const NORMAL_LIMITS: AuditLimits = { minTarget: 44, minText: 12 }
export const LARGE_LIMITS: AuditLimits = { minTarget: 48, minText: 15 }

/** Before any navigation: remember every element that gets a click listener. */
export async function installClickTracker(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __clickables: Set<Element> }
    w.__clickables = new Set()
    const proto = EventTarget.prototype
    const add = proto.addEventListener
    proto.addEventListener = function (
      this: EventTarget,
      type: string,
      listener: EventListenerOrEventListenerObject | null,
      options?: AddEventListenerOptions | boolean,
    ) {
      if ((type === 'click' || type === 'tap') && this instanceof Element) w.__clickables.add(this)
      add.call(this, type, listener, options)
    }
  })
}

/** The geometry and naming checks (everything but axe) on the document as shown. */
export async function layoutIssues(page: Page, limits: AuditLimits): Promise<AuditIssue[]> {
  return page.evaluate((lim) => {
    const out: { kind: string; what: string }[] = []
    const vw = window.innerWidth
    const describe = (el: Element) => {
      const h = el as HTMLElement
      const cls = typeof h.className === 'string' ? h.className.trim().split(/\s+/).slice(0, 3).join('.') : ''
      const text = (h.innerText || h.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim().slice(0, 24)
      return `${el.tagName.toLowerCase()}${h.id ? '#' + h.id : ''}${cls ? '.' + cls : ''} "${text}"`
    }
    const shown = (el: Element) => {
      const r = el.getBoundingClientRect()
      if (r.width === 0 || r.height === 0) return false
      const cs = getComputedStyle(el)
      if (cs.visibility === 'hidden' || cs.display === 'none') return false
      // hidden by an ancestor's opacity 0 (Taro's closed toasts) or aria-hidden decoration
      for (let p: Element | null = el; p; p = p.parentElement) {
        if (getComputedStyle(p).opacity === '0') return false
      }
      return true
    }
    const scrollsX = (el: Element) => /(auto|scroll)/.test(getComputedStyle(el).overflowX)
    const inScroller = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrollsX(p)) return true
      return false
    }
    const placed = (el: Element, root: Element) => {
      for (let p: Element | null = el; p && p !== root; p = p.parentElement) if (/(absolute|fixed)/.test(getComputedStyle(p).position)) return true
      return false
    }
    const onlyPlacedOverflow = (el: Element) => {
      if (/(hidden|clip)/.test(getComputedStyle(el).overflowX)) return false
      const box = el.getBoundingClientRect()
      const beyond = Array.from(el.querySelectorAll('*')).filter((d) => {
        const r = d.getBoundingClientRect()
        return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)
      })
      return beyond.length > 0 && beyond.every((d) => placed(d, el))
    }
    const ownText = (el: Element) => Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '')

    if (document.documentElement.scrollWidth > vw + 1)
      out.push({ kind: 'viewport', what: `page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}` })

    const all = Array.from(document.body.querySelectorAll('*')).filter(shown)
    const pageText = document.body.innerText
    const reportedOut = new Set<Element>()
    for (const el of all) {
      const h = el as HTMLElement
      const cs = getComputedStyle(el)
      const text = (h.innerText || '').trim()
      // content wider than the box: cut off (overflow hidden / ellipsis) or spilling out; a badge
      // placed over a corner on purpose (position absolute, overflow visible) is not
      if (text && h.clientWidth > 0 && !scrollsX(el) && h.scrollWidth > h.clientWidth + 1 && !onlyPlacedOverflow(el)) {
        out.push({ kind: 'overflow', what: `${describe(el)} ${h.scrollWidth} > ${h.clientWidth}` })
      }
      // cut vertically (overflow hidden) or spilling out of a vertical-writing box
      const vertical = cs.writingMode.startsWith('vertical')
      if (text && h.clientHeight > 0 && (vertical || /(hidden|clip)/.test(cs.overflowY)) && h.scrollHeight > h.clientHeight + 1) {
        out.push({ kind: 'overflow', what: `${describe(el)} height ${h.scrollHeight} > ${h.clientHeight}` })
      }
      // past the viewport (outermost only; horizontal scrollers may hold wider content)
      const r = el.getBoundingClientRect()
      if ((r.right > vw + 1 || r.left < -1) && cs.position !== 'fixed' && !inScroller(el)) {
        let p = el.parentElement
        while (p && !reportedOut.has(p)) p = p.parentElement
        if (!p) out.push({ kind: 'viewport', what: `${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} of ${vw}` })
        reportedOut.add(el)
      }
      // a typed value wider than its field (a card number or tax ID scrolled out of sight),
      // unless the page also shows it in full as text
      const typed = (el as HTMLInputElement).value
      if (
        el.matches('input:not([type=checkbox]):not([type=radio]):not([type=hidden])') &&
        typed &&
        h.scrollWidth > h.clientWidth + 1 &&
        !pageText.includes(typed)
      ) {
        out.push({ kind: 'overflow', what: `${describe(el)} value "${(el as HTMLInputElement).value.slice(0, 24)}" ${h.scrollWidth} > ${h.clientWidth}` })
      }
      if (el.matches('textarea') && (el as HTMLTextAreaElement).value && h.scrollHeight > h.clientHeight + 1 && /(auto|scroll|hidden)/.test(cs.overflowY)) {
        out.push({ kind: 'overflow', what: `${describe(el)} text taller than the field: ${h.scrollHeight} > ${h.clientHeight}` })
      }
      // text size
      if (ownText(el)) {
        const size = parseFloat(cs.fontSize)
        if (size < lim.minText - 0.05) out.push({ kind: 'text', what: `${describe(el)} ${size.toFixed(1)}px < ${lim.minText}` })
      }
    }

    // click targets
    const INTERACTIVE_ROLES = /^(button|link|radio|checkbox|switch|tab|option|menuitem|menuitemradio|combobox)$/
    const native = 'button, a[href], input:not([type=hidden]), textarea, select, taro-button-core, .weui-picker__action'
    const tracked = (window as unknown as { __clickables?: Set<Element> }).__clickables ?? new Set<Element>()
    const targets = new Set<Element>()
    for (const el of all) {
      const role = el.getAttribute('role') ?? ''
      if (INTERACTIVE_ROLES.test(role) || el.matches(native)) targets.add(el)
    }
    for (const el of tracked) {
      if (!el.isConnected || !shown(el)) continue
      if (el === document.body || el === document.documentElement || el.id === 'app') continue
      // framework containers: Taro's router page wrappers and web-component internals
      if (
        el.matches(
          '.taro_page, .taro_router, .taro-tabbar__container, .taro-tabbar__panel, taro-picker-core, taro-switch-core, taro-input-core, taro-textarea-core',
        )
      )
        continue
      if (el.closest('[aria-hidden="true"]')) continue
      targets.add(el)
      const role = el.getAttribute('role') ?? ''
      const nativeCtl = el.matches(native) || el.closest('taro-picker-core, taro-button-core, .weui-tabbar__item, a[href]') !== null
      if (!role && !nativeCtl) out.push({ kind: 'name', what: `${describe(el)} is clickable but has no role` })
    }
    for (const el of targets) {
      if (el.closest('[aria-hidden="true"]')) continue
      const h = el as HTMLElement
      const name = (el.getAttribute('aria-label') ?? '').trim() || (h.innerText ?? '').trim() || el.getAttribute('aria-labelledby')
      const isField = el.matches('input, textarea, select')
      if (!name && !isField) out.push({ kind: 'name', what: `${describe(el)} has no accessible name` })
      const r = el.getBoundingClientRect()
      // a link inside a sentence is exempt (WCAG 2.5.8 inline exception)
      const inline = getComputedStyle(el).display === 'inline' && ownText(el.parentElement as Element)
      if (inline) continue
      if (r.height < lim.minTarget - 0.5 || r.width < lim.minTarget - 0.5)
        out.push({ kind: 'target', what: `${describe(el)} ${Math.round(r.width)}x${Math.round(r.height)} < ${lim.minTarget}` })
    }
    return out as { kind: AuditKind; what: string }[]
  }, limits)
}

const AXE_PATH = require.resolve('axe-core/axe.min.js')

/** axe-core's serious and critical violations on the document as shown. */
export async function axeIssues(page: Page): Promise<AuditIssue[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined')
  if (!loaded) await page.addScriptTag({ path: AXE_PATH })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: any[] }> } }).axe
    const res = await axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    })
    return res.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
      count: v.nodes.length,
    }))
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ kind: 'axe' as const, what: `${v.id} (${v.impact}, ${v.count}): ${v.targets.join(' | ')}` }))
}

/** Everything, deduplicated, in a stable order. */
export async function auditPage(page: Page, limits: AuditLimits): Promise<AuditIssue[]> {
  const issues = [...(await layoutIssues(page, limits)), ...(await axeIssues(page))]
  const seen = new Set<string>()
  return issues.filter((i) => {
    const key = i.kind + i.what
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
