import type { Page } from 'playwright-core'
import { eventually, type TestCloud } from '../helpers/local-cloud'
import { endJourney, issuedInvoice, paidTopup, shown, signIn, startJourney, type Journey } from '../helpers/h5-journey'

/**
 * 对账单 in the H5 build, in Chromium: the chart (AntV F2 on a canvas) is drawn — the canvas has
 * painted pixels — and the table beside it gives the same figures as text.
 */
let journey: Journey
let cloud: TestCloud
let page: Page
beforeAll(async () => {
  journey = await startJourney('statement', { defaultTimeoutMs: 20_000 })
  ;({ cloud, page } = journey)
}, 60_000)
afterAll(() => endJourney(journey))

it('draws the month chart and the table of topped up / invoiced / not yet invoiced', async () => {
  const me = await signIn(page, cloud, '对账用户')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '赵对账' })).title
  const invoiced = await paidTopup(cloud, me, 10000, 'e2e-stmt-order-0001')
  await issuedInvoice(cloud, me, { orderIds: [invoiced], titleId: title.id, clientToken: 'e2e-stmt-inv-0001' })
  await paidTopup(cloud, me, 2550, 'e2e-stmt-order-0002')

  await page.goto(`${cloud.url}/#/pages/mine/index`)
  await shown(page, '#mine-statement').click()
  await page.waitForURL(/enterprise\/statement\/index/)
  const month = new Date(Date.now() + 8 * 3600_000).getUTCMonth() + 1
  const row = shown(page, `#stmt-row-${month}`)
  await row.waitFor()
  expect((await row.innerText()).replace(/\s+/g, ' ')).toMatch(/¥125\.50 ¥100\.00 ¥25\.50 36[45] 天/)
  expect(await shown(page, '#stmt-table').getAttribute('role')).toBe('table')

  // the chart: a canvas with pixels painted (bars, axes, legend)
  const painted = async () =>
    page.evaluate(() => {
      const canvas = Array.from(document.querySelectorAll<HTMLCanvasElement>('#stmt-chart canvas, canvas#stmt-chart')).find((c) => c.offsetParent !== null)
      if (!canvas || !canvas.width || !canvas.height) return 0
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
      let n = 0
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++
      return n
    })
  expect(await eventually(async () => ((await painted()) > 2000 ? painted() : null), 10_000)).toBeGreaterThan(2000)
  await journey.shot('chart')
}, 120_000)
