import type { Page } from 'playwright-core'
import { CARD_A, eventually } from '../helpers/local-cloud'
import { endJourney, openFresh, setLargeText, shown, signIn, startJourney, type Journey } from '../helpers/h5-journey'

/**
 * H5 navigation in Chromium at 375x812, normal and 大字模式: sub-pages have a title bar with 返回
 * (tab pages have the title only); a tab never opened before still shows its own error state with
 * 重试 when the server is down (not the previous page); two quick Back presses then 我的卡片 shows
 * the cards.
 */
let j: Journey
let page: Page

beforeAll(async () => {
  j = await startJourney('h5-nav', { defaultTimeoutMs: 15_000 })
  page = j.page
  const me = await signIn(page, j.cloud, '导航用户')
  await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '上班卡' })
}, 60_000)
afterAll(() => endJourney(j))

const tab = (n: number) => page.locator('.weui-tabbar__item >> visible=true').nth(n)

describe.each([
  ['normal', false],
  ['大字模式', true],
])('H5 navigation (%s)', (mode, large) => {
  beforeAll(() => setLargeText(page, j.cloud, large), 30_000)

  it('gives sub-pages a title bar with 返回 and tab pages a title only', async () => {
    await openFresh(page, `${j.cloud.url}/#/pages/mine/index`)
    await shown(page, '#title-bar-title').filter({ hasText: '我的' }).waitFor()
    expect(await shown(page, '#title-bar-back').count()).toBe(0)

    await shown(page, '#mine-cards').click()
    await page.waitForURL(/pages\/cards\/index/)
    await shown(page, '#title-bar-title').filter({ hasText: '我的卡片' }).waitFor()
    const back = shown(page, '#title-bar-back')
    const box = await back.boundingBox()
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(large ? 48 : 44)
    expect(await back.getAttribute('aria-label')).toBe('返回')
    await j.shot(`${mode}-cards-title-bar`)
    await back.click()
    await page.waitForURL(/pages\/mine\/index/)

    // opened by a link (nothing under it): 返回 leads home
    await openFresh(page, `${j.cloud.url}/#/pages/cards/index`)
    await shown(page, '#title-bar-back').click()
    await page.waitForURL(/pages\/index\/index/)
  }, 60_000)

  it('two quick Back presses, then 我的卡片 shows the cards (not a blank page)', async () => {
    await openFresh(page, `${j.cloud.url}/#/pages/index/index`)
    await tab(2).click()
    await page.waitForURL(/pages\/mine\/index/)
    for (let round = 0; round < 3; round++) {
      await shown(page, '#mine-cards').click()
      await page.waitForURL(/pages\/cards\/index/)
      // once the page slide has ended, one page is on screen (a stale copy left by the quick Backs is not)
      await eventually(async () => (await shown(page, '.taro_page').count()) === 1, 5000)
      await shown(page, '#cards-add').click()
      await page.waitForURL(/pages\/card-add\/index/)
      // two presses of the browser's Back, the second before the first page slide has ended
      await page.evaluate((gapMs) => {
        history.back()
        setTimeout(() => history.back(), gapMs)
      }, 30 * round)
      await page.waitForURL(/pages\/mine\/index/)
      await shown(page, '#mine-cards').click()
      await page.waitForURL(/pages\/cards\/index/)
      await shown(page, '[id^="mycard-"]')
        .first()
        .waitFor()
        .catch(async (e) => {
          await j.shot(`${mode}-quick-back-failed-${round}`)
          const pages = await page.evaluate(() =>
            Array.from(document.querySelectorAll('.taro_page')).map(
              (p) => `${p.id} ${getComputedStyle(p).display} [${p.className}] style=${p.getAttribute('style')} ${(p as HTMLElement).innerText.slice(0, 20)}`,
            ),
          )
          throw new Error(`${(e as Error).message}\n${pages.join('\n')}`)
        })
      expect((await shown(page, '.page').last().innerText()).length).toBeGreaterThan(10)
      await shown(page, '#title-bar-back').click()
      await page.waitForURL(/pages\/mine\/index/)
    }
  }, 90_000)

  it('with the server down, a tab not opened before shows its error state with 重试, then loads when it is back', async () => {
    await openFresh(page, `${j.cloud.url}/#/pages/index/index`)
    await page.locator('#amount-5000').waitFor()
    // the server goes away (every request refused)
    await page.route('**/*', (r) => r.abort('connectionrefused'))
    await tab(1).click()
    await page.waitForURL(/pages\/invoice\/index/)
    const error = shown(page, '#state-error')
    await error.waitFor()
    expect(await error.innerText()).toContain('重试')
    // the previous page is not what is shown
    expect(await shown(page, '#amount-5000').count()).toBe(0)
    await j.shot(`${mode}-tab-server-down`)

    await page.unroute('**/*')
    await shown(page, '#retry').click()
    await shown(page, '#state-error')
      .waitFor({ state: 'detached' })
      .catch(() => undefined)
    expect(await shown(page, '#state-error').count()).toBe(0)
  }, 60_000)
})
