import type { Page } from 'playwright-core'
import { CARD_A, eventually, type Client } from '../helpers/local-cloud'
import { clippedUnder, endJourney, openFresh, setLargeText, signIn, startJourney, untilWorker, type Journey } from '../helpers/h5-journey'

/**
 * The first top-up in the H5 build, in Chromium at 375x812, normal and 大字模式: the confirmation
 * sheet offers 支付成功后自动开票 with the title and e-mail typed inline; they become the defaults
 * (the next top-up's sheet says so instead of offering); the pay result leads with 查看发票
 * (auto) or 开票 (manual) as its primary action, 返回首页 secondary.
 */
let j: Journey
let page: Page

beforeAll(async () => {
  j = await startJourney('first-topup', { defaultTimeoutMs: 20_000 })
  page = j.page
}, 60_000)
afterAll(() => endJourney(j))

const isPrimary = async (selector: string) => ((await page.locator(selector).getAttribute('class')) ?? '').includes('btn--primary')

/** Home → 50 元 → 确认充值: the sheet is up. */
async function openSheet() {
  await openFresh(page, `${j.cloud.url}/#/pages/index/index`)
  await page.locator('#amount-5000').click()
  await page.locator('#confirm-topup').click()
  await page.locator('#sheet-pay').waitFor()
}

/** 去支付 → the pay sandbox → 支付 → back on the result page, paid. */
async function payOnSandbox() {
  await page.locator('#sheet-pay').click()
  await page.waitForURL(/\/sandbox\/pay/)
  await page.click('#pay')
  await page.waitForURL(/pages\/pay-result\/index/)
  await page.locator('#result-status', { hasText: '支付成功' }).waitFor({ timeout: 20_000 })
}

/** H5 keeps the local sign-in in localStorage: a new citizen signs in afresh. */
async function signOut() {
  await page.goto(`${j.cloud.url}/dev/login`)
  await page.evaluate(() => window.localStorage.removeItem('wt.session'))
}

async function bindCard(me: Client) {
  await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '上班卡' })
}

describe.each([
  ['normal', false],
  ['大字模式', true],
])('first top-up (%s)', (mode, large) => {
  let me: Client

  beforeAll(async () => {
    // a fresh citizen per mode: the offer is for the first top-up only
    await signOut()
    me = await signIn(page, j.cloud, `首充用户${large ? '大字' : ''}`)
    await bindCard(me)
    await setLargeText(page, j.cloud, large)
  }, 60_000)

  it('offers 自动开票 in the first sheet, saves title and e-mail as the defaults, and the result leads with 查看发票', async () => {
    await openSheet()
    const offer = page.locator('#auto-invoice-offer')
    await offer.waitFor()
    await page.locator('#offer-auto-switch').click()
    // the title must be named: a bad e-mail and an empty name are refused in the sheet, no order made
    await page.locator('#offer-email-input input').fill('not-an-email')
    await page.locator('#sheet-pay').click()
    await page.locator('#offer-name-error').waitFor()
    await page.locator('#offer-email-error').waitFor()
    const { items: none } = await me.ok('topup', 'listOrders', {})
    expect(none).toHaveLength(0)

    await page.locator('#offer-name-input input').fill('张三')
    await page.locator('#offer-email-input input').fill('zhangsan@example.com')
    await j.shot(`${mode}-sheet-offer`)
    expect(await clippedUnder(page, '#sheet')).toEqual([])
    await payOnSandbox()

    // remembered as the default: settings and the default title
    const settings = await me.ok('profile', 'getSettings')
    expect(settings.settings).toEqual({ autoInvoice: true, defaultEmail: 'zhangsan@example.com' })
    expect(settings.defaultTitle).toMatchObject({ name: '张三', kind: 'personal', isDefault: true })

    // the invoice comes by itself; 查看发票 is the primary action, 返回首页 secondary
    await untilWorker(j.cloud, async () => (await page.locator('#result-invoice-state').innerText()).includes('已开具'))
    expect(await isPrimary('#view-invoice')).toBe(true)
    expect(await isPrimary('#go-home')).toBe(false)
    expect(await page.locator('#go-invoice').count()).toBe(0)
    await j.shot(`${mode}-result-auto`)
    expect(await clippedUnder(page, '.page')).toEqual([])
    await page.locator('#view-invoice').click()
    await page.waitForURL(/pages\/invoice-detail\/index/)
    // viewing an issued invoice never asks for subscribe messages
    expect(await page.locator('.taro-modal__content >> visible=true').count()).toBe(0)
  }, 120_000)

  it('the next sheet says how the invoice will come instead of offering again', async () => {
    await openSheet()
    await page.locator('#sheet-invoice', { hasText: '支付成功后自动开票' }).waitFor()
    expect(await page.locator('#auto-invoice-offer').count()).toBe(0)
    expect(await page.locator('#sheet-title-name').innerText()).toBe('张三')
    await page.locator('#sheet-close').click()
  }, 60_000)
})

describe('a top-up without 自动开票', () => {
  it('leaves the switch off: nothing saved, and the result leads with 开票', async () => {
    await signOut()
    const me = await signIn(page, j.cloud, '手动开票用户')
    await bindCard(me)
    await setLargeText(page, j.cloud, false)
    await openSheet()
    await page.locator('#auto-invoice-offer').waitFor()
    await payOnSandbox()
    expect((await me.ok('profile', 'getSettings')).settings.autoInvoice).toBe(false)
    const go = page.locator('#go-invoice')
    await go.waitFor()
    expect(await isPrimary('#go-invoice')).toBe(true)
    expect(await isPrimary('#go-home')).toBe(false)
    await j.shot('result-manual')
    await go.click()
    await page.waitForURL(/pages\/invoice\/index/)
    await eventually(async () => (await me.ok('invoice', 'listUninvoiced', {})).items.length === 1, 5000)
  }, 120_000)
})
