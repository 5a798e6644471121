import fs from 'node:fs'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { H5_DIR, launchBrowser, SHOTS_DIR } from '../helpers/browser'
import { CARD_A, startTestCloud, type TestCloud } from '../helpers/local-cloud'

/**
 * The citizen's journey in the H5 build, in Chromium, against the local cloud:
 * sign in, bind a card, pick an amount, confirm, pay on the sandbox, see the order paid.
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

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`), fullPage: true })

describe('top-up journey in the H5 build', () => {
  it('signs in, binds a card, tops up 50 yuan, pays on the sandbox and sees the order paid', async () => {
    await page.goto(`${cloud.url}/#/pages/index/index`)
    // no session: the cloud client sends us to the local sign-in page
    await page.waitForURL(/\/dev\/login/)
    await page.fill('#name', '浏览器用户')
    await page.click('#login')

    // back on the home page, with no card yet
    await page.waitForURL(/pages\/index\/index/)
    await page.locator('#add-card').first().click()
    await page.waitForURL(/pages\/card-add\/index/)
    await page.locator('#card-no-input input').fill('3104 0000 1234 5674')
    await page.locator('#bind-card').click()
    await page.locator('#bind-error, #card-no-error').first().waitFor()
    await shot('card-add-error')
    await page.locator('#card-no-input input').fill(CARD_A)
    await page.locator('#card-nickname-input input').fill('上班卡')
    await page.locator('#bind-card').click()

    await page.waitForURL(/pages\/index\/index/)
    const card = page.locator('[id^="card-"]').filter({ hasText: '上班卡' }).first()
    await card.waitFor()
    await card.click()
    await page.locator('#amount-5000').click()
    await page.locator('#confirm-topup').click()
    await page.locator('#sheet-pay').waitFor()
    await shot('confirm-sheet')
    expect(await page.locator('#sheet-card-no').innerText()).toContain('5673')
    await page.locator('#sheet-pay').click()

    // the cloud-pay sandbox
    await page.waitForURL(/\/sandbox\/pay/)
    expect(await page.locator('.amount').innerText()).toBe('¥50.00')
    await shot('sandbox-pay')
    await page.click('#pay')

    // back in the app: the result page polls until the callback has settled the order
    await page.waitForURL(/pages\/pay-result\/index/)
    await page.locator('#result-status', { hasText: '支付成功' }).waitFor({ timeout: 15_000 })
    const orderId = (await page.locator('#order-id').innerText()).trim()
    expect(orderId).toMatch(/^WT\d{14}/)
    await shot('pay-result')

    // and in the order list
    await page.locator('#go-orders').click()
    await page.waitForURL(/pages\/orders\/index/)
    const row = page.locator(`#order-${orderId}`)
    await row.waitFor()
    expect(await row.innerText()).toContain('已支付')
    await shot('orders')

    // the server agrees
    const paid = cloud.runtime.db.prepare('SELECT status, amount_fen FROM topup_orders WHERE id = ?').get(orderId)
    expect(paid).toEqual({ status: 'paid', amount_fen: 5000 })
  }, 90_000)

  it('refuses a custom amount outside the limits on the page, before any order is made', async () => {
    await page.goto(`${cloud.url}/#/pages/index/index`)
    await page.locator('#amount-custom').click()
    await page.locator('#custom-amount-input input').fill('5000')
    await page.locator('#confirm-topup').click()
    await page.locator('#amount-error').waitFor()
    expect(await page.locator('#amount-error').innerText()).toMatch(/¥10\.00.*¥500\.00/)
    expect(cloud.runtime.db.prepare('SELECT COUNT(*) n FROM topup_orders WHERE amount_fen = 500000').get()).toEqual({ n: 0 })
  }, 30_000)

  it('大字模式 scales text at least 1.25x and keeps tap targets at least 48 px', async () => {
    await page.goto(`${cloud.url}/#/pages/index/index`)
    const chip = page.locator('#amount-5000')
    await chip.waitFor()
    const measure = () => chip.evaluate((el) => ({ font: parseFloat(getComputedStyle(el).fontSize), height: el.getBoundingClientRect().height }))
    const normal = await measure()

    await page.goto(`${cloud.url}/#/pages/mine/index`)
    await page.locator('#large-text-switch').click()
    await page.goto(`${cloud.url}/#/pages/index/index`)
    await page.reload()
    await chip.waitFor()
    const large = await measure()
    await shot('home-large-text')
    expect(large.font / normal.font).toBeGreaterThanOrEqual(1.25)
    expect(large.height).toBeGreaterThanOrEqual(48)
    const button = await page.locator('#confirm-topup').evaluate((el) => el.getBoundingClientRect().height)
    expect(button).toBeGreaterThanOrEqual(48)
  }, 30_000)
})
