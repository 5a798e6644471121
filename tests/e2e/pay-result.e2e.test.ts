import path from 'node:path'
import type { Page } from 'playwright-core'
import { SHOTS_DIR } from '../helpers/browser'
import { CARD_A, type Client } from '../helpers/local-cloud'
import { endJourney, PHONE, setLargeText, signIn, startJourney, type Journey } from '../helpers/h5-journey'

/**
 * The pay result's resilience in Chromium at 375x812, normal and 大字模式, with Playwright's clock
 * standing in for the minutes: it keeps checking for 10 minutes (not 60 s), rides out an outage
 * and resumes when the network comes back, and says 支付未完成 / 继续支付 only for an order that is
 * definitely unpaid (the person cancelled) — never for one the pay side may still confirm.
 */
let j: Journey
let me: Client
let cardId: string
let n = 0

beforeAll(async () => {
  j = await startJourney('pay-result', { defaultTimeoutMs: 15_000 })
  me = await signIn(j.page, j.cloud, '支付结果用户')
  cardId = (await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '上班卡' })).card.id
}, 60_000)
afterAll(() => endJourney(j))

/** An order created but not paid yet; confirm() pays it on the sandbox (the callback settles it). */
async function unpaidOrder(): Promise<{ orderId: string; confirm: () => Promise<void> }> {
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 3000, clientToken: `e2e-pay-result-${++n}-${Date.now()}` })
  const prepayId = String(payment.package).replace('prepay_id=', '')
  return {
    orderId: order.id,
    confirm: async () => {
      expect(await j.cloud.dev('/sandbox/pay/confirm', { prepayId })).toMatchObject({ ok: true })
    },
  }
}

/** A page of its own with a fake clock (the session in localStorage is shared by the context). */
async function clockPage(): Promise<Page> {
  const page = await j.browser.newPage()
  await page.setViewportSize(PHONE)
  await page.clock.install()
  return page
}

const status = (page: Page) => page.locator('#result-status')

describe.each([
  ['normal', false],
  ['大字模式', true],
])('pay result (%s)', (mode, large) => {
  beforeAll(() => setLargeText(j.page, j.cloud, large), 30_000)

  it('keeps checking for 10 minutes without ever offering 继续支付, then says it is still being verified', async () => {
    const { orderId, confirm } = await unpaidOrder()
    const page = await clockPage()
    try {
      await page.goto(`${j.cloud.url}/#/pages/pay-result/index?orderId=${orderId}`)
      await status(page).filter({ hasText: '支付确认中' }).waitFor()
      // 5 minutes: the old page gave up after 60 s and said 支付未完成
      await page.clock.runFor('05:00')
      expect(await status(page).innerText()).toBe('支付确认中')
      expect(await page.locator('#repay').count()).toBe(0)
      // past 10 minutes: still no 未完成, but 正在核实 with 刷新 and customer service
      await page.clock.runFor('06:00')
      await status(page).filter({ hasText: '正在核实支付结果' }).waitFor()
      expect(await page.locator('#repay').count()).toBe(0)
      expect(await page.locator('#result-desc').innerText()).toContain('请不要重复支付')
      await page.screenshot({ path: path.join(SHOTS_DIR, `pay-result-${mode}-checking.png`), fullPage: true })
      // the late payment is confirmed; 刷新 shows it
      await confirm()
      await page.locator('#refresh-result').click()
      await status(page).filter({ hasText: '支付成功' }).waitFor()
    } finally {
      await page.close()
    }
  }, 60_000)

  it('rides out an outage and resumes as soon as the network comes back', async () => {
    const { orderId, confirm } = await unpaidOrder()
    const page = await clockPage()
    try {
      // the server cannot be reached from the start
      await page.route('**/functions/topup', (r) => r.abort('internetdisconnected'))
      await page.goto(`${j.cloud.url}/#/pages/pay-result/index?orderId=${orderId}`)
      await page.locator('#state-loading', { hasText: '网络不给力' }).waitFor()
      await page.clock.runFor('02:00')
      expect(await page.locator('#state-error').count()).toBe(0)
      expect(await page.locator('#repay').count()).toBe(0)
      // meanwhile the payment lands; the network comes back (the browser's online event)
      await confirm()
      await page.unroute('**/functions/topup')
      await page.context().setOffline(true)
      await page.context().setOffline(false)
      await status(page).filter({ hasText: '支付成功' }).waitFor()
    } finally {
      await page.close()
    }
  }, 60_000)

  it('says 支付未完成 with 继续支付 only when the person cancelled the payment', async () => {
    const { orderId } = await unpaidOrder()
    const page = await clockPage()
    try {
      await page.goto(`${j.cloud.url}/#/pages/pay-result/index?orderId=${orderId}&from=cancel`)
      await status(page).filter({ hasText: '支付未完成' }).waitFor()
      const repay = page.locator('#repay')
      expect(((await repay.getAttribute('class')) ?? '').includes('btn--primary')).toBe(true)
    } finally {
      await page.close()
    }
  }, 30_000)
})
