import type { Page } from 'playwright-core'
import { CARD_A, CARD_B, eventually, type Client, type TestCloud } from '../helpers/local-cloud'
import { clippedUnder, endJourney, idFromUrl, openFresh, setLargeText, shown, signIn, startJourney, type Journey } from '../helpers/h5-journey'

/**
 * 企业批量开票 in the H5 build, in Chromium, against the local cloud: paid top-ups on two cards
 * (one in the group 市场部, set on 我的卡片) are seeded over HTTP; the batch goes through the pages:
 * 我的 -> 企业批量开票, pick the title, the month and the group -> 预览 (the split) -> 开票 N 张 ->
 * the sheet -> 确认 -> the progress page -> the summary with a link to each invoice. Then the job
 * is found again from a fresh load (another device), and the progress page in 大字模式.
 */
let j: Journey
let cloud: TestCloud
let page: Page
let me: Client
const $ = (selector: string) => shown(page, selector)

beforeAll(async () => {
  j = await startJourney('batch', { defaultTimeoutMs: 20_000 })
  ;({ cloud, page } = j)
}, 60_000)
afterAll(() => endJourney(j))

async function paid(cardId: string, amountFen: number, n: number) {
  for (let i = 0; i < n; i++) {
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: `batch-e2e-${cardId}-${i}-${amountFen}` })
    await cloud.dev('/sandbox/pay/confirm', { prepayId: String(payment.package).replace('prepay_id=', '') })
    await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid', 10_000)
  }
}

it('previews, confirms and follows a batch to its summary; the job is found again from a fresh load', async () => {
  me = await signIn(page, cloud, '批量开票会计')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' })).title
  const a = (await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '张三的卡' })).card
  const b = (await me.ok('card', 'bind', { cardNo: CARD_B, nickname: '李四的卡' })).card
  await paid(a.id, 5000, 12) // 12 top-ups on card A: two invoices (10 per invoice at most)
  await paid(b.id, 2000, 2)

  // 分组 on 我的卡片: card A goes into 市场部
  await openFresh(page, `${cloud.url}/#/pages/cards/index`)
  await $(`#group-edit-${a.id}`).click()
  await $('#group-input input').fill('市场部')
  await $('#group-save').click()
  await $(`#group-${a.id}`).filter({ hasText: '市场部' }).waitFor()
  await j.shot('cards-group')

  // 我的 -> 企业批量开票
  await openFresh(page, `${cloud.url}/#/pages/mine/index`)
  await $('#mine-batch').click()
  await page.waitForURL(/enterprise\/batch\/index/)
  await $(`#batch-title-${title.id}`).waitFor()
  await $('#batch-cards-group').click()
  await $('#batch-group-市场部').click()
  await $('#batch-preview-btn').click()
  await $('#batch-preview-orders').filter({ hasText: '12 笔' }).waitFor()
  expect(await $('#batch-preview-total').innerText()).toContain('600.00')
  expect(await $('#batch-preview-invoices').innerText()).toContain('2 张')
  await j.shot('preview')

  // changing the form drops the preview: what is confirmed is what was previewed
  await $('#batch-cards-all').click()
  await $('#batch-preview-btn').waitFor()
  expect(await page.locator('#batch-preview >> visible=true').count()).toBe(0)
  await $('#batch-cards-group').click()
  await $('#batch-preview-btn').click()
  await $('#batch-confirm').filter({ hasText: '开票 2 张' }).click()
  await $('#batch-create').click()

  // the progress page, then the summary with a link to each invoice
  await page.waitForURL(/enterprise\/batch-detail\/index/)
  const jobId = idFromUrl(page.url())
  await $('#batch-progress-text').waitFor()
  await $('#batch-summary').filter({ hasText: '已完成' }).waitFor({ timeout: 40_000 })
  expect(await $('#batch-summary').innerText()).toContain('开具 2 张发票，覆盖 12 笔充值')
  expect(await $('#batch-progress-text').innerText()).toContain('2 / 2')
  await j.shot('summary')
  const jobs = (await me.ok('batch', 'list')).items
  expect(jobs.map((x: { id: string }) => x.id)).toEqual([jobId])
  // card B was not in the group: still waiting for an invoice
  expect((await me.ok('invoice', 'listUninvoiced')).items.map((o: { cardNo: string }) => o.cardNo)).toEqual([CARD_B, CARD_B])

  await $('#batch-item-1').click()
  await page.waitForURL(/pages\/invoice-detail\/index/)
  await $('#invoice-status').waitFor()

  // another device: a fresh load of the batch page lists the job, which opens its summary
  await openFresh(page, `${cloud.url}/#/enterprise/batch/index`)
  await $(`#batch-job-${jobId}`).click()
  await page.waitForURL(/enterprise\/batch-detail\/index/)
  await $('#batch-summary').waitFor()

  // 大字模式: the progress page, bigger, nothing clipped
  await setLargeText(page, cloud, true)
  await openFresh(page, `${cloud.url}/#/enterprise/batch-detail/index?id=${jobId}`)
  await $('#batch-summary').waitFor()
  expect(await clippedUnder(page, '.page')).toEqual([])
  await j.shot('summary-large')
  await setLargeText(page, cloud, false)
}, 150_000)

it('全选 over the caps offers the automatic split into N invoices and runs it; 已开票 filters by title and group', async () => {
  // signed out (the sign-in page is a plain page of the same origin): the next load asks who is there
  await openFresh(page, `${cloud.url}/dev/login`)
  await page.evaluate(() => localStorage.clear())
  await page.goto('about:blank')
  me = await signIn(page, cloud, '全选的会计')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉全选科技有限公司', taxId: '91420100MA4K0000XJ' })).title
  await me.ok('profile', 'saveTitle', { kind: 'personal', name: '王五' })
  const a = (await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '王五的卡' })).card
  await me.ok('card', 'setGroup', { cardId: a.id, group: '财务部' })
  await paid(a.id, 3000, 13) // 13 top-ups: over the 10-per-invoice cap

  await openFresh(page, `${cloud.url}/#/pages/invoice/index`)
  await $('#select-all').click()
  await $('#split-summary').filter({ hasText: '待开票共 13 笔' }).waitFor()
  expect(await $('#split-confirm').innerText()).toContain('按上限自动分成 2 张发票')
  expect(await page.locator('#selected-count >> visible=true').innerText()).toBe('0') // nothing ticked silently
  await $(`#split-title-${title.id}`).click()
  await j.shot('split-sheet')
  await $('#split-confirm').click()
  await page.waitForURL(/enterprise\/batch-detail\/index/)
  await $('#batch-summary').filter({ hasText: '已完成' }).waitFor({ timeout: 40_000 })
  expect(await $('#batch-summary').innerText()).toContain('开具 2 张发票，覆盖 13 笔充值')
  expect((await me.ok('invoice', 'listUninvoiced')).items).toEqual([])

  // 已开票: the group and title filters (the personal title has no invoice)
  await openFresh(page, `${cloud.url}/#/pages/invoice/index`)
  await $('#seg-issued').click()
  await $('#filter-group').waitFor()
  const rows = () => page.locator('[id^="invoice-INV"] >> visible=true').count()
  await eventually(async () => (await rows()) === 2, 10_000)
  await j.shot('issued-filters')
}, 150_000)
