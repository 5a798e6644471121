import fs from 'node:fs'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { H5_DIR, launchBrowser, SHOTS_DIR } from '../helpers/browser'
import { startTestCloud, type TestCloud } from '../helpers/local-cloud'

/**
 * Emergency notices in the H5 build, in Chromium, against the local cloud: staff set them
 * through the staff function (as the console would); the home page shows the ones for home,
 * even to a person without a card; an info notice can be closed, a critical one cannot.
 */
let cloud: TestCloud
let browser: BrowserContext
let page: Page

beforeAll(async () => {
  if (!fs.existsSync(path.join(H5_DIR, 'index.html'))) throw new Error('H5 build missing: run npm run build:h5 first')
  fs.mkdirSync(SHOTS_DIR, { recursive: true })
  cloud = await startTestCloud()
  browser = await launchBrowser()
  page = await browser.newPage()
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`))
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const until = () => new Date(Date.now() + 3600_000).toISOString()
async function setNotice(fields: Record<string, unknown>): Promise<string> {
  const r = (await cloud.invoke('staff', { action: 'setNotice', operator: '值班员', until: until(), reason: '演练', ...fields }, 'external')) as any
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.data.notice.id
}

it('shows the home notices on the home page; an info one closes, a critical one stays', async () => {
  const critical = await setNotice({ level: 'critical', text: '支付服务故障，请暂缓充值', pages: 'home' })
  const info = await setNotice({ level: 'info', text: '今晚 23:00 起系统维护十分钟', pages: 'all' })
  const invoiceOnly = await setNotice({ level: 'warning', text: '发票邮件发送延迟', pages: 'invoice' })

  await page.goto(`${cloud.url}/#/pages/index/index`)
  await page.waitForURL(/\/dev\/login/)
  await page.fill('#name', '公告用户')
  await page.click('#login')
  await page.waitForURL(/pages\/index\/index/)

  await page.locator(`#notice-${critical}`).waitFor()
  expect(await page.locator(`#notice-${critical}`).innerText()).toContain('支付服务故障，请暂缓充值')
  expect(await page.locator(`#notice-${info}`).innerText()).toContain('今晚 23:00 起系统维护十分钟')
  expect(await page.locator(`#notice-${invoiceOnly}`).count()).toBe(0)
  // critical first
  const ids = await page.locator('.notice-bar').evaluateAll((els) => els.map((e) => e.id))
  expect(ids).toEqual([`notice-${critical}`, `notice-${info}`])
  expect(await page.locator(`#notice-close-${critical}`).count()).toBe(0)
  await page.screenshot({ path: path.join(SHOTS_DIR, 'notice-home.png'), fullPage: true })

  await page.locator(`#notice-close-${info}`).click()
  await page.locator(`#notice-${info}`).waitFor({ state: 'detached' })
  expect(await page.locator(`#notice-${critical}`).isVisible()).toBe(true)
}, 60_000)
