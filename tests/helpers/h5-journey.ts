import fs from 'node:fs'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { H5_DIR, launchBrowser, SHOTS_DIR } from './browser'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from './local-cloud'

/**
 * Steps shared by the after-sales journeys in Chromium (H5 build on the local cloud): sign-in,
 * seeding paid top-ups and issued invoices over HTTP, staff calls as the cloud console makes
 * them, screenshots, 大字模式 and the clipping check.
 */

/** Phone-sized viewport of the screenshots the briefs ask for. */
export const PHONE = { width: 375, height: 812 }

/** Signs in through the local sign-in page, then returns the same user over HTTP. */
export async function signIn(page: Page, cloud: TestCloud, name: string): Promise<Client> {
  await page.goto(`${cloud.url}/#/pages/index/index`)
  await page.waitForURL(/\/dev\/login/)
  await page.fill('#name', name)
  await page.click('#login')
  await page.waitForURL(/pages\/index\/index/)
  return cloud.login(name)
}

/** A paid top-up through the API and the pay sandbox. */
export async function paidTopup(cloud: TestCloud, me: Client, amountFen: number, token: string): Promise<string> {
  const { cards } = await me.ok('card', 'list')
  const card = cards[0] ?? (await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '上班卡' })).card
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId: card.id, amountFen, clientToken: token })
  const prepayId = String(payment.package).replace('prepay_id=', '')
  expect(await cloud.dev('/sandbox/pay/confirm', { prepayId })).toMatchObject({ ok: true })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid', 10_000)
  return order.id as string
}

/** Runs the invoice worker by hand until `done` holds (issuing and corrections are asynchronous). */
export async function untilWorker<T>(cloud: TestCloud, done: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await done()
    if (v) return v
    if (Date.now() > until) throw new Error('condition not met in time (invoice worker nudged)')
    await cloud.dev('/dev/api/triggers/invoiceWorker', {}).catch(() => undefined)
    await new Promise((r) => setTimeout(r, 300))
  }
}

/** An invoice for the orders with the title, issued (the worker nudged while it is not). */
export async function issuedInvoice(
  cloud: TestCloud,
  me: Client,
  input: { orderIds: string[]; titleId: string; email?: string; clientToken: string },
): Promise<any> {
  const { invoice } = await me.ok('invoice', 'request', { email: null, ...input })
  return untilWorker(cloud, async () => {
    const { invoice: now } = await me.ok('invoice', 'get', { invoiceId: invoice.id })
    if (now.status === 'failed') throw new Error('invoice failed: ' + now.lastError)
    return now.status === 'issued' ? now : null
  })
}

/** A staff call the way the cloud console makes it: no openid, a non-wx_ source, an operator. */
export async function staffCall(cloud: TestCloud, action: string, input: Record<string, unknown>): Promise<any> {
  const res = (await cloud.invoke('staff', { action, operator: '客服小王', ...input }, 'external')) as { ok: boolean; data?: any; error?: unknown }
  if (!res.ok) throw new Error(`staff.${action} failed: ${JSON.stringify(res.error)}`)
  return res.data
}

/** Full-page screenshot after Taro's 300 ms page slide. */
export function shooter(page: Page, prefix: string) {
  return async (name: string) => {
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(SHOTS_DIR, `${prefix}-${name}.png`), fullPage: true })
  }
}

export interface Journey {
  cloud: TestCloud
  browser: BrowserContext
  page: Page
  shot: (name: string) => Promise<void>
}

/**
 * What every journey starts with: the H5 build (checked), a local cloud of its own, Chromium with
 * one phone-sized page whose script errors are reported, and screenshots named `<prefix>-…`.
 * `defaultTimeoutMs` makes a step that cannot happen fail with its locator, well before the test's
 * own timeout. Close with `endJourney`.
 */
export async function startJourney(
  prefix: string,
  opts: { viewport?: boolean; defaultTimeoutMs?: number; env?: Record<string, string> } = {},
): Promise<Journey> {
  if (!fs.existsSync(path.join(H5_DIR, 'index.html'))) throw new Error('H5 build missing: run npm run build:h5 first')
  fs.mkdirSync(SHOTS_DIR, { recursive: true })
  const cloud = await startTestCloud({ h5Dir: H5_DIR, ...(opts.env ? { env: opts.env } : {}) })
  const browser = await launchBrowser()
  const page = await browser.newPage()
  if (opts.viewport !== false) await page.setViewportSize(PHONE)
  if (opts.defaultTimeoutMs) page.setDefaultTimeout(opts.defaultTimeoutMs)
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`))
  return { cloud, browser, page, shot: shooter(page, prefix) }
}

export async function endJourney(j: Partial<Journey> | undefined): Promise<void> {
  await j?.browser?.close()
  await j?.cloud?.close()
}

/** 大字模式 on or off through 我的 → 设置 (a device preference kept in storage). */
export async function setLargeText(page: Page, cloud: TestCloud, on: boolean): Promise<void> {
  await page.goto(`${cloud.url}/#/pages/settings/index`)
  const sw = page.locator('#settings-large-text-switch')
  await sw.waitFor()
  const isOn = async () => (await page.locator('.page.large').count()) > 0
  if ((await isOn()) !== on) await sw.click()
  await eventually(async () => (await isOn()) === on, 5000)
}

/**
 * Elements under `selector` whose content is wider than their box (cut off or spilling out),
 * plus the page itself scrolling sideways. An empty list means nothing is clipped.
 */
export async function clippedUnder(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = []
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`page ${document.documentElement.scrollWidth} > ${window.innerWidth}`)
    const root = document.querySelector(sel)
    if (!root) return [`${sel} missing`]
    for (const el of Array.from(root.querySelectorAll<HTMLElement>('*'))) {
      if (el.clientWidth === 0) continue
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className}: ${el.scrollWidth} > ${el.clientWidth} "${(el.innerText || '').slice(0, 30)}"`)
    }
    return out
  }, selector)
}

export function idFromUrl(url: string): string {
  const query = url.split('?')[1] ?? ''
  return decodeURIComponent(new URLSearchParams(query).get('id') ?? '')
}

/**
 * Opens a page on a fresh load of the app. Taro's H5 router keeps the pages of the stack in the
 * document (hidden), and a hash-only goto is an in-app navigation; a fresh load has one page.
 */
export async function openFresh(page: Page, url: string): Promise<void> {
  await page.goto('about:blank')
  await page.goto(url)
}

/** The element as shown on the current page (stacked pages keep theirs, hidden, with the same ids). */
export function shown(page: Page, selector: string) {
  return page.locator(`${selector} >> visible=true`)
}
