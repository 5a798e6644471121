import { startJourney, endJourney, signIn, openFresh } from '../helpers/h5-journey'
it('probe', async () => {
  const j = await startJourney('probe', { defaultTimeoutMs: 15000 })
  try {
    await signIn(j.page, j.cloud, 'x')
    await openFresh(j.page, `${j.cloud.url}/#/pages/settings/index`)
    await j.page.locator('#default-email-input input >> visible=true').fill('li.normal@example.com')
    await j.page.locator('#default-email-save >> visible=true').click()
    await j.page.waitForTimeout(500)
    const r = await j.page.evaluate(() => Array.from(document.querySelectorAll('.taro__toast')).map((e) => (e as HTMLElement).outerHTML.slice(0, 400)))
    process.stderr.write(JSON.stringify(r) + '\n' + (await j.page.locator('#default-email-error').count()) + '\n')
    await j.page.screenshot({ path: '/tmp/hprobe/toast.png' })
  } finally { await endJourney(j) }
}, 60000)
