import type { Page } from 'playwright-core'
import { CARD_A, type Client } from '../helpers/local-cloud'
import { endJourney, issuedInvoice, openFresh, paidTopup, shown, signIn, startJourney, type Journey } from '../helpers/h5-journey'

/**
 * The resend sheet past the daily cap (H5 build at 375x812, local cloud): the cloud's message
 * (明天再试) is shown and stays when another address is typed, and the button rests.
 */
let j: Journey
let page: Page
let me: Client
let invoice: { id: string; invoiceNo: string; email: string }
const EMAIL = 'limit.owner@example.com'

beforeAll(async () => {
  j = await startJourney('resend-limit', {
    defaultTimeoutMs: 15_000,
    env: { INVOICE_RESEND_COOLDOWN_SECONDS: '0', INVOICE_RESEND_MAX_PER_INVOICE_PER_DAY: '1' },
  })
  page = j.page
  me = await signIn(page, j.cloud, '补发上限页面')
  await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '上班卡' })
  const order = await paidTopup(j.cloud, me, 3000, 'limit-o1')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '赵六' })).title
  invoice = await issuedInvoice(j.cloud, me, { orderIds: [order], titleId: title.id, email: EMAIL, clientToken: 'limit-invoice-1' })
  await j.cloud.smtp.waitFor({ to: EMAIL }, 10_000)
  // today's one re-send of this invoice is used up
  await me.ok('invoice', 'resend', { invoiceId: invoice.id, email: 'first.copy@example.com' })
}, 90_000)
afterAll(() => endJourney(j))

it('shows 明天再试 once the daily cap is reached and keeps the send button resting for any address', async () => {
  await openFresh(page, `${j.cloud.url}/#/pages/invoice-detail/index?id=${encodeURIComponent(invoice.id)}`)
  await shown(page, '#invoice-status').filter({ hasText: '已开具' }).waitFor()
  await shown(page, '#resend-email').click()
  const input = shown(page, '#resend-email-input input')
  await input.fill('second.copy@example.com')
  await shown(page, '#resend-send').click()

  const limit = shown(page, '#resend-limit')
  await limit.waitFor()
  expect(await limit.innerText()).toContain('明天再试')
  expect(await shown(page, '#resend-send').innerText()).toContain('今天已达上限')
  await j.shot('resend-limit')

  // another address would not help: the message stays and nothing is sent
  await input.fill('third.copy@example.com')
  expect(await shown(page, '#resend-limit').innerText()).toContain('明天再试')
  await shown(page, '#resend-send').click({ force: true })
  expect(j.cloud.smtp.list({ to: 'second.copy@example.com' })).toHaveLength(0)
  expect(j.cloud.smtp.list({ to: 'third.copy@example.com' })).toHaveLength(0)
}, 60_000)
