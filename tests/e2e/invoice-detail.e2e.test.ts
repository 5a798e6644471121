import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { CARD_A, eventually, type Client } from '../helpers/local-cloud'
import { PHONE, endJourney, issuedInvoice, openFresh, paidTopup, setLargeText, shown, signIn, startJourney, type Journey } from '../helpers/h5-journey'

/**
 * The invoice detail page in the H5 build at 375x812 (Chromium, local cloud): its actions on the
 * first screen in normal and 大字模式, the PDF kept on the phone and opened again offline, the
 * preview's lines equal to the PDF's, and the re-send cooldown per address with its seconds.
 */
let j: Journey
let page: Page
let me: Client
let invoice: { id: string; invoiceNo: string; email: string }
const EMAIL = 'detail@example.com'
const OTHER = 'colleague@example.com'

const ACTIONS = ['#download-pdf', '#share-pdf', '#resend-email', '#action-correct', '#action-paper']

beforeAll(async () => {
  j = await startJourney('invoice-detail', { defaultTimeoutMs: 15_000, env: { INVOICE_RESEND_COOLDOWN_SECONDS: '120' } })
  page = j.page
  me = await signIn(page, j.cloud, '详情页用户')
  await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '上班卡' })
  // three top-ups on one invoice: the PDF prints three lines
  const orders = [
    await paidTopup(j.cloud, me, 3000, 'detail-o1'),
    await paidTopup(j.cloud, me, 2000, 'detail-o2'),
    await paidTopup(j.cloud, me, 1050, 'detail-o3'),
  ]
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '王小明' })).title
  invoice = await issuedInvoice(j.cloud, me, { orderIds: orders, titleId: title.id, email: EMAIL, clientToken: 'detail-invoice-1' })
  await j.cloud.smtp.waitFor({ to: EMAIL }, 10_000)
}, 90_000)
afterAll(() => endJourney(j))

async function openDetail() {
  await openFresh(page, `${j.cloud.url}/#/pages/invoice-detail/index?id=${encodeURIComponent(invoice.id)}`)
  await shown(page, '#invoice-status').filter({ hasText: '已开具' }).waitFor()
}

/** Where each action's box ends, in CSS px from the top of the first screen (no scrolling). */
async function actionBottoms(): Promise<Record<string, number>> {
  await page.evaluate(() => window.scrollTo(0, 0))
  const out: Record<string, number> = {}
  for (const sel of ACTIONS) {
    const box = await shown(page, sel).boundingBox()
    if (!box) throw new Error(`${sel} not shown`)
    out[sel] = Math.round(box.y + box.height)
  }
  return out
}

describe('invoice detail in the H5 build', () => {
  it('shows 下载 PDF, 转发, 发送到邮箱, 换开 and 邮寄纸质版 on the first screen, in normal and in 大字模式', async () => {
    await openDetail()
    const normal = await actionBottoms()
    await j.shot('first-screen')
    for (const [sel, bottom] of Object.entries(normal)) expect([sel, bottom <= PHONE.height]).toEqual([sel, true])
    // XML, fingerprints and history stay folded until asked for
    expect(await page.locator('#pdf-sha').count()).toBe(0)
    expect(await page.locator('#invoice-history').count()).toBe(0)

    await setLargeText(page, j.cloud, true)
    await openDetail()
    expect(await page.locator('.page.large').count()).toBeGreaterThan(0)
    const large = await actionBottoms()
    await j.shot('first-screen-large')
    for (const [sel, bottom] of Object.entries(large)) expect([sel, bottom <= PHONE.height]).toEqual([sel, true])
    await setLargeText(page, j.cloud, false)
  }, 60_000)

  it('keeps the PDF after one download and opens it again offline', async () => {
    await openDetail()
    expect(await page.locator('#pdf-kept').count()).toBe(0)
    const [first] = await Promise.all([page.waitForEvent('download'), shown(page, '#download-pdf').click()])
    const online = fs.readFileSync(await first.path())
    expect(online.subarray(0, 4).toString('latin1')).toBe('%PDF')
    await shown(page, '#pdf-kept').waitFor()

    await j.browser.setOffline(true)
    try {
      const [again] = await Promise.all([page.waitForEvent('download'), shown(page, '#download-pdf').click()])
      const offline = fs.readFileSync(await again.path())
      expect(offline.equals(online)).toBe(true)
      expect(again.suggestedFilename()).toBe(`发票_${invoice.invoiceNo}.pdf`)
    } finally {
      await j.browser.setOffline(false)
    }
  }, 60_000)

  it("draws the PDF's item lines in the preview, one per top-up", async () => {
    await openDetail()
    const rows = shown(page, '[id^="invoice-line-"]')
    expect(await rows.count()).toBe(3)
    const preview = await rows.evaluateAll((els) => els.map((el) => Array.from(el.children).map((c) => (c as HTMLElement).innerText.trim())))

    const [download] = await Promise.all([page.waitForEvent('download'), shown(page, '#download-pdf').click()])
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-detail-')), 'invoice.pdf')
    fs.copyFileSync(await download.path(), file)
    const text = execFileSync('/usr/bin/pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
    // the PDF's item lines: the amount and the rate of each, in order (the name may wrap there)
    const pdfLines = text
      .split('\n')
      .map((l) => /(-?\d+\.\d{2})\s+(不征税)\s+(\*\*\*|-?\d+\.\d{2})\s*$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2], m[3]])

    expect(preview.map(([, amount, rate, tax]) => [amount, rate, tax])).toEqual(pdfLines)
    expect(pdfLines.map((l) => l[0])).toEqual(['30.00', '20.00', '10.50'])
    for (const [name] of preview) expect(text.replace(/\s+/g, '')).toContain(name.replace(/\s+/g, ''))
  }, 60_000)

  it('counts down the seconds for the address just sent to and sends to another address at once', async () => {
    await openDetail()
    await shown(page, '#resend-email').click()
    const input = shown(page, '#resend-email-input input')
    await input.waitFor()
    expect(await input.inputValue()).toBe(EMAIL)

    // the issue mail went to this address a moment ago: the cloud says how long to wait
    await shown(page, '#resend-send').click()
    const wait = shown(page, '#resend-wait')
    await wait.waitFor()
    const secondsOf = async () => Number(/(\d+) 秒/.exec(await wait.innerText())?.[1])
    const first = await secondsOf()
    expect(first).toBeGreaterThan(60)
    expect(first).toBeLessThanOrEqual(120)
    expect(await shown(page, '#resend-send').innerText()).toContain('秒后可再次发送')
    await eventually(async () => (await secondsOf()) < first, 5000)
    await j.shot('resend-countdown')

    // another address has no wait
    await input.fill(OTHER)
    expect(await page.locator('#resend-wait >> visible=true').count()).toBe(0)
    await shown(page, '#resend-send').click()
    await j.cloud.smtp.waitFor({ to: OTHER }, 10_000)
    await page.locator('#resend-send >> visible=true').waitFor({ state: 'detached' })

    // and the first address still waits when asked again (the wait is the cloud's, per address)
    await shown(page, '#resend-email').click()
    await shown(page, '#resend-email-input input').fill(EMAIL.toUpperCase())
    await shown(page, '#resend-send').click()
    await shown(page, '#resend-wait').waitFor()
    expect(j.cloud.smtp.list({ to: EMAIL })).toHaveLength(1)
  }, 60_000)
})
