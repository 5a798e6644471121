import type { Page } from 'playwright-core'
import { eventually, type Client, type TestCloud } from '../helpers/local-cloud'
import {
  clippedUnder,
  idFromUrl,
  issuedInvoice,
  paidTopup,
  setLargeText,
  signIn,
  staffCall,
  untilWorker,
  endJourney,
  startJourney,
  type Journey,
} from '../helpers/h5-journey'

/**
 * 问题反馈 in the H5 build, in Chromium, against the local cloud: from an issued invoice the
 * person opens a 没收到发票 ticket; the invoice's real state (已开具, sent to a masked address)
 * and the self-help steps come first, and only 仍需人工帮助 opens the form (with the invoice
 * attached). Staff reply (the staff function as the cloud console calls it); the person sees the
 * reply and the 我的 badge, then closes the ticket and rates it 5 stars (large targets, also in
 * 大字模式). Also: 问题已解决 ends the self-help without a ticket.
 */
let cloud: TestCloud
let page: Page
let me: Client
let shot: (name: string) => Promise<void>

const EMAIL = 'finance@example.com'
const STAFF_REPLY = '您好，发票已于今天重新发送，请查看邮箱（含垃圾箱）。'

/** A fresh load of a page: Taro's H5 router would otherwise bring back the copy already in its stack. */
async function open(hashPath: string) {
  await page.goto(`${cloud.url}/#${hashPath}`)
  await page.reload()
}

let journey: Journey
beforeAll(async () => {
  journey = await startJourney('ticket', { defaultTimeoutMs: 15_000 })
  ;({ cloud, page, shot } = journey)
}, 60_000)
afterAll(() => endJourney(journey))

describe('ticket journey in the H5 build', () => {
  let invoiceId = ''
  let ticketId = ''

  it('shows the invoice state and self-help first, and 问题已解决 files nothing', async () => {
    me = await signIn(page, cloud, '反馈用户')
    const { title } = await me.ok('profile', 'saveTitle', { kind: 'personal', name: '赵丽' })
    const orderId = await paidTopup(cloud, me, 5000, 'e2e-ticket-order-0001')
    const invoice = await issuedInvoice(cloud, me, { orderIds: [orderId], titleId: title.id, email: EMAIL, clientToken: 'e2e-ticket-inv-0001' })
    invoiceId = invoice.id
    // the e-mail has gone out (the worker delivers it), so the self-help can say where to
    await untilWorker(cloud, async () => (await me.ok('invoice', 'get', { invoiceId })).invoice.history.some((e: { type: string }) => e.type === 'emailed'))

    // 问题反馈 from the invoice: the invoice is attached
    await open(`/pages/invoice-detail/index?id=${invoiceId}`)
    await page.locator('#cs-feedback').click()
    await page.waitForURL(/service\/ticket-new\/index/)
    expect(decodeURIComponent(page.url())).toContain(`invoiceId=${invoiceId}`)
    await page.locator('#ticket-cat-invoice_missing').click()

    const state = page.locator('#selfhelp-state')
    await state.waitFor()
    expect(await state.getAttribute('data-state')).toBe('emailed')
    const stateText = await state.innerText()
    expect(stateText).toContain('已于')
    expect(stateText).toContain('fi***@example.com')
    expect(stateText).not.toContain(EMAIL)
    expect(await page.locator('#selfhelp').innerText()).toContain('垃圾邮件箱')
    await page.locator('#selfhelp-resend').waitFor()
    // no form yet: most of these questions end here
    expect(await page.locator('#ticket-text-input').count()).toBe(0)
    await shot('selfhelp')

    await page.locator('#selfhelp-solved').click()
    await page.waitForURL(/pages\/invoice-detail\/index/)
    expect((await me.ok('aftersales', 'listTickets')).items).toHaveLength(0)
  }, 120_000)

  it('仍需人工帮助 opens the form; the ticket is filed with the invoice attached', async () => {
    await open(`/service/ticket-new/index?invoiceId=${invoiceId}`)
    await page.locator('#ticket-cat-invoice_missing').click()
    await page.locator('#selfhelp-need-help').click()
    await page.locator('#ticket-text-input').waitFor()
    expect(await page.locator('#ticket-attached').innerText()).toContain('已关联这张发票')

    // empty text and a bad phone: each says what to do, nothing is sent
    await page.locator('#ticket-phone-input input').fill('12345')
    await page.locator('#ticket-submit').click()
    await page.locator('#ticket-text-error').waitFor()
    expect(await page.locator('#ticket-phone-error').innerText()).toContain('11 位手机号')
    expect((await me.ok('aftersales', 'listTickets')).items).toHaveLength(0)

    await page.locator('#ticket-text-input textarea').fill('垃圾箱里也没有找到这张发票的邮件，麻烦帮忙看看。')
    await page.locator('#ticket-phone-input input').fill('')
    await shot('form')
    await page.locator('#ticket-submit').click()
    // the H5 stand-in of WeChat's subscribe dialog (申请与反馈进度), asked right after the tap
    await page.locator('.taro__modal').filter({ hasText: '申请与反馈进度' }).locator('.taro-model__confirm').click()
    await page.waitForURL(/service\/ticket-detail\/index/)
    ticketId = idFromUrl(page.url())
    expect((await page.locator('#ticket-status').innerText()).trim()).toBe('待回复')
    const { ticket } = await me.ok('aftersales', 'getTicket', { ticketId })
    expect(ticket).toMatchObject({ category: 'invoice_missing', invoiceId, status: 'open' })
    expect(ticket.messages).toHaveLength(1)
  }, 60_000)

  it('staff reply; the person sees the reply and the badge, closes and rates 5', async () => {
    await staffCall(cloud, 'reply', { ticketId, text: STAFF_REPLY })

    // 我的 shows one answered ticket
    await open('/pages/mine/index')
    await page.locator('#mine-tickets-badge').waitFor()
    expect((await page.locator('#mine-tickets-badge').innerText()).trim()).toBe('1')
    await page.locator('#mine-tickets').click()
    await page.waitForURL(/service\/tickets\/index/)
    const row = page.locator(`#ticket-${ticketId}`)
    await row.waitFor()
    expect(await row.innerText()).toContain('客服已回复')
    await shot('list')
    await row.click()
    await page.waitForURL(/service\/ticket-detail\/index/)

    const thread = page.locator('#ticket-thread')
    await thread.filter({ hasText: STAFF_REPLY }).waitFor()
    expect(await page.locator('[id^="ticket-msg-"][data-from="staff"]').count()).toBe(1)
    expect((await page.locator('#ticket-status').innerText()).trim()).toBe('客服已回复')
    await shot('reply')

    // 关闭并评价: five stars, each a large target
    await page.locator('#ticket-close').click()
    await page.locator('#rating-stars').waitFor()
    const star = await page.locator('#rating-star-5').boundingBox()
    expect(star!.width).toBeGreaterThanOrEqual(48)
    expect(star!.height).toBeGreaterThanOrEqual(48)
    await page.locator('#rating-star-5').click()
    expect(await page.locator('#rating-label').innerText()).toBe('非常满意')
    await shot('rating')
    await page.locator('#rating-submit').click()
    await page.locator('#ticket-rated').waitFor()
    expect(await page.locator('#ticket-rated').innerText()).toContain('★★★★★')
    expect((await page.locator('#ticket-status').innerText()).trim()).toBe('已关闭')
    await eventually(async () => {
      const { ticket } = await me.ok('aftersales', 'getTicket', { ticketId })
      return ticket.status === 'closed' && ticket.rating === 5
    })
    // closed: no reply box, no second rating
    expect(await page.locator('#ticket-reply-input').count()).toBe(0)
    expect(await page.locator('#ticket-close').count()).toBe(0)
  }, 60_000)

  it('shows the help page and the rating stars in 大字模式 with nothing clipped', async () => {
    await setLargeText(page, cloud, true)
    await open('/service/help/index')
    await page.locator('#faq-special').click()
    expect(await page.locator('#faq-special-answer').innerText()).toContain('不征税')
    // H5 has no WeChat customer-service chat: it says so and offers 问题反馈
    expect(await page.locator('#help-contact').count()).toBe(0)
    expect(await page.locator('#help-contact-h5').innerText()).toContain('微信')
    expect(await clippedUnder(page, '.page')).toEqual([])
    await shot('help-large')

    const { ticket } = await me.ok('aftersales', 'openTicket', { category: 'suggestion', text: '希望能按月导出发票', clientToken: 'e2e-ticket-large-0001' })
    await open(`/service/ticket-detail/index?id=${ticket.id}`)
    await page.locator('#ticket-close').click()
    await page.locator('#rating-stars').waitFor()
    const star = await page.locator('#rating-star-1').boundingBox()
    expect(star!.height).toBeGreaterThanOrEqual(48)
    expect(await clippedUnder(page, '#sheet')).toEqual([])
    await shot('rating-large')
    await page.locator('#rating-skip').click()
    await page.locator('#ticket-status', { hasText: '已关闭' }).waitFor()
    await setLargeText(page, cloud, false)
  }, 60_000)
})
