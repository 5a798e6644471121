import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { H5_DIR, launchBrowser, SHOTS_DIR } from '../helpers/browser'
import { clippedUnder, endJourney, openFresh, paidTopup, PHONE, setLargeText, shooter, shown, signIn, type Journey } from '../helpers/h5-journey'
import { eventually, startTestCloud } from '../helpers/local-cloud'

/**
 * Un-invoiced top-ups in the H5 build, in Chromium at 375x812, on the local cloud: the invoice
 * chip of each order in 充值记录 (未开票 -> the 发票 tab with that order ticked; 已开票 -> the
 * invoice), the badge on the 发票 tab, the home line, and the SMS opt-in of 设置 with a code
 * read from the capture (/dev/api/sms). Normal and 大字模式.
 */
let j: Journey
beforeAll(async () => {
  // WT_H5_DIR: a private copy of the H5 build, so a concurrent build cannot empty it mid-test
  const h5Dir = process.env.WT_H5_DIR ?? H5_DIR
  if (!fs.existsSync(path.join(h5Dir, 'index.html'))) throw new Error('H5 build missing: run npm run build:h5 first')
  fs.mkdirSync(SHOTS_DIR, { recursive: true })
  const cloud = await startTestCloud({ h5Dir })
  const browser = await launchBrowser()
  const page = await browser.newPage()
  await page.setViewportSize(PHONE)
  page.setDefaultTimeout(15_000)
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`))
  j = { cloud, browser, page, shot: shooter(page, 'reminders') }
}, 60_000)
afterAll(() => endJourney(j))

const token = () => crypto.randomBytes(10).toString('hex')

it('shows each order’s invoice state, the 发票 tab badge and the home line; 去开票 ticks the order on the 发票 tab', async () => {
  const { page, cloud, shot } = j
  const me = await signIn(page, cloud, '提醒用户')
  const first = await paidTopup(cloud, me, 3000, token())
  const second = await paidTopup(cloud, me, 2000, token())
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
  const { invoice } = await me.ok('invoice', 'request', { orderIds: [first], titleId: title.id, email: null, clientToken: token() })
  await eventually(async () => (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.status === 'issued', 15_000)

  // home: the line and the badge count the one un-invoiced top-up
  await openFresh(page, `${cloud.url}/#/pages/index/index`)
  const line = shown(page, '#uninvoiced-line')
  await line.waitFor()
  expect(await line.innerText()).toMatch(/有 1 笔充值还未开票，最早 365 天后过期\s*去开票/)
  const badge = page.locator('.weui-tabbar__item >> nth=1 >> .weui-badge')
  await badge.waitFor()
  expect((await badge.innerText()).trim()).toBe('1')
  await shot('home')

  // 充值记录: 已开票 links to the invoice, 未开票 shows the days left and leads to the 发票 tab
  await openFresh(page, `${cloud.url}/#/pages/orders/index`)
  const issuedRow = shown(page, `#order-invoice-${first}`)
  await issuedRow.waitFor()
  expect(await issuedRow.innerText()).toContain('已开票')
  const todoRow = shown(page, `#order-invoice-${second}`)
  expect(await todoRow.innerText()).toMatch(/未开票[\s\S]*还可开票 365 天[\s\S]*去开票/)
  expect(await shown(page, `#order-invoice-go-${second}`).getAttribute('role')).toBe('link')
  await shot('orders')
  await shown(page, `#order-invoice-go-${first}`).click()
  await page.waitForURL(/pages\/invoice-detail\/index/)
  expect(decodeURIComponent(page.url())).toContain(invoice.id)

  await openFresh(page, `${cloud.url}/#/pages/orders/index`)
  await shown(page, `#order-invoice-go-${second}`).click()
  await page.waitForURL(/pages\/invoice\/index/)
  // the order arrives ticked in 待开票
  const ticked = shown(page, `#pending-${second}`)
  await ticked.waitFor()
  await eventually(async () => (await ticked.getAttribute('class'))?.includes('cell--selected') === true, 10_000)
  await shot('invoice-preselected')
}, 120_000)

it('in 大字模式 the chips, the home line and the SMS section are not clipped', async () => {
  const { page, cloud, shot } = j
  await setLargeText(page, cloud, true)
  try {
    await openFresh(page, `${cloud.url}/#/pages/orders/index`)
    await shown(page, '.order-invoice').first().waitFor()
    expect(await clippedUnder(page, '.orders')).toEqual([])
    await shot('orders-large')
    await openFresh(page, `${cloud.url}/#/pages/index/index`)
    await shown(page, '#uninvoiced-line').waitFor()
    expect(await clippedUnder(page, '#uninvoiced-line')).toEqual([])
    await openFresh(page, `${cloud.url}/#/pages/settings/index`)
    await shown(page, '#sms-section').waitFor()
    expect(await clippedUnder(page, '#sms-section')).toEqual([])
    await shot('settings-sms-large')
  } finally {
    await setLargeText(page, cloud, false)
  }
}, 60_000)

it('opts in to SMS in 设置 with a typed number and the 6-digit code, shown masked', async () => {
  const { page, cloud, shot } = j
  const phone = '13912345678'
  await openFresh(page, `${cloud.url}/#/pages/settings/index`)
  await shown(page, '#sms-section').waitFor()
  await shown(page, '#sms-phone-input input').fill('139123')
  await shown(page, '#sms-send-code').click()
  expect(await shown(page, '#sms-error').innerText()).toContain('11 位手机号码')
  await shown(page, '#sms-phone-input input').fill(phone)
  await shown(page, '#sms-send-code').click()
  await shown(page, '#sms-code-input').waitFor()
  expect(await shown(page, '#sms-hint').innerText()).toContain('139****5678')
  expect(await shown(page, '#sms-send-code').innerText()).toMatch(/\d+ 秒后重发/)
  const code = (await cloud.dev(`/dev/api/sms?phone=${phone}`)).sms[0].params[0] as string
  await shown(page, '#sms-code-input input').fill(code)
  await shot('settings-sms-code')
  await shown(page, '#sms-verify').click()
  await shown(page, '#sms-phone').waitFor()
  expect(await shown(page, '#sms-phone').innerText()).toContain('139****5678')
  expect(await page.locator('body').innerText()).not.toContain(phone)
  await shot('settings-sms-on')
}, 60_000)
