import path from 'node:path'
import { SHOTS_DIR } from '../helpers/browser'
import { CARD_A, eventually, type Client } from '../helpers/local-cloud'
import { endJourney, openFresh, paidTopup, setLargeText, shown, signIn, startJourney, type Journey } from '../helpers/h5-journey'

/**
 * Two small journeys in Chromium at 375x812: the 开票提醒 subscription is asked once when the
 * person leaves a manual top-up's pay result un-invoiced (never when viewing it from the list),
 * and 设置 → 删除个人数据 explains what is kept, takes the typed phrase and deletes.
 */
let j: Journey
let me: Client
let n = 0
beforeAll(async () => {
  j = await startJourney('account-reminder', { defaultTimeoutMs: 15_000 })
  me = await signIn(j.page, j.cloud, '删除与提醒用户')
}, 60_000)
afterAll(() => endJourney(j))

const reminderModal = () => j.page.locator('.taro-modal__content >> visible=true').filter({ hasText: '开票期限快到时提醒' })
const reminderQuota = async () => (await me.ok('profile', 'recordSubscriptions', { results: {} })).quota.invoiceReminder as number

describe('开票提醒 after a manual top-up', () => {
  it('is not asked when the pay result is only viewed from the list', async () => {
    const orderId = await paidTopup(j.cloud, me, 3000, `e2e-remind-${++n}-${Date.now()}`)
    await openFresh(j.page, `${j.cloud.url}/#/pages/pay-result/index?orderId=${orderId}&from=list`)
    await shown(j.page, '#go-invoice').waitFor()
    await shown(j.page, '#go-orders').click()
    await j.page.waitForURL(/pages\/orders\/index/)
    expect(await reminderModal().count()).toBe(0)
  }, 60_000)

  it('is asked once when leaving a fresh manual top-up un-invoiced, and the consent is recorded', async () => {
    const before = await reminderQuota()
    const orderId = await paidTopup(j.cloud, me, 3000, `e2e-remind-${++n}-${Date.now()}`)
    await openFresh(j.page, `${j.cloud.url}/#/pages/pay-result/index?orderId=${orderId}`)
    await shown(j.page, '#go-invoice').waitFor()
    await shown(j.page, '#go-home').click()
    await reminderModal().waitFor()
    await reminderModal().locator('.taro-model__confirm').click()
    await eventually(async () => (await reminderQuota()) === before + 1, 5000)
    // the same flow: another manual top-up's result does not ask again
    const second = await paidTopup(j.cloud, me, 3000, `e2e-remind-${++n}-${Date.now()}`)
    await j.page.goto(`${j.cloud.url}/#/pages/pay-result/index?orderId=${second}`)
    await shown(j.page, '#go-invoice').waitFor()
    await shown(j.page, '#go-home').click()
    await j.page.waitForURL(/pages\/index\/index/)
    expect(await reminderModal().count()).toBe(0)
    expect(await reminderQuota()).toBe(before + 1)
  }, 60_000)
})

describe('help where invoice problems start', () => {
  it('已开票 offers 没收到发票？ and opens 帮助与客服 on that topic', async () => {
    await openFresh(j.page, `${j.cloud.url}/#/pages/invoice/index`)
    await shown(j.page, '#seg-issued').click()
    const link = shown(j.page, '#help-link-issued')
    expect(await link.innerText()).toBe('没收到发票？查看帮助')
    await j.page.screenshot({ path: path.join(SHOTS_DIR, 'invoice-issued-help-link.png'), fullPage: true })
    // a tap where the link is drawn (Playwright's own hit check names the page's pull-to-refresh
    // wrapper, though elementFromPoint there is the link itself)
    const box = (await link.boundingBox())!
    await j.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await j.page.waitForURL(/service\/help\/index\?topic=lost/)
  }, 60_000)
})

describe.each([
  ['normal', false],
  ['大字模式', true],
])('设置 → 删除个人数据 (%s)', (mode, large) => {
  beforeAll(() => setLargeText(j.page, j.cloud, large), 30_000)

  it('explains what is kept, refuses a wrong phrase, deletes with the right one; invoices stay', async () => {
    const cards = (await me.ok('card', 'list')).cards as unknown[]
    if (cards.length === 0) await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '上班卡' })
    await me.ok('profile', 'saveTitle', { kind: 'personal', name: '王五' })
    await openFresh(j.page, `${j.cloud.url}/#/pages/settings/index`)
    await shown(j.page, '#delete-data-entry').click()
    const modal = j.page.locator('.taro-modal__content >> visible=true').filter({ hasText: '将保留' })
    await modal.waitFor()
    expect(await modal.innerText()).toContain('税法要求保存 30 年')
    await modal.locator('.taro-model__confirm').click()
    await shown(j.page, '#delete-data-input').waitFor()
    await j.page.screenshot({ path: path.join(SHOTS_DIR, `settings-delete-data-${mode}.png`), fullPage: true })

    await shown(j.page, '#delete-data-input input').fill('删除')
    await shown(j.page, '#delete-data-submit').click()
    expect(await shown(j.page, '#delete-data-error').innerText()).toContain('删除个人数据')
    expect((await me.ok('card', 'list')).cards).toHaveLength(1)

    await shown(j.page, '#delete-data-input input').fill('删除个人数据')
    await shown(j.page, '#delete-data-submit').click()
    await j.page.waitForURL(/pages\/index\/index/)
    expect((await me.ok('card', 'list')).cards).toEqual([])
    expect((await me.ok('profile', 'listTitles')).titles).toEqual([])
    // the top-ups (and any invoices) are kept
    expect((await me.ok('topup', 'listOrders', {})).items.length).toBeGreaterThan(0)
  }, 60_000)
})
