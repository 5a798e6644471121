import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import type { TestCloud } from '../helpers/local-cloud'
import { endJourney, issuedInvoice, paidTopup, shown, signIn, startJourney, type Journey } from '../helpers/h5-journey'

/**
 * 导出全部发票 in the H5 build, in Chromium: one tap from 我的 starts the export of every issued
 * invoice, the page shows its progress and then 下载压缩包; the downloaded ZIP opens with unzip and
 * holds each invoice's PDF and XML and the ledger.
 */
let journey: Journey
let cloud: TestCloud
let page: Page
beforeAll(async () => {
  journey = await startJourney('export', { defaultTimeoutMs: 20_000 })
  ;({ cloud, page } = journey)
}, 60_000)
afterAll(() => endJourney(journey))

it('exports every invoice with one tap from 我的 and downloads the ZIP', async () => {
  const me = await signIn(page, cloud, '导出用户')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '王导出' })).title
  const invoices = []
  for (const [i, fen] of [5000, 7300].entries()) {
    const orderId = await paidTopup(cloud, me, fen, `e2e-export-order-000${i}`)
    invoices.push(await issuedInvoice(cloud, me, { orderIds: [orderId], titleId: title.id, clientToken: `e2e-export-inv-000${i}` }))
  }

  await page.goto(`${cloud.url}/#/pages/mine/index`)
  await shown(page, '#mine-export-all').click()
  await page.waitForURL(/enterprise\/exports\/index/)
  await shown(page, '#export-status').filter({ hasText: '已完成，共 2 张发票' }).waitFor()
  await journey.shot('done')

  const [download] = await Promise.all([page.waitForEvent('download'), shown(page, '#export-download').click()])
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-e2e-export-')), 'export.zip')
  await download.saveAs(file)
  const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n').sort()
  expect(names).toEqual([...invoices.flatMap((i) => [`invoices/${i.invoiceNo}.pdf`, `invoices/${i.invoiceNo}.xml`]), '发票台账.csv', '发票台账.xlsx'].sort())
  const csv = execFileSync('unzip', ['-p', file, '发票台账.csv'], { encoding: 'utf8' })
  for (const i of invoices) expect(csv).toContain(i.invoiceNo)
}, 120_000)
