import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { H5_DIR, launchBrowser, SHOTS_DIR } from '../helpers/browser'
import { CARD_A, CARD_B, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'
import { issuedInvoice, openFresh, paidTopup, PHONE, setLargeText, signIn, staffCall } from '../helpers/h5-journey'
import { auditPage, installClickTracker, LARGE_LIMITS, NORMAL_LIMITS, type AuditIssue, type AuditLimits } from '../helpers/a11y-audit'

/**
 * Every page of the H5 build (all pages and subpackage pages of app.config.ts, read from the file,
 * so a page added later is visited too), with realistic data seeded over HTTP, at 375x812 in
 * normal and 大字模式, plus the states drawn over a page (our bottom sheet, Taro's picker, toast
 * and modal). Each page fails on clipped or spilling content, content past the viewport, click
 * targets under 44 px (48 in 大字模式), text under 12 px (15), clickables without a role or
 * name, and axe-core serious / critical violations. A per-page report is written to
 * <tmp>/wt-screenshots/a11y-report-<pid>.md (the path is printed).
 */

interface AppConfig {
  pages: string[]
  subPackages?: { root: string; pages: string[] }[]
}

function appPages(): string[] {
  ;(globalThis as unknown as { defineAppConfig: (c: AppConfig) => AppConfig }).defineAppConfig = (c) => c
  const config = (require('../../miniprogram/src/app.config') as { default: AppConfig }).default
  return [...config.pages, ...(config.subPackages ?? []).flatMap((p) => p.pages.map((x) => `${p.root}/${x}`))]
}

const PAGES = appPages()

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
function uscc(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + USCC_CHARSET.indexOf(ch) * USCC_WEIGHTS[i], 0)
  const c = 31 - (sum % 31)
  return first17 + USCC_CHARSET[c === 31 ? 0 : c]
}

/** Long but real-looking texts: what clips first in 大字模式. */
const COMPANY = {
  kind: 'enterprise',
  name: '武汉市江汉区长江数字城市科技服务有限责任公司',
  taxId: uscc('91420103MA4KABCD1'),
  address: '武汉市江汉区建设大道568号新世界国贸大厦一座45层',
  phone: '027-85551234',
  bankName: '招商银行武汉分行营业部',
  bankAccount: '127905123410901',
}
const PERSON = { kind: 'personal', name: '王建国' }
const EMAIL = 'wang.jianguo@example.com'

let browser: BrowserContext
let cloud: TestCloud
let page: Page
let h5Copy = ''
let me: Client
const ids: Record<string, string> = {}
const report: Record<string, AuditIssue[]> = {}

function todayShanghai(): string {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** The route with the parameters a page needs to show real data (pages not listed take none). */
function routeOf(p: string): string {
  const params: Record<string, string> = {
    'pages/invoice-detail/index': `id=${ids.invoice}`,
    'pages/title-edit/index': `id=${ids.company}`,
    'pages/pay-result/index': `orderId=${ids.order}`,
    'aftersales/correction/index': `id=${ids.invoice}`,
    'aftersales/paper/index': `id=${ids.invoice2}`,
    'aftersales/paper-detail/index': `id=${ids.paper}`,
    'service/application-detail/index': `id=${ids.application}`,
    'service/application-new/index': 'type=supplement',
    'service/ticket-detail/index': `id=${ids.ticket}`,
    'service/ticket-new/index': `category=invoice_wrong&invoiceId=${ids.invoice}`,
    'enterprise/batch-detail/index': `id=${ids.batch}`,
  }
  return `/${p}${params[p] ? '?' + params[p] : ''}`
}

/** Opens a page on a fresh load and waits until it has drawn its data (no spinner left). */
async function visit(route: string) {
  await openFresh(page, `${cloud.url}/#${route}`)
  await page.locator('.page >> visible=true').first().waitFor()
  await page
    .waitForFunction(() => !Array.from(document.querySelectorAll('.spinner')).some((s) => s.getBoundingClientRect().height > 0), undefined, { timeout: 10_000 })
    .catch(() => undefined)
  // Taro's 300 ms page slide, so boxes are where they stay
  await page.waitForTimeout(400)
}

async function check(name: string, limits: AuditLimits): Promise<AuditIssue[]> {
  const issues = await auditPage(page, limits)
  report[name] = issues
  await page.screenshot({ path: path.join(SHOTS_DIR, `a11y-${name.replace(/[/ ?=&]+/g, '_')}.png`), fullPage: true })
  return issues
}

function writeReport() {
  const lines = ['# a11y: every page, normal and 大字模式', '']
  for (const [name, issues] of Object.entries(report)) {
    lines.push(`## ${name}: ${issues.length ? issues.length + ' issue(s)' : 'ok'}`)
    for (const i of issues) lines.push(`- ${i.kind}: ${i.what}`)
  }
  // one file per run: several people may run this suite at once
  const file = path.join(SHOTS_DIR, `a11y-report-${process.pid}.md`)
  fs.writeFileSync(file, lines.join('\n') + '\n')
  process.stdout.write(`a11y report: ${file}\n`)
}

/**
 * A copy of the H5 build taken under the build lock (shared: builds wait, readers do not): this
 * suite runs for minutes, and a build started meanwhile (other work in the same tree) empties
 * dist-h5 under it.
 */
function snapshotH5(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-a11y-h5-'))
  execFileSync('flock', ['-s', '/tmp/build.lock', 'cp', '-r', H5_DIR + '/.', dir])
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error('H5 build missing: run npm run build:h5 first')
  return dir
}

beforeAll(async () => {
  h5Copy = snapshotH5()
  fs.mkdirSync(SHOTS_DIR, { recursive: true })
  cloud = await startTestCloud({ h5Dir: h5Copy })
  browser = await launchBrowser()
  page = await browser.newPage()
  await page.setViewportSize(PHONE)
  page.setDefaultTimeout(15_000)
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`))
  await installClickTracker(page)
  me = await signIn(page, cloud, '王建国')

  const company = (await me.ok('profile', 'saveTitle', { ...COMPANY, isDefault: true })).title
  const person = (await me.ok('profile', 'saveTitle', PERSON)).title
  ids.company = company.id
  await me.ok('profile', 'updateSettings', { defaultEmail: EMAIL })
  await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '上班用的武汉通卡' })
  await me.ok('card', 'bind', { cardNo: CARD_B, nickname: '孩子的学生卡' })
  const o1 = await paidTopup(cloud, me, 10000, 'a11y-order-0001')
  const o2 = await paidTopup(cloud, me, 5000, 'a11y-order-0002')
  ids.order = await paidTopup(cloud, me, 3000, 'a11y-order-0003')
  await paidTopup(cloud, me, 2000, 'a11y-order-0004')
  ids.invoice = (await issuedInvoice(cloud, me, { orderIds: [o1], titleId: company.id, email: EMAIL, clientToken: 'a11y-invoice-0001' })).id
  ids.invoice2 = (await issuedInvoice(cloud, me, { orderIds: [o2], titleId: person.id, email: EMAIL, clientToken: 'a11y-invoice-0002' })).id
  const address = {
    recipient: '王建国',
    phone: '13812345678',
    province: '湖北省',
    city: '武汉市',
    district: '江汉区',
    detail: '建设大道568号新世界国贸大厦一座45层',
    postalCode: '430022',
  }
  ids.paper = (await me.ok('aftersales', 'requestPaper', { invoiceId: ids.invoice, address, clientToken: 'a11y-paper-0001' })).paper.id
  const { ticket } = await me.ok('aftersales', 'openTicket', {
    category: 'invoice_missing',
    text: '发票开好了但邮箱一直没有收到，麻烦帮忙看一下。',
    invoiceId: ids.invoice,
    clientToken: 'a11y-ticket-0001',
  })
  ids.ticket = ticket.id
  await staffCall(cloud, 'reply', { ticketId: ticket.id, text: '您好，发票已重新发送，请查看邮箱（含垃圾邮件箱）。' })
  const { application } = await me.ok('aftersales', 'apply', {
    type: 'supplement',
    offPlatform: [{ cardNo: CARD_A, date: todayShanghai(), amountFen: 5000, channel: 'machine' }],
    titleId: company.id,
    contactPhone: '13812345678',
    clientToken: 'a11y-apply-0001',
  })
  ids.application = application.id
  // a batch job (企业批量开票) whose start is lost, cancelled before it ran: its planned invoices stay 待处理
  await cloud.dev('/dev/api/invoke', { mode: 'lose' })
  const { job } = await me.ok('batch', 'create', {
    titleId: company.id,
    period: { kind: 'months', months: [todayShanghai().slice(0, 7)] },
    cards: { kind: 'all' },
    mode: 'per_card',
    clientToken: 'a11y-batch-0001',
  })
  await me.ok('batch', 'cancel', { jobId: job.id })
  await cloud.dev('/dev/api/invoke', { mode: 'run' })
  ids.batch = job.id
}, 420_000)

afterAll(async () => {
  writeReport()
  await browser?.close()
  await cloud?.close()
  if (h5Copy) fs.rmSync(h5Copy, { recursive: true, force: true })
})

describe.each([
  ['normal', NORMAL_LIMITS, false],
  ['大字模式', LARGE_LIMITS, true],
] as const)('every page in %s', (mode, limits, large) => {
  beforeAll(async () => {
    await setLargeText(page, cloud, large)
  }, 30_000)

  it.each(PAGES)('%s: nothing clipped, targets and text large enough, named, no serious axe violation', async (p) => {
    await visit(routeOf(p))
    expect(await check(`${mode} ${p}`, limits)).toEqual([])
  })

  it('添加卡片 with a whole card number typed and its check failing shows every digit', async () => {
    await visit('/pages/card-add/index')
    await page.locator('#card-no-input input >> visible=true').fill('3104 0000 1234 5674')
    await page.locator('#bind-card >> visible=true').click()
    await page.locator('#bind-error, #card-no-error').first().waitFor()
    expect(await check(`${mode} typed: card-add`, limits)).toEqual([])
  })

  it('发票 on its 已开票 side (the issued list and its filters) passes the same checks', async () => {
    await visit('/pages/invoice/index')
    await page.locator('#seg-issued >> visible=true').click()
    await page.locator('.cell[id^="invoice-"] >> visible=true').first().waitFor()
    await page.waitForTimeout(300)
    expect(await check(`${mode} invoice: issued list`, limits)).toEqual([])
  })

  it('the bottom sheet (top-up confirmation) passes the same checks', async () => {
    await visit('/pages/index/index')
    await page.locator('[id^="amount-"] >> visible=true').first().click()
    await page.locator('#confirm-topup >> visible=true').click()
    await page.locator('#sheet >> visible=true').waitFor()
    await page.waitForTimeout(300)
    expect(await check(`${mode} sheet: top-up confirmation`, limits)).toEqual([])
  })

  it('the picker (date of an off-platform top-up) passes the same checks', async () => {
    await visit(routeOf('service/application-new/index'))
    await page.locator('#offplatform-add >> visible=true').click()
    await page.locator('#offplatform-date >> visible=true').click()
    await page.locator('.weui-picker__action >> visible=true').first().waitFor()
    await page.waitForTimeout(400)
    expect(await check(`${mode} picker: application date`, limits)).toEqual([])
  })

  it('the toast passes the same checks', async () => {
    await visit('/pages/settings/index')
    // Taro hides a toast after 1.5 s: timers of a second or more are dropped so it stays for the audit
    await page.evaluate(() => {
      const st = window.setTimeout
      window.setTimeout = ((fn: TimerHandler, ms?: number, ...rest: unknown[]) => ((ms ?? 0) >= 1000 ? 0 : st(fn, ms, ...rest))) as typeof window.setTimeout
    })
    await page.locator('#default-email-input input >> visible=true').fill(`li.${large ? 'large' : 'normal'}@example.com`)
    await page.locator('#default-email-save >> visible=true').click()
    // the wrapper has no box of its own (its children are fixed): wait for the words
    await page.locator('.taro__toast p', { hasText: '邮箱已保存' }).first().waitFor()
    await page.waitForTimeout(200)
    expect(await check(`${mode} toast: e-mail saved`, limits)).toEqual([])
  })

  it('the modal passes the same checks', async () => {
    await visit('/pages/cards/index')
    await page.locator('[id^="remove-"] >> visible=true').first().click()
    await page.locator('.taro-modal__content >> visible=true').first().waitFor()
    await page.waitForTimeout(300)
    expect(await check(`${mode} modal: remove card`, limits)).toEqual([])
    await page.locator('.taro-model__cancel >> visible=true').click()
  })
})
