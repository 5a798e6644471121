import type { Page } from 'playwright-core'
import { type Client, type TestCloud } from '../helpers/local-cloud'
import {
  clippedUnder,
  idFromUrl,
  issuedInvoice,
  paidTopup,
  setLargeText,
  signIn,
  staffCall,
  endJourney,
  startJourney,
  type Journey,
} from '../helpers/h5-journey'

/**
 * 邮寄纸质版 in the H5 build, in Chromium, against the local cloud: an issued invoice (seeded over
 * HTTP), the address form with its inline checks, the request's detail page, staff marking it
 * printed then mailed with a tracking number (the staff function called as the cloud console
 * calls it), and the person seeing 已寄出 with the number, on the request and on the invoice.
 * Then a second request cancelled before printing (a modal, since it is destructive).
 */
let cloud: TestCloud
let page: Page
let me: Client
let shot: (name: string) => Promise<void>

const TRACKING = 'SF1234567890123'

async function fillAddress(a: Record<string, string>) {
  for (const [key, value] of Object.entries(a)) await page.locator(`#paper-${key}-input input`).fill(value)
}

let journey: Journey
beforeAll(async () => {
  journey = await startJourney('paper')
  ;({ cloud, page, shot } = journey)
}, 60_000)
afterAll(() => endJourney(journey))

describe('paper copy journey in the H5 build', () => {
  it('requests a paper copy with the form; staff prints and mails it; the person sees 已寄出 and the tracking number', async () => {
    me = await signIn(page, cloud, '纸质件用户')
    const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '李晓华' })).title
    const orderId = await paidTopup(cloud, me, 10000, 'e2e-paper-order-0001')
    const invoice = await issuedInvoice(cloud, me, { orderIds: [orderId], titleId: title.id, clientToken: 'e2e-paper-inv-0001' })

    await page.goto(`${cloud.url}/#/pages/invoice-detail/index?id=${invoice.id}`)
    await page.locator('#paper-entry').click()
    await page.waitForURL(/aftersales\/paper\/index/)
    expect(await page.locator('#paper-hint').innerText()).toContain('与电子发票具有同等效力')
    // H5 has no WeChat address book: the form only
    expect(await page.locator('#paper-wechat-address').count()).toBe(0)

    // empty: every required field says what is missing, nothing is sent
    await page.locator('#paper-submit').click()
    await page.locator('#paper-recipient-error').waitFor()
    expect(await page.locator('#paper-phone-error').innerText()).toContain('请填写联系电话')
    expect(await page.locator('#paper-detail-error').count()).toBe(1)
    expect((await me.ok('aftersales', 'listPaper')).items).toHaveLength(0)

    // a wrong phone and postal code are caught on the field
    await fillAddress({
      recipient: '李晓华',
      phone: '1381234',
      province: '湖北省',
      city: '武汉市',
      district: '江汉区',
      detail: '解放大道 688 号 3 栋 502',
      postalCode: '4300',
    })
    await page.locator('#paper-phone-input input').blur()
    await page.locator('#paper-phone-error').filter({ hasText: '电话格式不正确' }).waitFor()
    await page.locator('#paper-postalCode-input input').blur()
    await page.locator('#paper-postalCode-error').filter({ hasText: '6 位数字' }).waitFor()
    await page.locator('#paper-submit').click()
    await page.locator('#paper-submit-error').filter({ hasText: '请按提示修改' }).waitFor()
    expect((await me.ok('aftersales', 'listPaper')).items).toHaveLength(0)
    await shot('form-errors')
    await fillAddress({ phone: '13812345678', postalCode: '430000' })
    await page.locator('#paper-submit').click()

    // the request: 已申请, the phone masked, 取消 offered before printing
    await page.waitForURL(/aftersales\/paper-detail\/index/)
    const paperId = idFromUrl(page.url())
    await page.locator('#paper-status').filter({ hasText: '已申请' }).waitFor()
    const addressText = await page.locator('#paper-address').innerText()
    expect(addressText).toContain('138****5678')
    expect(addressText).not.toContain('13812345678')
    expect(await page.locator('#paper-cancel').count()).toBe(1)
    await shot('requested')

    // staff (cloud console): printed, then mailed with a tracking number
    await staffCall(cloud, 'paperPrinted', { paperId })
    await page.reload()
    await page.locator('#paper-status').filter({ hasText: '已打印' }).waitFor()
    expect(await page.locator('#paper-cancel').count()).toBe(0)
    await staffCall(cloud, 'paperMailed', { paperId, carrier: '顺丰速运', trackingNo: TRACKING })
    await page.reload()
    await page.locator('#paper-status').filter({ hasText: '已寄出' }).waitFor()
    expect((await page.locator('#paper-tracking-no').innerText()).trim()).toBe(TRACKING)
    expect(await page.locator('#paper-status-text').innerText()).toContain('顺丰速运')
    expect(await page.locator('#paper-copy-tracking').count()).toBe(1)
    expect((await page.locator('#paper-timeline').innerText()).length).toBeGreaterThan(0)
    await shot('mailed')

    // 大字模式: the same page, bigger, nothing clipped
    await setLargeText(page, cloud, true)
    await page.goto(`${cloud.url}/#/aftersales/paper-detail/index?id=${paperId}`)
    await page.locator('#paper-tracking-no').waitFor()
    expect(await clippedUnder(page, '.page')).toEqual([])
    await shot('mailed-large')
    await setLargeText(page, cloud, false)

    // the invoice detail shows where the paper copy is
    await page.goto(`${cloud.url}/#/pages/invoice-detail/index?id=${invoice.id}`)
    await page.locator('#paper-status').filter({ hasText: TRACKING }).waitFor()
    expect(await page.locator('#paper-status').innerText()).toContain('已寄出')
    expect(await page.locator('#paper-entry').count()).toBe(0)
  }, 150_000)

  it('cancels a request before it is printed, after a modal', async () => {
    const title = (await me.ok('profile', 'listTitles')).titles[0]
    const orderId = await paidTopup(cloud, me, 2000, 'e2e-paper-order-0002')
    const invoice = await issuedInvoice(cloud, me, { orderIds: [orderId], titleId: title.id, clientToken: 'e2e-paper-inv-0002' })
    await page.goto(`${cloud.url}/#/aftersales/paper/index?id=${invoice.id}`)
    await fillAddress({ recipient: '李晓华', phone: '027-85551234', province: '湖北省', city: '武汉市', district: '武昌区', detail: '中北路 1 号' })
    await page.locator('#paper-submit').click()
    await page.waitForURL(/aftersales\/paper-detail\/index/)
    const paperId = idFromUrl(page.url())
    await page.locator('#paper-cancel').click()
    const modal = page.locator('.taro__modal').filter({ hasText: '取消邮寄' })
    await modal.locator('.taro-model__confirm').click()
    await page.locator('#paper-status').filter({ hasText: '已取消' }).waitFor()
    expect((await me.ok('aftersales', 'getPaper', { paperId })).paper.status).toBe('cancelled')

    // a cancelled request frees the invoice for a new one
    await page.goto(`${cloud.url}/#/pages/invoice-detail/index?id=${invoice.id}`)
    await page.locator('#paper-entry').waitFor()
  }, 120_000)
})
