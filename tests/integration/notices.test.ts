import { startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * Emergency notices over the local cloud: staff set them through the staff function (console
 * callers and mini-program staff), people read the ones in force with profile.notices. SQLite
 * on disk; the clock is the local cloud's own.
 */
let cloud: TestCloud
let me: Client
beforeAll(async () => {
  cloud = await startTestCloud()
  me = await cloud.login('公告读者')
}, 30_000)
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/clock', { offsetMs: 0 })
})

type Env = { ok: boolean; data?: any; error?: { code: string; message: string } }
const console_ = (event: Record<string, unknown>) => cloud.invoke('staff', { operator: '值班员', ...event }, 'external') as Promise<Env>
const consoleOk = async (event: Record<string, unknown>) => {
  const r = await console_(event)
  if (!r.ok) throw new Error(`staff.${String(event.action)} failed: ${JSON.stringify(r.error)}`)
  return r.data
}
const HOUR = 3600_000
const at = (ms: number) => new Date(Date.now() + ms).toISOString()
const shown = async (page?: 'home' | 'invoice') => (await me.ok('profile', 'notices', page ? { page } : {})).notices as { id: string; text: string }[]
const ids = async (page?: 'home' | 'invoice') => (await shown(page)).map((n) => n.id)
const set = async (fields: Record<string, unknown>) =>
  (
    await consoleOk({
      action: 'setNotice',
      level: 'warning',
      text: '开票服务繁忙，发票可能延迟送达',
      until: at(HOUR),
      pages: 'all',
      reason: '供应商故障',
      ...fields,
    })
  ).notice as { id: string; pages: string[]; endedAt: string | null }

it('shows a notice only inside its time window', async () => {
  const later = await set({ from: at(2 * HOUR), until: at(3 * HOUR), text: '今晚 22:00 起系统维护' })
  expect(await ids()).not.toContain(later.id)
  await cloud.dev('/dev/api/clock', { offsetMs: 2 * HOUR + 60_000 })
  expect(await ids()).toContain(later.id)
  await cloud.dev('/dev/api/clock', { offsetMs: 3 * HOUR + 60_000 })
  expect(await ids()).not.toContain(later.id)
})

it('shows a notice only on its pages', async () => {
  const home = await set({ pages: 'home', text: '充值到账可能延迟' })
  const invoice = await set({ pages: ['invoice'], text: '发票邮件发送延迟' })
  const all = await set({ pages: 'all', text: '系统故障处理中' })
  expect(all.pages).toEqual(['home', 'invoice'])
  const onHome = await ids('home')
  const onInvoice = await ids('invoice')
  expect([onHome.includes(home.id), onHome.includes(invoice.id), onHome.includes(all.id)]).toEqual([true, false, true])
  expect([onInvoice.includes(home.id), onInvoice.includes(invoice.id), onInvoice.includes(all.id)]).toEqual([false, true, true])
})

it('answers people the level, text and pages only, critical first', async () => {
  const info = await set({ level: 'info', text: '新功能上线' })
  const critical = await set({ level: 'critical', text: '支付暂不可用，请稍后再试' })
  const notices = (await shown('home')).filter((n) => [info.id, critical.id].includes(n.id))
  expect(notices).toEqual([
    { id: critical.id, level: 'critical', text: '支付暂不可用，请稍后再试', pages: ['home', 'invoice'] },
    { id: info.id, level: 'info', text: '新功能上线', pages: ['home', 'invoice'] },
  ])
})

it('stops showing a notice staff end, and ending it again changes nothing', async () => {
  const n = await set({ text: '邮件服务恢复中' })
  expect(await ids()).toContain(n.id)
  const ended = (await consoleOk({ action: 'endNotice', noticeId: n.id, reason: '已恢复' })).notice
  expect(ended.endedAt).not.toBeNull()
  expect(await ids()).not.toContain(n.id)
  expect((await consoleOk({ action: 'endNotice', noticeId: n.id, reason: '已恢复' })).notice.endedAt).toBe(ended.endedAt)
  expect((await console_({ action: 'endNotice', noticeId: 'NTC-NONE', reason: '已恢复' })).error?.code).toBe('NOTICE.NOT_FOUND')
})

it('refuses a notice without a reason', async () => {
  const r = await console_({ action: 'setNotice', level: 'info', text: '测试公告', until: at(HOUR), pages: 'home' })
  expect(r.error?.code).toBe('STAFF.REASON_REQUIRED')
  const e = await console_({ action: 'endNotice', noticeId: (await set({})).id })
  expect(e.error?.code).toBe('STAFF.REASON_REQUIRED')
})

it('refuses markup, over-long text, a bad level or page, and a window that is over or too long', async () => {
  const bad = async (fields: Record<string, unknown>) =>
    (await console_({ action: 'setNotice', level: 'info', text: '测试公告', until: at(HOUR), pages: 'home', reason: '测试', ...fields })).error?.code
  expect(await bad({ text: '<b>注意</b>' })).toBe('COMMON.BAD_REQUEST')
  expect(await bad({ text: '第一行\n第二行' })).toBe('COMMON.BAD_REQUEST')
  expect(await bad({ text: '字'.repeat(121) })).toBe('COMMON.BAD_REQUEST')
  expect(await bad({ level: 'panic' })).toBe('COMMON.BAD_REQUEST')
  expect(await bad({ pages: 'mine' })).toBe('COMMON.BAD_REQUEST')
  expect(await bad({ until: at(-HOUR) })).toBe('COMMON.BAD_REQUEST')
  expect(await bad({ from: at(2 * HOUR), until: at(HOUR) })).toBe('COMMON.BAD_REQUEST')
  expect(await bad({ until: at(31 * 24 * HOUR) })).toBe('COMMON.BAD_REQUEST')
  expect(await bad({ until: '明天' })).toBe('COMMON.BAD_REQUEST')
  expect(await bad({ text: '字'.repeat(120) })).toBeUndefined()
})

it('lets an agent in the mini-program set one, but not a viewer', async () => {
  const viewer = await cloud.login('公告只读')
  const agent = await cloud.login('公告客服')
  await consoleOk({ action: 'grant', openid: viewer.openid, name: '只读甲', role: 'viewer', reason: '测试授权' })
  await consoleOk({ action: 'grant', openid: agent.openid, name: '客服乙', role: 'agent', reason: '测试授权' })
  const event = { action: 'setNotice', level: 'info', text: '客服热线繁忙', until: at(HOUR), pages: 'home', reason: '来电多' }
  expect((await viewer.call('staff', event)).body.error?.code).toBe('STAFF.ROLE_INSUFFICIENT')
  const byAgent = (await agent.call('staff', event)).body as Env
  expect(byAgent.ok).toBe(true)
  expect(byAgent.data.notice.createdBy).toBe('客服乙')
})

it('audits setting and ending a notice, with the reason and the operator', async () => {
  const n = await set({ text: '开票服务恢复中' })
  await consoleOk({ action: 'endNotice', noticeId: n.id, reason: '服务已恢复' })
  const trail = (await consoleOk({ action: 'audit', target: `notice:${n.id}` })).items as any[]
  expect(trail.map((r) => [r.action, r.reason, r.operator, r.via])).toEqual([
    ['notice.end', '服务已恢复', '值班员', 'console'],
    ['notice.set', '供应商故障', '值班员', 'console'],
  ])
  expect(trail[1].beforeDigest).toBeNull()
  expect(trail[0].beforeDigest).toBe(trail[1].afterDigest)
})

it('refuses a person who is not signed in', async () => {
  const r = await fetch(`${cloud.url}/functions/profile`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: 'notices' }),
  })
  expect(r.status).toBe(401)
})
