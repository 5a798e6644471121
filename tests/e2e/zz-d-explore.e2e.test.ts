import { CARD_A } from '../helpers/local-cloud'
import { endJourney, openFresh, shown, signIn, startJourney, type Journey } from '../helpers/h5-journey'
let j: Journey
beforeAll(async () => { j = await startJourney('explore', { defaultTimeoutMs: 10_000 }) }, 60_000)
afterAll(() => endJourney(j))
const dump = (page: any) => page.evaluate(() => Array.from(document.querySelectorAll('.taro_page')).map((p) => `${(p as HTMLElement).id}|${getComputedStyle(p).display}|${(p as HTMLElement).innerText.slice(0, 20).replace(/\n/g, ' ')}`).join('\n'))
it('explores', async () => {
  const page = j.page
  const me = await signIn(page, j.cloud, '探索')
  await me.ok('card', 'bind', { cardNo: CARD_A, nickname: '上班卡' })
  await openFresh(page, `${j.cloud.url}/#/pages/index/index`)
  await page.locator('#amount-5000').waitFor()
  await page.locator('.weui-tabbar__item >> visible=true').nth(2).click()
  await page.waitForURL(/mine/)
  console.log('A', await dump(page))
  await shown(page, '#mine-cards').click()
  await page.waitForURL(/cards/)
  await page.waitForTimeout(100)
  console.log('B', await dump(page))
  await page.waitForTimeout(1000)
  console.log('C', await dump(page))
}, 60_000)
