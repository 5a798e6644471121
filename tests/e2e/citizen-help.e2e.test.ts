import type { Page } from 'playwright-core'
import { eventually } from '../helpers/local-cloud'
import { clippedUnder, endJourney, openFresh, setLargeText, shown, signIn, startJourney, type Journey } from '../helpers/h5-journey'

/**
 * 帮助与客服, 隐私政策, 用户协议 and 关于 in Chromium at 375x812, normal and 大字模式: reached from
 * 我的, searchable, guides step by step, the service phone and hours from the configuration
 * (SUPPORT_PHONE / SUPPORT_HOURS), and the error number shown (and copyable) with 系统繁忙.
 */
let j: Journey
let page: Page

const PHONE = '027-88886666'
const HOURS = '每天 8:00-20:00'

beforeAll(async () => {
  j = await startJourney('citizen-help', { defaultTimeoutMs: 15_000, env: { SUPPORT_PHONE: PHONE, SUPPORT_HOURS: HOURS } })
  page = j.page
  await signIn(page, j.cloud, '求助用户')
}, 60_000)
afterAll(() => endJourney(j))

/** Nothing cut off on the page shown now (Taro keeps the pages under it in the document, hidden). */
async function noClipping(name: string) {
  await page.evaluate(() => {
    const pages = Array.from(document.querySelectorAll('.taro_page'))
    pages.forEach((p) => p.removeAttribute('data-shown'))
    pages
      .filter((p) => getComputedStyle(p).display !== 'none')
      .pop()
      ?.setAttribute('data-shown', 'true')
  })
  expect(await clippedUnder(page, '[data-shown] .page')).toEqual([])
  await j.shot(name)
}

describe.each([
  ['normal', false],
  ['大字模式', true],
])('help and trust pages (%s)', (mode, large) => {
  beforeAll(() => setLargeText(page, j.cloud, large), 30_000)

  it('opens 帮助与客服 from 我的, finds a question by search and walks a guide step by step', async () => {
    await openFresh(page, `${j.cloud.url}/#/pages/mine/index`)
    await shown(page, '#mine-help').click()
    await page.waitForURL(/service\/help\/index/)
    await shown(page, '#guide-invoice').waitFor()
    await noClipping(`${mode}-help`)

    // search: the mail question, not the 专票 one
    await shown(page, '#help-search-input input').fill('没收到 邮件')
    await shown(page, '#faq-mail').waitFor()
    expect(await shown(page, '#faq-special').count()).toBe(0)
    await shown(page, '#faq-mail').click()
    expect(await shown(page, '#faq-mail-answer').innerText()).toContain('垃圾邮件箱')
    await shown(page, '#help-search-input input').fill('完全无关的词语')
    await shown(page, '#help-no-result').waitFor()
    await shown(page, '#help-search-input input').fill('')

    await shown(page, '#guide-correction').click()
    await page.waitForURL(/service\/help-guide\/index/)
    await shown(page, '#guide-step-3').waitFor()
    expect(await shown(page, '#guide-title').innerText()).toContain('换开')
    await noClipping(`${mode}-guide`)
    await shown(page, '#title-bar-back').click()
    await page.waitForURL(/service\/help\/index/)
  }, 60_000)

  it('opens the help of a topic from where the problem starts', async () => {
    await openFresh(page, `${j.cloud.url}/#/service/help/index?topic=lost`)
    await shown(page, '#help-topic-hint').waitFor()
    await shown(page, '#guide-lost').waitFor()
    expect(await shown(page, '#guide-topup').count()).toBe(0)
  }, 30_000)

  it('shows 隐私政策 (what, why, 30 years, how to delete) and 用户协议', async () => {
    await openFresh(page, `${j.cloud.url}/#/pages/mine/index`)
    await shown(page, '#mine-privacy').click()
    await page.waitForURL(/service\/privacy\/index/)
    const text = await shown(page, '#privacy-policy').innerText()
    for (const words of ['收集', '30 年', '怎样删除', '发票抬头', '邮箱']) expect(text).toContain(words)
    await noClipping(`${mode}-privacy`)

    await openFresh(page, `${j.cloud.url}/#/service/help/index`)
    await shown(page, '#help-agreement').click()
    await page.waitForURL(/service\/agreement\/index/)
    expect(await shown(page, '#user-agreement').innerText()).toContain('服务内容')
  }, 60_000)

  it('关于 shows the service phone and hours from the configuration', async () => {
    await openFresh(page, `${j.cloud.url}/#/pages/mine/index`)
    await shown(page, '#mine-about').click()
    await page.waitForURL(/pages\/about\/index/)
    await shown(page, '#about-phone-number').filter({ hasText: PHONE }).waitFor()
    expect(await shown(page, '#about-hours').innerText()).toBe(HOURS)
    await noClipping(`${mode}-about`)
    // and in 帮助与客服
    await openFresh(page, `${j.cloud.url}/#/service/help/index`)
    await shown(page, '#support-phone-number').filter({ hasText: PHONE }).waitFor()
  }, 30_000)

  it('shows the error number with 系统繁忙 and copies it', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: j.cloud.url })
    // the card function answers as an unexpected failure does: INTERNAL with the request id
    await page.route('**/functions/card', (r) =>
      r.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: '系统繁忙，请稍后重试', requestId: 'req-e2e-42' } }),
      }),
    )
    await openFresh(page, `${j.cloud.url}/#/pages/cards/index`)
    const error = shown(page, '#state-error')
    await error.waitFor()
    expect(await error.innerText()).toContain('错误编号 req-e2e-42，请把编号告诉客服')
    await noClipping(`${mode}-error-number`)
    await shown(page, '#copy-error-ref').click()
    await eventually(async () => (await page.evaluate(() => navigator.clipboard.readText())) === 'req-e2e-42', 5000)
    await page.unroute('**/functions/card')
  }, 30_000)
})
