import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import type { TestCloud } from '../helpers/local-cloud'
import { endJourney, issuedInvoice, paidTopup, shown, signIn, startJourney, type Journey } from '../helpers/h5-journey'

/**
 * 发票验真 in the H5 build, in Chromium: an accountant picks a forwarded PDF with the file input;
 * our file says 真实 with number, date, amount and seller (never the buyer); the same PDF with
 * one byte changed says 已被修改.
 */
let journey: Journey
let cloud: TestCloud
let page: Page
beforeAll(async () => {
  journey = await startJourney('verify', { defaultTimeoutMs: 20_000 })
  ;({ cloud, page } = journey)
}, 60_000)
afterAll(() => endJourney(journey))

async function check(file: string): Promise<string> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), shown(page, '#verify-choose-file').click()])
  await chooser.setFiles(file)
  await shown(page, '#verify-result').waitFor()
  return shown(page, '#verify-result').innerText()
}

it('says 真实 for our PDF and 已被修改 for the same PDF with one byte changed', async () => {
  const owner = await cloud.login('开票的人')
  const title = (await owner.ok('profile', 'saveTitle', { kind: 'personal', name: '保密的买方' })).title
  const orderId = await paidTopup(cloud, owner, 6600, 'e2e-verify-order-0001')
  const invoice = await issuedInvoice(cloud, owner, { orderIds: [orderId], titleId: title.id, clientToken: 'e2e-verify-inv-0001' })
  const files = await owner.ok('invoice', 'files', { invoiceId: invoice.id })
  const pdf = Buffer.from(await (await fetch(files.pdfUrl, { headers: { Authorization: `Bearer ${owner.token}` } })).arrayBuffer())
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-e2e-verify-'))
  const genuine = path.join(dir, `${invoice.invoiceNo}.pdf`)
  fs.writeFileSync(genuine, pdf)
  const altered = Buffer.from(pdf)
  altered[Math.floor(altered.length / 2)] ^= 0x01
  const alteredFile = path.join(dir, 'forwarded.pdf')
  fs.writeFileSync(alteredFile, altered)

  await signIn(page, cloud, '报销会计')
  await page.goto(`${cloud.url}/#/pages/mine/index`)
  await shown(page, '#mine-verify').click()
  await page.waitForURL(/enterprise\/verify\/index/)

  const ok = await check(genuine)
  expect(ok).toContain('真实')
  expect(ok).toContain(invoice.invoiceNo)
  expect(ok).toContain('¥66.00')
  expect(ok).not.toContain('保密的买方')
  await journey.shot('genuine')

  const bad = await check(alteredFile)
  expect(bad).toContain('已被修改')
  expect(bad).not.toContain(invoice.invoiceNo)
  await journey.shot('altered')
}, 120_000)
