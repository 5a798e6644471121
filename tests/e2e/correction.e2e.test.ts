import type { Page } from 'playwright-core'
import { eventually, type Client, type TestCloud } from '../helpers/local-cloud'
import {
  clippedUnder,
  idFromUrl,
  issuedInvoice,
  openFresh,
  paidTopup,
  setLargeText,
  shown,
  signIn,
  untilWorker,
  endJourney,
  startJourney,
  type Journey,
} from '../helpers/h5-journey'

/**
 * 换开 in the H5 build, in Chromium, against the local cloud. Paid top-ups and invoices are
 * seeded over HTTP; the correction goes through the pages: 发票有误？申请换开 on the issued
 * invoice, pick another title, old vs new in the sheet, confirm, follow the progress to the new
 * invoice; then the chain on each of the three documents and the chips in 已开票. Second, an
 * enterprise buyer that booked the invoice (已入账): 待购买方确认 until the sandbox buyer
 * confirms. The second sheet is checked in 大字模式 (nothing clipped).
 */
let cloud: TestCloud
let page: Page
let me: Client
let shot: (name: string) => Promise<void>
const $ = (selector: string) => shown(page, selector)

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
function uscc(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + USCC_CHARSET.indexOf(ch) * USCC_WEIGHTS[i], 0)
  const c = 31 - (sum % 31)
  return first17 + USCC_CHARSET[c === 31 ? 0 : c]
}

const WRONG = { kind: 'enterprise', name: '武汉错误抬头有限公司', taxId: uscc('91420100MA4KXXXX3') }
const RIGHT = { kind: 'personal', name: '张小明', taxId: null }
const BOOKED_NEW = { kind: 'enterprise', name: '武汉正确科技有限公司', taxId: uscc('91420100MA4KYYYY5') }

/** The detail page's status chip reads 已开具 (the worker nudged while it does not). */
async function waitIssuedOnPage() {
  let checks = 0
  await untilWorker(cloud, async () => {
    const text = (
      await $('#invoice-status')
        .innerText()
        .catch(() => '')
    ).trim()
    if (text === '已开具') return true
    // the page watches with backoff; every few checks a reload asks at once
    checks += 1
    if (checks % 5 === 0) await page.reload()
    return null
  })
}

let journey: Journey
beforeAll(async () => {
  journey = await startJourney('correction')
  ;({ cloud, page, shot } = journey)
}, 60_000)
afterAll(() => endJourney(journey))

describe('换开 journey in the H5 build', () => {
  it('corrects an issued invoice to another title and shows the chain on all three documents and in 已开票', async () => {
    me = await signIn(page, cloud, '换开用户')
    const wrong = (await me.ok('profile', 'saveTitle', WRONG)).title
    const right = (await me.ok('profile', 'saveTitle', RIGHT)).title
    const orderId = await paidTopup(cloud, me, 5000, 'e2e-corr-order-0001')
    const original = await issuedInvoice(cloud, me, { orderIds: [orderId], titleId: wrong.id, clientToken: 'e2e-corr-inv-0001' })

    // the issued invoice offers 换开 under its actions
    await openFresh(page, `${cloud.url}/#/pages/invoice-detail/index?id=${original.id}`)
    await $('#correction-entry').waitFor()
    expect(await $('#paper-entry').count()).toBe(1)
    await $('#correction-entry').scrollIntoViewIfNeeded()
    await shot('detail-before')
    await $('#correction-entry').click()

    // pick the right title; the wrong (same) one would offer a re-send instead
    await page.waitForURL(/aftersales\/correction\/index/)
    await $(`#correction-title-${wrong.id}`).click()
    await $('#correction-same-title').waitFor()
    expect(await $('#correction-resend').count()).toBe(1)
    expect(await $('#correction-booked').count()).toBe(1) // the original's buyer is an enterprise

    // a title added in the title editor is there, and picked, on coming back
    await $('#correction-title-add').click()
    await page.waitForURL(/pages\/title-edit\/index/)
    await $('#title-kind-personal').click()
    await $('#title-name-input input').fill('王小红')
    await $('#title-save').click()
    await page.waitForURL(/aftersales\/correction\/index/)
    const added = ((await me.ok('profile', 'listTitles')).titles as { id: string; name: string }[]).find((t) => t.name === '王小红')!
    await $(`#correction-title-${added.id} .radio--on`).waitFor()

    await $(`#correction-title-${right.id}`).click()
    await $(`#correction-title-${right.id} .radio--on`).waitFor()
    await $('#correction-next').click()

    // old vs new, side by side; the tax ID masked
    await $('#correction-compare').waitFor()
    expect(await $('#compare-old').innerText()).toContain(WRONG.name)
    expect(await $('#compare-old').innerText()).not.toContain(WRONG.taxId)
    expect(await $('#compare-old').innerText()).toContain(WRONG.taxId.slice(-4))
    expect(await $('#compare-new').innerText()).toContain(RIGHT.name)
    expect(await $('#compare-amount').innerText()).toBe('¥50.00')
    expect(await $('#compare-notice').innerText()).toContain('原发票将被红冲作废，并开具一张新发票')
    await shot('sheet')
    await $('#correction-confirm').click()

    // progress, then the new invoice's detail
    await untilWorker(cloud, async () => /pages\/invoice-detail\/index/.test(page.url()))
    const newId = idFromUrl(page.url())
    expect(newId).not.toBe(original.id)
    await waitIssuedOnPage()
    expect(await $('#invoice-preview').innerText()).toContain(RIGHT.name)
    await $(`#detail-chip-replacement-${newId}`).waitFor()
    await $('#chain-original').waitFor()
    await $('#chain-original').scrollIntoViewIfNeeded()
    await shot('new-invoice')

    // the original: 已红冲, links to the red and the new invoice, no more 换开 or 纸质
    await $('#chain-original').click()
    await page.waitForURL(new RegExp(`id=${original.id}`))
    await $(`#detail-chip-reversed-${original.id}`).waitFor()
    await $('#chain-red').waitFor()
    await $('#chain-new').waitFor()
    expect(await $('#correction-entry').count()).toBe(0)
    expect(await $('#paper-entry').count()).toBe(0)
    await shot('original-reversed')

    // the red invoice: negative amount, the confirmation number, the remarks naming the blue number
    await $('#chain-red').click()
    await page.waitForURL(/pages\/invoice-detail\/index/)
    const redId = idFromUrl(page.url())
    expect(redId).not.toBe(original.id)
    await waitIssuedOnPage()
    await $(`#detail-chip-red-${redId}`).waitFor()
    expect(await $('#invoice-amount').innerText()).toContain('-¥50.00')
    expect(await $('#invoice-total').innerText()).toContain('-¥50.00')
    expect((await $('#confirmation-no').innerText()).trim()).not.toBe('—')
    await $('#invoice-remarks')
      .filter({ hasText: String(original.invoiceNo) })
      .waitFor()
    expect(await $('#invoice-remarks').innerText()).toContain('红字发票信息确认单编号')
    expect(await $('#correction-entry').count()).toBe(0)
    expect(await $('#paper-entry').count()).toBe(0)
    await $('#chain-original').waitFor()
    await shot('red')

    // 已开票: the three with their chips, the red one negative
    await openFresh(page, `${cloud.url}/#/pages/invoice/index`)
    await $('#seg-issued').click()
    await $(`#invoice-${redId}`).waitFor()
    await $(`#chip-red-${redId}`).waitFor()
    await $(`#chip-reversed-${original.id}`).waitFor()
    await $(`#chip-replacement-${newId}`).waitFor()
    expect(await $(`#invoice-${redId}`).innerText()).toContain('-¥50.00')
    expect(await $(`#invoice-${newId}`).innerText()).toContain('¥50.00')
    await shot('issued-list')
  }, 180_000)

  it('waits for an enterprise buyer that booked the invoice (已入账), in 大字模式, until the sandbox buyer confirms', async () => {
    const titles = (await me.ok('profile', 'listTitles')).titles as { id: string; name: string }[]
    const wrong = titles.find((t) => t.name === WRONG.name)!
    const booked = (await me.ok('profile', 'saveTitle', BOOKED_NEW)).title
    const orderId = await paidTopup(cloud, me, 2000, 'e2e-corr-order-0002')
    const original = await issuedInvoice(cloud, me, { orderIds: [orderId], titleId: wrong.id, clientToken: 'e2e-corr-inv-0002' })

    await setLargeText(page, cloud, true)
    await openFresh(page, `${cloud.url}/#/aftersales/correction/index?id=${original.id}`)
    await $(`#correction-title-${booked.id}`).click()
    await $('#correction-booked').click()
    await $('#correction-next').click()
    await $('#correction-compare').waitFor()
    expect(await $('#compare-notice').innerText()).toContain('72 小时')
    // 大字模式: larger text, and nothing in the sheet cut off or spilling sideways
    expect(await page.locator('.page.large #sheet').count()).toBe(1)
    expect(await clippedUnder(page, '#sheet')).toEqual([])
    const confirmBox = await $('#correction-confirm').boundingBox()
    expect(confirmBox!.height).toBeGreaterThanOrEqual(48)
    await shot('sheet-large')
    await $('#correction-confirm').click()

    // waiting for the buyer: the progress view, then the original's detail says so with the deadline
    await $('#correction-status').filter({ hasText: '待购买方确认' }).waitFor({ timeout: 30_000 })
    expect(await $('#correction-status-text').innerText()).toMatch(/截止 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
    await shot('awaiting-buyer')
    await openFresh(page, `${cloud.url}/#/pages/invoice-detail/index?id=${original.id}`)
    await $('#correction-active-status').filter({ hasText: '待购买方确认，截止' }).waitFor()
    expect(await $(`#detail-chip-reversed-${original.id}`).count()).toBe(0)
    await $('#correction-active').scrollIntoViewIfNeeded()
    await shot('detail-awaiting-buyer')

    // the sandbox buyer confirms in its tax account: the chain completes
    const { invoice } = await me.ok('invoice', 'get', { invoiceId: original.id })
    const correctionId = invoice.correction.active.id as string
    const decided = await cloud.dev('/dev/api/provider/red-confirmations', { requestNo: correctionId, decision: 'confirm' })
    expect(decided).toMatchObject({ ok: true })
    // the worker asks the provider about a waiting form every 10 minutes: move the clock past that
    await cloud.dev('/dev/api/clock', { offsetMs: 11 * 60_000 })
    await untilWorker(cloud, async () => (await me.ok('invoice', 'getCorrection', { correctionId })).correction.status === 'done')
    await page.reload()
    await $(`#detail-chip-reversed-${original.id}`).waitFor()
    await $('#chain-new').waitFor()
    await shot('detail-after-confirm-large')
    await setLargeText(page, cloud, false)
    await eventually(async () => (await page.locator('.page.large').count()) === 0)
  }, 180_000)
})
