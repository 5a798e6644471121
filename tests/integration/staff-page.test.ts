import crypto from 'node:crypto'
import type { BrowserContext } from 'playwright-core'
import { staffHomePage } from '../../scripts/local-cloud/dev-staff-pages'
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

it('starts with the staff function’s configuration problems, from the queues answer', async () => {
  // the local cloud's own environment, judged as WeChat cloud would: the example seller, the
  // sandbox without its allowance (the local cloud runs regardless)
  const page = await get(`/dev/staff?operator=${encodeURIComponent('张三')}`)
  expect(page.status).toBe(200)
  const box = /<div class="box" id="config-problems">([\s\S]*?)<\/div>/.exec(page.text)?.[1] ?? ''
  expect(box).toContain('<b>配置问题</b>')
  expect(box).toContain('<li class="err" data-level="error">错误 <code>SELLER_TAX_ID</code> SELLER_TAX_ID is still the example value')
  expect(box).toContain('<code>INVOICE_PROVIDER</code> INVOICE_PROVIDER is sandbox')
  expect(page.text.indexOf('id="config-problems"')).toBeLessThan(page.text.indexOf('id="operator-form"'))
  expect(page.text.indexOf('id="config-problems"')).toBeLessThan(page.text.indexOf('class="box counts"'))
})

it('escapes the configuration problems like every other value, and says when there are none', () => {
  const queues = (problems: { key?: string; level: 'error' | 'warning'; message: string }[]) => ({
    ok: true as const,
    data: { counts: { applications: 0, tickets: 0, paper: 0, invoices: 0, payments: 0, corrections: 0 }, items: [], config: { problems } },
  })
  const whoami = { ok: true as const, data: { operator: '张三', role: 'admin' as const, via: 'console' as const } }
  const page = staffHomePage({
    operator: '张三',
    users: [],
    whoami,
    queues: queues([
      { key: '<b>KEY</b>', level: 'error', message: '<script>alert(1)</script> must be https' },
      { level: 'warning', message: 'configuration & "more"' },
    ]),
  })
  expect(page).not.toContain('<script>alert(1)</script>')
  expect(page).toContain('<code>&lt;b&gt;KEY&lt;/b&gt;</code> &lt;script&gt;alert(1)&lt;/script&gt; must be https')
  expect(page).toContain('<li class="muted" data-level="warning">警告 configuration &amp; &quot;more&quot;</li>')
  expect(page).toContain('1 个错误，1 个警告')
  expect(staffHomePage({ operator: '张三', users: [], whoami, queues: queues([]) })).toContain('配置检查：staff 函数的环境变量没有问题')
  // an older staff function without `config`: no box at all
  const older = { ok: true as const, data: { counts: queues([]).data.counts, items: [] } }
  expect(staffHomePage({ operator: '张三', users: [], whoami, queues: older })).not.toContain('id="config-problems"')
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

/** now + ms as a datetime-local value in Asia/Shanghai, as the page's form takes it */
const shanghaiLocal = (ms: number) => new Date(Date.now() + ms + 8 * 3600_000).toISOString().slice(0, 16)
const noticesOn = async (page: 'home' | 'invoice') => {
  const reader = await cloud.login('公告读者')
  return (await reader.ok('profile', 'notices', { page })).notices as { id: string; text: string; level: string }[]
}

it('offers the 紧急公告 forms to an operator, and a notice set and ended through the page endpoint shows in profile.notices only meanwhile', async () => {
  expect((await get('/dev/staff')).text).not.toContain('data-action="setNotice"')
  const page = await get(`/dev/staff?operator=${encodeURIComponent('值班员')}`)
  expect(page.text).toContain('id="notices"')
  expect(page.text).toContain('data-action="setNotice"')
  expect(page.text).toContain('<input type="datetime-local" name="until" data-kind="cst" required>')
  expect(page.text).toContain('data-action="endNotice"')

  const until = `${shanghaiLocal(2 * 3600_000)}:00+08:00`
  const set = await post('/dev/api/staff', {
    operator: '值班员',
    action: 'setNotice',
    level: 'critical',
    text: '开票服务故障，发票将延迟开具',
    until,
    pages: 'home',
    reason: '供应商故障',
  })
  expect(set.body).toMatchObject({ ok: true, data: { notice: { level: 'critical', pages: ['home'], until: new Date(until).toISOString() } } })
  const id = set.body.data.notice.id as string
  expect((await noticesOn('home')).map((n) => n.id)).toContain(id)
  expect((await noticesOn('invoice')).map((n) => n.id)).not.toContain(id)

  const ended = await post('/dev/api/staff', { operator: '值班员', action: 'endNotice', noticeId: id, reason: '供应商已恢复' })
  expect(ended.body).toMatchObject({ ok: true, data: { notice: { id, endedAt: expect.any(String) } } })
  expect((await noticesOn('home')).map((n) => n.id)).not.toContain(id)
  const audit = await get(`/dev/staff/audit?operator=${encodeURIComponent('值班员')}&target=${encodeURIComponent(`notice:${id}`)}`)
  expect(audit.text).toContain('notice.set')
  expect(audit.text).toContain('notice.end')
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

  it('sets a notice with the 紧急公告 form, its end time read as Beijing time', async () => {
    const page = await browser.newPage()
    await page.goto(`${cloud.url}/dev/staff?operator=${encodeURIComponent('值班员')}`)
    const until = shanghaiLocal(3 * 3600_000)
    await page.selectOption('form[data-action="setNotice"] select[name="level"]', 'warning')
    await page.fill('form[data-action="setNotice"] textarea[name="text"]', '发票邮件发送延迟，请稍后查看')
    await page.fill('form[data-action="setNotice"] input[name="until"]', until)
    await page.selectOption('form[data-action="setNotice"] select[name="pages"]', 'invoice')
    await page.fill('form[data-action="setNotice"] input[name="reason"]', '邮件服务故障')
    await page.click('form[data-action="setNotice"] button')
    await page.waitForFunction(() => document.getElementById('out')?.textContent?.includes('"ok": true'))
    const shown = (await noticesOn('invoice')).find((n) => n.text === '发票邮件发送延迟，请稍后查看')
    expect(shown).toMatchObject({ level: 'warning' })
    const answer = JSON.parse((await page.textContent('#out')) ?? '{}')
    expect(answer.data.notice).toMatchObject({ id: shown!.id, pages: ['invoice'], until: new Date(`${until}:00+08:00`).toISOString() })
    await page.close()
  }, 60_000)
})
