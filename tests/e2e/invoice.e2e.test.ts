import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { H5_DIR, launchBrowser, SHOTS_DIR } from '../helpers/browser'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * The invoice journey in the H5 build, in Chromium, against the local cloud: a paid top-up
 * (seeded through the HTTP API), then through the pages: add an enterprise title with the
 * inline tax-ID check, 发票 → 待开票, select, 开票, pick the title, confirm with an e-mail,
 * accept the subscribe stand-in, wait for 已开具 on the detail page, download the PDF, and
 * find the invoice in 已开票. Then 自动开票 from 设置 and the pay-result page.
 */
let cloud: TestCloud
let browser: BrowserContext
let page: Page
let me: Client

const USER = '开票用户'
const TITLE_NAME = '武汉测试科技有限公司'
const EMAIL = 'finance@example.com'

// ---- small helpers of this file ----

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** GB 32100: the 18th character of a 统一社会信用代码 from its first 17. */
function usccCheckChar(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + USCC_CHARSET.indexOf(ch) * USCC_WEIGHTS[i], 0)
  const c = 31 - (sum % 31)
  return USCC_CHARSET[c === 31 ? 0 : c]
}

const TAX_FIRST17 = '91420100MA4KXXXX3'
const TAX_ID = TAX_FIRST17 + usccCheckChar(TAX_FIRST17)
const TAX_ID_BAD = TAX_FIRST17 + USCC_CHARSET[(USCC_CHARSET.indexOf(usccCheckChar(TAX_FIRST17)) + 1) % 31]

/** after Taro's 300 ms page slide, so the picture shows one page */
const shot = async (name: string) => {
  await page.waitForTimeout(400)
  await page.screenshot({ path: path.join(SHOTS_DIR, `invoice-${name}.png`), fullPage: true })
}

/** A paid top-up, seeded through the HTTP API and the pay sandbox (the invoice part goes through the pages). */
async function paidTopup(amountFen: number, token: string): Promise<string> {
  const { cards } = await me.ok('card', 'list')
  const card = cards[0] ?? (await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '上班卡' })).card
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId: card.id, amountFen, clientToken: token })
  const prepayId = String(payment.package).replace('prepay_id=', '')
  const confirmed = await cloud.dev('/sandbox/pay/confirm', { prepayId })
  expect(confirmed).toMatchObject({ ok: true })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid', 10_000)
  return order.id as string
}

/** Taro H5 draws Taro.showModal as a DOM dialog; the subscribe stand-in is one of them. */
async function answerSubscribe(accept: boolean) {
  const modal = page.locator('.taro__modal').filter({ hasText: '订阅消息（本地模拟）' })
  await modal.locator(accept ? '.taro-model__confirm' : '.taro-model__cancel').click()
}

/** Waits for 已开具 on the detail page; runs the invoice worker by hand (every 4 s) while it stays 开具中. */
async function waitIssued(timeoutMs = 40_000) {
  const status = page.locator('#invoice-status')
  await status.waitFor()
  const started = Date.now()
  let nudges = 0
  for (;;) {
    const text = (await status.innerText()).trim()
    if (text === '已开具') return
    if (text === '开具失败')
      throw new Error(
        'invoice failed: ' +
          (await page
            .locator('#invoice-failure')
            .innerText()
            .catch(() => '')),
      )
    const elapsed = Date.now() - started
    if (elapsed > timeoutMs) throw new Error(`invoice still ${text} after ${timeoutMs} ms`)
    if (elapsed > 4000 * (nudges + 1)) {
      nudges += 1
      await cloud.dev('/dev/api/triggers/invoiceWorker', {}).catch(() => undefined)
      // the page polls every 2 s for 60 s; a reload starts a fresh watch should that run out
      if (nudges % 4 === 0) await page.reload()
    }
    await page.waitForTimeout(500)
  }
}

function idFromUrl(url: string): string {
  const query = url.split('?')[1] ?? ''
  return decodeURIComponent(new URLSearchParams(query).get('id') ?? '')
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(H5_DIR, 'index.html'))) throw new Error('H5 build missing: run npm run build:h5 first')
  fs.mkdirSync(SHOTS_DIR, { recursive: true })
  cloud = await startTestCloud()
  browser = await launchBrowser()
  page = await browser.newPage()
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`))
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

describe('invoice journey in the H5 build', () => {
  let invoiceId = ''

  it('adds an enterprise title, invoices a paid top-up from 待开票, sees 已开具 and downloads the PDF', async () => {
    expect(TAX_ID).toHaveLength(18)

    // sign in through the page (the session lands in localStorage and the cookie)
    await page.goto(`${cloud.url}/#/pages/index/index`)
    await page.waitForURL(/\/dev\/login/)
    await page.fill('#name', USER)
    await page.click('#login')
    await page.waitForURL(/pages\/index\/index/)

    // the same test user over HTTP: a bound card and a paid top-up of ¥50
    me = await cloud.login(USER)
    const orderId = await paidTopup(5000, 'e2e-invoice-order-0001')

    // 我的 → 发票抬头 → 新增抬头
    await page.goto(`${cloud.url}/#/pages/mine/index`)
    await page.locator('#mine-titles').click()
    await page.waitForURL(/pages\/titles\/index/)
    await page.locator('#titles-add-empty').click()
    await page.waitForURL(/pages\/title-edit\/index/)
    await page.locator('#title-kind-enterprise').click()
    await page.locator('#title-name-input input').fill(TITLE_NAME)

    // a wrong check character: the inline check warns, in amber, on blur
    await page.locator('#title-taxid-input input').fill(TAX_ID_BAD)
    await page.locator('#title-taxid-input input').blur()
    const hint = page.locator('#title-taxid-hint')
    await hint.filter({ hasText: '校验未通过' }).waitFor()
    expect(await hint.getAttribute('class')).toContain('field-hint--warn')
    await shot('title-taxid-warn')

    // the right one: green
    await page.locator('#title-taxid-input input').fill(TAX_ID.toLowerCase())
    await page.locator('#title-taxid-input input').blur()
    await hint.filter({ hasText: '校验通过' }).waitFor()
    expect(await hint.getAttribute('class')).toContain('field-hint--ok')
    expect(await page.locator('#title-taxid-input input').inputValue()).toBe(TAX_ID)
    await shot('title-edit')
    await page.locator('#title-save').click()

    // back in the list, the first title is the default, its tax ID masked
    await page.waitForURL(/pages\/titles\/index/)
    const titleRow = page.locator('[id^="titles-row-"]').filter({ hasText: TITLE_NAME })
    await titleRow.waitFor()
    const rowText = await titleRow.innerText()
    expect(rowText).toContain('默认')
    expect(rowText).toContain(`${TAX_ID.slice(0, 4)}`)
    expect(rowText).not.toContain(TAX_ID)
    await shot('titles')

    // 发票 → 待开票: select the paid order
    await page.goto(`${cloud.url}/#/pages/invoice/index`)
    const row = page.locator(`#pending-${orderId}`)
    await row.waitFor()
    await row.click()
    expect((await page.locator('#selected-count').innerText()).trim()).toBe('1')
    expect(await page.locator('#selected-total').innerText()).toBe('¥50.00')
    await shot('pending')

    // 开票 -> the title sheet (default pre-selected) -> the confirmation sheet
    await page.locator('#invoice-submit').click()
    const pick = page.locator('[id^="pick-title-"]').filter({ hasText: TITLE_NAME })
    await pick.waitFor()
    expect(await pick.locator('.radio--on').count()).toBe(1)
    await page.locator('#title-sheet-next').click()
    await page.locator('#invoice-confirm').waitFor()
    expect(await page.locator('#confirm-tax-id').innerText()).toBe(TAX_ID)
    expect(await page.locator('#invoice-confirm-amount').innerText()).toBe('¥50.00')

    // a bad e-mail is caught on the page
    await page.locator('#invoice-email-input input').fill('finance@')
    await page.locator('#invoice-confirm').click()
    await page.locator('#invoice-email-error').waitFor()
    await page.locator('#invoice-email-input input').fill(EMAIL)
    await shot('confirm')
    await page.locator('#invoice-confirm').click()

    // the H5 stand-in of the subscribe dialog, asked right after the tap
    await answerSubscribe(true)

    // the detail page: 开具中 first, then 已开具
    await page.waitForURL(/pages\/invoice-detail\/index/)
    invoiceId = idFromUrl(page.url())
    expect(invoiceId).not.toBe('')
    await shot('detail-issuing')
    await waitIssued()
    const invoiceNo = (await page.locator('#invoice-number').innerText()).trim()
    expect(invoiceNo).toMatch(/^\d{20}$/)
    expect(await page.locator('#invoice-preview').innerText()).toContain('伍拾圆整')
    // the fingerprints sit under the folded 更多信息
    await page.locator('#more-info-toggle').click()
    const pdfSha = (await page.locator('#pdf-sha').innerText()).trim()
    expect(pdfSha).toMatch(/^[0-9a-f]{16}$/)
    await shot('detail-issued')

    // 下载 PDF: a real download of a PDF whose fingerprint matches the page
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.locator('#download-pdf').click()])
    const file = await download.path()
    const bytes = fs.readFileSync(file)
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF')
    expect(download.suggestedFilename()).toMatch(/\.pdf$/)
    expect(crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16)).toBe(pdfSha)

    // 已开票 lists it, tax ID masked; 待开票 no longer offers the order
    await page.goto(`${cloud.url}/#/pages/invoice/index`)
    await page.locator('#seg-issued').click()
    const issuedRow = page.locator(`#invoice-${invoiceId}`)
    await issuedRow.waitFor()
    const issuedText = await issuedRow.innerText()
    expect(issuedText).toContain('已开具')
    expect(issuedText).toContain('¥50.00')
    expect(issuedText).toContain(TITLE_NAME)
    expect(issuedText).not.toContain(TAX_ID)
    await shot('issued-list')
    await page.locator('#seg-pending').click()
    await page.locator('#state-empty').filter({ hasText: '暂无可开票的充值' }).waitFor()
    expect(await page.locator(`#pending-${orderId}`).count()).toBe(0)
  }, 150_000)

  it('turns on 自动开票 in 设置, shows it on the home page, and the pay-result page links to the auto invoice', async () => {
    // 我的 → 设置: default e-mail and 自动开票
    await page.goto(`${cloud.url}/#/pages/mine/index`)
    await page.locator('#mine-settings').click()
    await page.waitForURL(/pages\/settings\/index/)
    await page.locator('#default-email-input input').waitFor()
    await page.locator('#default-email-input input').fill('not-an-email')
    await page.locator('#default-email-save').click()
    await page.locator('#default-email-error').waitFor()
    await page.locator('#default-email-input input').fill(EMAIL)
    await page.locator('#default-email-save').click()
    await eventually(async () => (await me.ok('profile', 'getSettings')).settings.defaultEmail === EMAIL, 5000)
    await page.locator('#auto-invoice-switch').click()
    await eventually(async () => (await me.ok('profile', 'getSettings')).settings.autoInvoice === true, 5000)
    await shot('settings')

    // the home page says how the invoice will come
    await page.goto(`${cloud.url}/#/pages/index/index`)
    await page.reload()
    const line = page.locator('#invoice-line')
    await line.filter({ hasText: '自动开票至' }).waitFor()
    expect(await line.innerText()).toContain(TITLE_NAME)
    expect(await line.innerText()).toContain('fi***@example.com')
    await shot('home-invoice-line')

    // a paid top-up: the result page shows the invoice and opens it after asking to subscribe
    const orderId = await paidTopup(2000, 'e2e-invoice-order-0002')
    await page.goto(`${cloud.url}/#/pages/pay-result/index?orderId=${orderId}&from=list`)
    await page.locator('#result-status', { hasText: '支付成功' }).waitFor({ timeout: 15_000 })
    const view = page.locator('#view-invoice')
    const until = Date.now() + 30_000
    while (!(await view.isVisible())) {
      if (Date.now() > until) throw new Error('no auto invoice on the pay-result page: ' + (await page.locator('#result-invoice-state').innerText()))
      await cloud.dev('/dev/api/triggers/invoiceWorker', {}).catch(() => undefined)
      await page.waitForTimeout(1000)
    }
    await shot('pay-result-invoice')
    await view.click()
    // this flow already asked when the first invoice was requested: no second dialog (once per flow)
    await page.waitForURL(/pages\/invoice-detail\/index/)
    expect(await page.locator('.taro-modal__content >> visible=true').filter({ hasText: '订阅消息（本地模拟）' }).count()).toBe(0)
    expect(idFromUrl(page.url())).not.toBe(invoiceId)
    await waitIssued()
    expect(await page.locator('#invoice-preview').innerText()).toContain('贰拾圆整')
  }, 120_000)
})
