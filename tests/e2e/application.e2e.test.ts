import zlib from 'node:zlib'
import type { Page } from 'playwright-core'
import { CARD_A, type Client, type TestCloud } from '../helpers/local-cloud'
import { clippedUnder, idFromUrl, setLargeText, signIn, staffCall, untilWorker, endJourney, startJourney, type Journey } from '../helpers/h5-journey'

/**
 * 补开 in the H5 build, in Chromium, against the local cloud: the person files an application
 * for a top-up made at a service hall (not in our orders) through the form — card number with
 * its Luhn check, date, amount, channel, a receipt photo uploaded into their own folder, a
 * contact phone — and follows it in 我的 → 我的申请; staff start the review and approve it,
 * recording the off-platform top-up (the staff function called as the cloud console calls it);
 * the person sees 已完成 with the issued invoice and opens it (已开具).
 */
let cloud: TestCloud
let page: Page
let me: Client
let shot: (name: string) => Promise<void>

const USER = '补开用户'
const TITLE = '王建国'
const PHONE_NO = '13812345678'
const LUHN_BAD = '3104000012345674'

// ---- small helpers of this file ----

function crc32(buf: Buffer): number {
  let c = ~0
  for (const b of buf) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

/** A real PNG (solid colour, w x h) written here, so the upload carries true PNG bytes. */
function png(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([len, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, 0xc8)])
  const raw = Buffer.concat(Array.from({ length: h }, () => row))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A 1x1 GIF: a real image the browser shows, but not a type the form takes. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

/**
 * A tap on an element of a long form. After the page scrolled (the scroller sits inside Taro's
 * pull-to-refresh wrapper) Playwright's hit check names that wrapper as covering the element, while
 * the element really is the one at the point (elementFromPoint); so check that ourselves, then tap.
 */
async function tap(selector: string) {
  const el = page.locator(selector)
  await el.evaluate((node) => node.scrollIntoView({ block: 'center' }))
  const box = await el.boundingBox()
  if (!box) throw new Error(`${selector} has no box`)
  const hit = await page.evaluate(
    ([x, y, sel]) => {
      const at = document.elementFromPoint(x, y)
      return !!at && !!document.querySelector(sel)?.contains(at)
    },
    [box.x + box.width / 2, box.y + box.height / 2, selector] as const,
  )
  expect([selector, hit]).toEqual([selector, true])
  await el.click({ force: true })
}

async function pickFile(trigger: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), tap(trigger)])
  await chooser.setFiles(file)
}

/** Today in Asia/Shanghai, as the date picker gives it. */
function todayShanghai(): string {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

let journey: Journey
beforeAll(async () => {
  journey = await startJourney('application', { defaultTimeoutMs: 15_000 })
  ;({ cloud, page, shot } = journey)
}, 60_000)
afterAll(() => endJourney(journey))

describe('补开 application journey in the H5 build', () => {
  let applicationId = ''

  it('files an application for a service-hall top-up with a receipt photo through the form', async () => {
    me = await signIn(page, cloud, USER)
    await me.ok('profile', 'saveTitle', { kind: 'personal', name: TITLE })
    await me.ok('profile', 'updateSettings', { defaultEmail: 'wang@example.com' })

    // 我的 → 我的申请 (empty) → 申请补开发票
    await page.goto(`${cloud.url}/#/pages/mine/index`)
    await page.locator('#mine-applications').click()
    await page.waitForURL(/service\/applications\/index/)
    await page.locator('#state-empty:visible').waitFor()
    await page.locator('#applications-new').click()
    await page.waitForURL(/service\/application-new\/index/)

    // the default title is preselected, the default e-mail prefilled
    expect(await page.locator('#title-pick-name').innerText()).toBe(TITLE)
    expect(await page.locator('#apply-email-input input').inputValue()).toBe('wang@example.com')
    await page.locator('#supplement-orders-none').waitFor()

    // nothing chosen and no phone: each says what is missing, nothing is sent
    await page.locator('#apply-submit').click()
    await page.locator('#apply-what-error').waitFor()
    expect(await page.locator('#apply-phone-error').innerText()).toContain('联系电话')
    expect((await me.ok('aftersales', 'listApplications')).items).toHaveLength(0)

    // the off-platform top-up sheet: a mistyped card number fails the Luhn check on the page
    await tap('#offplatform-add')
    await page.locator('#offplatform-card-input input').fill(LUHN_BAD)
    await page.locator('#offplatform-amount-input input').fill('100')
    await page.locator('#offplatform-confirm').click()
    expect(await page.locator('#offplatform-card-error').innerText()).toContain('校验未通过')
    expect(await page.locator('#offplatform-date-error').innerText()).toContain('请选择充值日期')
    expect(await page.locator('#offplatform-channel-error').innerText()).toContain('请选择充值渠道')
    await page.locator('#offplatform-card-input input').fill(CARD_A)
    await page.locator('#offplatform-date').click()
    await page.locator('.weui-picker__action').last().click()
    await page.locator('#offplatform-date-value', { hasText: todayShanghai() }).waitFor()
    await page.locator('#offplatform-channel-service_hall').click()
    await shot('offplatform-sheet')
    await page.locator('#offplatform-confirm').click()
    const entry = page.locator('#offplatform-0')
    await entry.waitFor()
    expect(await entry.innerText()).toContain('服务网点 · ¥100.00')
    expect(await entry.innerText()).toContain('5673')
    expect(await entry.innerText()).not.toContain(CARD_A)

    // a GIF is refused with the reason; a PNG receipt is uploaded at once
    await pickFile('#apply-photo-add', { name: 'receipt.gif', mimeType: 'image/gif', buffer: GIF })
    expect(await page.locator('#apply-photo-notice').innerText()).toContain('JPG 或 PNG')
    expect(await page.locator('#apply-photo-0').count()).toBe(0)
    await pickFile('#apply-photo-add', { name: 'receipt.png', mimeType: 'image/png', buffer: png(64, 48) })
    await page.locator('#apply-photo-0 .photos__size').waitFor()

    await page.locator('#apply-phone-input input').fill('1381234')
    await page.locator('#apply-phone-input input').blur()
    await page.locator('#apply-phone-error').waitFor()
    await page.locator('#apply-phone-input input').fill(PHONE_NO)
    await page.locator('#apply-note-input textarea').fill('3 月在汉口火车站服务网点充值，小票见照片')
    expect(await page.locator('#apply-phone-error').count()).toBe(0)
    await shot('form')

    await page.locator('#apply-submit').click()
    // the H5 stand-in of WeChat's subscribe dialog (申请与反馈进度), asked right after the tap
    await page.locator('.taro__modal').filter({ hasText: '申请与反馈进度' }).locator('.taro-model__confirm').click()
    await page.waitForURL(/service\/application-detail\/index/)
    applicationId = idFromUrl(page.url())
    expect(applicationId).not.toBe('')
    await page.locator('#application-status[data-status="submitted"]').waitFor()
    // the phone is masked on the page; the photo landed under the person's own folder
    expect(await page.locator('#application-phone').innerText()).toBe('138****5678')
    const { application } = await me.ok('aftersales', 'getApplication', { applicationId })
    expect(application.offPlatform).toEqual([{ cardNo: CARD_A, date: todayShanghai(), amountFen: 10000, channel: 'service_hall' }])
    expect(application.photos).toHaveLength(1)
    expect(application.photos[0].fileId).toContain(me.openid)
    expect(application.contactPhoneMasked).toBe('138****5678')
    await shot('detail-submitted')

    // 我的申请 lists it with its chip, the phone nowhere in full
    await page.goto(`${cloud.url}/#/service/applications/index`)
    const row = page.locator(`#application-${applicationId}`)
    await row.waitFor()
    expect(await row.innerText()).toContain('已提交')
    expect(await page.locator('body').innerText()).not.toContain(PHONE_NO)
    await shot('list')
  }, 120_000)

  it('staff approve it recording the top-up; the person sees 已完成 and opens the issued invoice', async () => {
    const { application } = await me.ok('aftersales', 'getApplication', { applicationId })
    await staffCall(cloud, 'startReview', { applicationId })
    await staffCall(cloud, 'approve', { applicationId, offPlatform: application.offPlatform, reason: '小票与网点流水一致' })
    const done = await untilWorker(cloud, async () => {
      const { application: now } = await me.ok('aftersales', 'getApplication', { applicationId })
      return now.status === 'done' ? now : null
    })
    expect(done.resultInvoiceId).toBeTruthy()

    await page.goto(`${cloud.url}/#/service/application-detail/index?id=${applicationId}`)
    await page.locator('#application-status[data-status="done"]').waitFor()
    expect(await page.locator('#application-steps').innerText()).toContain('已完成')
    expect(await page.locator('#application-timeline').innerText()).toContain('客服')
    expect(await page.locator('#application-withdraw').count()).toBe(0)
    await shot('detail-done')

    await page.locator('#application-invoice').click()
    await page.waitForURL(/pages\/invoice-detail\/index/)
    expect(idFromUrl(page.url())).toBe(done.resultInvoiceId)
    await page.locator('#invoice-status', { hasText: '已开具' }).waitFor({ timeout: 20_000 })
    expect(await page.locator('#invoice-preview').innerText()).toContain(TITLE)
    await shot('invoice')
  }, 120_000)

  it('shows the form in 大字模式 with nothing clipped, and a withdrawn application says so', async () => {
    await setLargeText(page, cloud, true)
    await page.goto(`${cloud.url}/#/service/application-new/index?type=supplement`)
    await page.locator('#apply-submit').waitFor()
    expect(await clippedUnder(page, '.page')).toEqual([])
    await shot('form-large')

    // a second application, withdrawn through the modal
    const { title } = await me.ok('profile', 'saveTitle', { kind: 'personal', name: '王小明' })
    const { application } = await me.ok('aftersales', 'apply', {
      type: 'supplement',
      offPlatform: [{ cardNo: CARD_A, date: todayShanghai(), amountFen: 5000, channel: 'machine' }],
      titleId: title.id,
      contactPhone: PHONE_NO,
      clientToken: 'e2e-apply-withdraw-0001',
    })
    // a fresh load: Taro's H5 router would otherwise bring back the detail page already in its stack
    await page.goto(`${cloud.url}/#/service/application-detail/index?id=${application.id}`)
    await page.reload()
    await page.locator('#application-withdraw').click()
    await page.locator('.taro__modal').filter({ hasText: '撤回申请' }).locator('.taro-model__confirm').click()
    await page.locator('#application-status[data-status="withdrawn"]').waitFor()
    expect(await page.locator('#application-steps').innerText()).toContain('已撤回')
    expect(await clippedUnder(page, '.page')).toEqual([])
    await shot('withdrawn-large')
    await setLargeText(page, cloud, false)
  }, 60_000)
})
