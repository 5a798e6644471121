import crypto from 'node:crypto'
import type { BrowserContext } from 'playwright-core'
import { launchBrowser } from '../helpers/browser'
import { eventually, startTestCloud, type TestCloud } from '../helpers/local-cloud'

/**
 * The local staff page (/dev/staff), the stand-in for the cloud console: it calls the real
 * staff handler as the console does, renders queues, cases and the audit trail, and escapes
 * every value (operator names and what citizens typed are data, never markup).
 */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
}, 30_000)
afterAll(() => cloud.close())

const token = () => crypto.randomBytes(10).toString('hex')
const XSS_OPERATOR = '<script>alert(1)</script>'
const XSS_TEXT = '<img src=x onerror="window.__xss=1">没收到发票'

const get = async (path: string) => {
  const r = await fetch(cloud.url + path)
  return { status: r.status, text: await r.text() }
}
const post = async (path: string, body: unknown) => {
  const r = await fetch(cloud.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  return { status: r.status, body: await r.json() }
}

async function ticketWithMarkup() {
  const me = await cloud.login(`反馈${crypto.randomBytes(3).toString('hex')}`)
  const ticket = (await me.ok('aftersales', 'openTicket', { category: 'invoice_missing', text: XSS_TEXT, clientToken: token() })).ticket
  return { me, ticket }
}

it('is linked from the dev menu and asks for an operator first', async () => {
  expect((await get('/dev')).text).toContain('href="/dev/staff"')
  const page = await get('/dev/staff')
  expect(page.status).toBe(200)
  expect(page.text).toContain('name="operator"')
  expect(page.text).not.toContain('id="items"')
})

it('shows the queues for an operator and escapes the operator name', async () => {
  const { ticket } = await ticketWithMarkup()
  const page = await get(`/dev/staff?operator=${encodeURIComponent(XSS_OPERATOR)}`)
  expect(page.status).toBe(200)
  expect(page.text).not.toContain(XSS_OPERATOR)
  expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  expect(page.text).toContain(`>${ticket.id}</a>`)
  expect(page.text).not.toContain('<img src=x')
})

it('shows the operator error for a name the console would refuse', async () => {
  const page = await get(`/dev/staff?operator=${'x'.repeat(33)}`)
  expect(page.text).toContain('STAFF.OPERATOR_REQUIRED')
})

it('opens a case masked, escapes what the person typed, and acts through /dev/api/staff', async () => {
  const { me, ticket } = await ticketWithMarkup()
  const page = await get(`/dev/staff/case?operator=${encodeURIComponent('李客服')}&kind=ticket&id=${ticket.id}`)
  expect(page.status).toBe(200)
  expect(page.text).not.toContain('<img src=x')
  expect(page.text).toContain('&lt;img src=x onerror=')
  expect(page.text).toContain('data-action="reply"')
  expect(page.text).toContain('data-action="closeTicket"')
  expect(page.text).not.toContain(me.openid)

  const replied = await post('/dev/api/staff', { operator: '李客服', action: 'reply', ticketId: ticket.id, text: '已重新发送' })
  expect(replied.body).toMatchObject({ ok: true, data: { ticket: { status: 'answered' } } })
  const audit = await get(`/dev/staff/audit?operator=${encodeURIComponent('李客服')}&target=${encodeURIComponent(`ticket:${ticket.id}`)}`)
  expect(audit.text).toContain('ticket.reply')
  expect(audit.text).toContain('李客服')
  expect((await post('/dev/api/staff', { action: 'whoami' })).body.error.code).toBe('STAFF.OPERATOR_REQUIRED')
  expect((await post('/dev/api/staff', [1])).status).toBe(400)
})

it('grants a test user a staff role by name', async () => {
  const me = await cloud.login('本地工作人员')
  expect((await me.call('staff', { action: 'whoami' })).body.error.code).toBe('COMMON.FORBIDDEN')
  const granted = await post('/dev/api/staff/grant', { name: '本地工作人员', role: 'agent' })
  expect(granted.body).toMatchObject({ ok: true, data: { staff: { openid: me.openid, role: 'agent' } } })
  expect((await me.ok('staff', 'whoami')).role).toBe('agent')
  expect((await post('/dev/api/staff/grant', { name: '本地工作人员', role: null })).body.data.staff).toBeNull()
  expect((await me.call('staff', { action: 'whoami' })).body.error.code).toBe('COMMON.FORBIDDEN')
  expect((await post('/dev/api/staff/grant', { name: '没有这个人', role: 'agent' })).status).toBe(404)
  expect((await post('/dev/api/staff/grant', { name: '本地工作人员', role: 'root' })).body.error.code).toBe('COMMON.BAD_REQUEST')
})

describe('in Chromium', () => {
  let browser: BrowserContext
  beforeAll(async () => {
    browser = await launchBrowser()
  }, 30_000)
  afterAll(() => browser?.close())

  it('runs no markup from data, and a staff member replies to a ticket with the form', async () => {
    const { me, ticket } = await ticketWithMarkup()
    const page = await browser.newPage()
    await page.goto(`${cloud.url}/dev/staff?operator=${encodeURIComponent(XSS_OPERATOR)}`)
    await page.click(`a:text("${ticket.id}")`)
    await page.waitForURL(/\/dev\/staff\/case/)
    expect(await page.textContent('#subject')).toContain('<img src=x onerror=')
    await page.fill('form[data-action="reply"] textarea[name="text"]', '您好，发票已补发到您的邮箱')
    await page.click('form[data-action="reply"] button')
    await page.waitForFunction(() => document.getElementById('out')?.textContent?.includes('"ok": true'))
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
    const t = await eventually(async () => {
      const v = (await me.ok('aftersales', 'getTicket', { ticketId: ticket.id })).ticket
      return v.status === 'answered' ? v : null
    })
    expect(t.messages.at(-1)).toMatchObject({ from: 'staff', text: '您好，发票已补发到您的邮箱' })
    await page.close()
  }, 60_000)
})
