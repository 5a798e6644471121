import crypto from 'node:crypto'
import { runReminders } from '../../cloudfunctions/_core/app/reminder.service'
import type { Deps } from '../../cloudfunctions/_core/runtime/deps'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * Un-invoiced top-ups over the local cloud (HTTP, SQLite on disk, the pay and subscribe
 * sandboxes, SMTP capture, SMS capture): the per-order state of 充值记录, the count behind the
 * badge, and the reminders timer 30 and 7 days before the request window (60 days here) closes.
 */
const WINDOW = 60
const DAY = 86400_000
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { INVOICE_WINDOW_DAYS: String(WINDOW), PROVIDER_SANDBOX_LATENCY_MS: '0' } })
}, 30_000)
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/clock', { offsetMs: 0 })
})

let seq = 0
const uniqueName = (base: string) => `${base}${++seq}${crypto.randomBytes(2).toString('hex')}`
const token = () => crypto.randomBytes(10).toString('hex')
const atDay = (d: number) => cloud.dev('/dev/api/clock', { offsetMs: d * DAY })
const runTimer = () => cloud.invoke('reminders', { Type: 'Timer' }, 'wx_trigger') as Promise<{ ok: boolean; data: Awaited<ReturnType<typeof runReminders>> }>

async function paidOrder(me: Client, amountFen = 5000): Promise<string> {
  const cards = (await me.ok('card', 'list')).cards as { id: string; cardNo: string }[]
  const cardId = cards.find((c) => c.cardNo === CARD_A)?.id ?? (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: token() })
  await fetch(`${cloud.url}/sandbox/pay/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
  })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  return order.id
}

const reminderMessages = (openid: string) => cloud.runtime.subscribe.list({ openid }).filter((m) => m.templateKey === 'invoiceReminder')
const smsTo = async (phone: string) => ((await cloud.dev(`/dev/api/sms?phone=${phone}`)).sms as { text: string; params: string[] }[]) ?? []

describe('充值记录: the invoice state of each order', () => {
  it('shows 未开票 with the days left, then 开具中 / 已开票 with the live invoice, and counts the un-invoiced', async () => {
    const me = await cloud.login(uniqueName('记录'))
    const first = await paidOrder(me, 3000)
    await atDay(10)
    const second = await paidOrder(me, 2000)
    let page = await me.ok('topup', 'listOrders', {})
    const byId = (id: string) => page.items.find((o: { id: string }) => o.id === id)
    expect(byId(first).invoice).toMatchObject({ state: 'none', invoiceId: null, daysLeft: WINDOW - 10 })
    expect(byId(second).invoice).toMatchObject({ state: 'none', daysLeft: WINDOW })
    expect(await me.ok('topup', 'uninvoicedSummary')).toEqual({ count: 2, soonestEndsAt: byId(first).invoice.windowEndsAt, soonestDaysLeft: WINDOW - 10 })

    const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [first], titleId: title.id, clientToken: token() })
    page = await me.ok('topup', 'listOrders', {})
    expect(['issuing', 'issued']).toContain(byId(first).invoice.state)
    expect(byId(first).invoice).toMatchObject({ invoiceId: invoice.id, daysLeft: null })
    await eventually(async () => (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.status === 'issued', 15_000)
    page = await me.ok('topup', 'listOrders', {})
    expect(byId(first).invoice).toEqual({ state: 'issued', invoiceId: invoice.id, windowEndsAt: null, daysLeft: null })
    expect(await me.ok('topup', 'uninvoicedSummary')).toMatchObject({ count: 1, soonestDaysLeft: WINDOW })

    // past the window: 已过期, no longer counted
    await atDay(10 + WINDOW + 1)
    page = await me.ok('topup', 'listOrders', {})
    expect(byId(second).invoice).toMatchObject({ state: 'expired', daysLeft: 0 })
    expect(await me.ok('topup', 'uninvoicedSummary')).toEqual({ count: 0, soonestEndsAt: null, soonestDaysLeft: null })
  }, 30_000)

  it('after a 换开 the order links to the live (new) invoice, not the reversed one', async () => {
    const me = await cloud.login(uniqueName('换开'))
    const orderId = await paidOrder(me, 6600)
    const first = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
    const second = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张小三' })).title
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: first.id, clientToken: token() })
    await eventually(async () => (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.status === 'issued', 15_000)
    const { correction } = await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: second.id, clientToken: token() })
    await eventually(async () => (await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction.status === 'done', 15_000)
    const done = (await me.ok('invoice', 'getCorrection', { correctionId: correction.id })).correction
    const row = (await me.ok('topup', 'listOrders', {})).items.find((o: { id: string }) => o.id === orderId)
    expect(row.invoice).toEqual({ state: 'issued', invoiceId: done.newInvoiceId, windowEndsAt: null, daysLeft: null })
    expect(done.newInvoiceId).not.toBe(invoice.id)
  }, 30_000)

  it('answers only for the caller: another person sees none of it', async () => {
    const me = await cloud.login(uniqueName('本人'))
    await paidOrder(me)
    const other = await cloud.login(uniqueName('旁人'))
    expect(await other.ok('topup', 'uninvoicedSummary')).toEqual({ count: 0, soonestEndsAt: null, soonestDaysLeft: null })
    expect((await other.ok('topup', 'listOrders', {})).items).toEqual([])
  })
})

describe('the reminders timer', () => {
  it('only runs from its trigger', async () => {
    const me = await cloud.login(uniqueName('直调'))
    const r = await me.call('reminders', {})
    expect(r.body).toMatchObject({ ok: false, error: { code: 'COMMON.FORBIDDEN' } })
  })

  it('sends one subscribe message at 30 days and one at 7, never twice on a rerun, within the quota, and none once invoiced', async () => {
    const me = await cloud.login(uniqueName('提醒'))
    const invoiced = await cloud.login(uniqueName('已开'))
    // two accepted reminders of quota for me; the invoiced person has quota too
    await me.ok('profile', 'recordSubscriptions', { results: { invoiceReminder: 'accept' } })
    await me.ok('profile', 'recordSubscriptions', { results: { invoiceReminder: 'accept' } })
    await invoiced.ok('profile', 'recordSubscriptions', { results: { invoiceReminder: 'accept' } })
    await paidOrder(me, 5000)
    const theirs = await paidOrder(invoiced, 5000)
    const title = (await invoiced.ok('profile', 'saveTitle', { kind: 'personal', name: '李四' })).title
    await invoiced.ok('invoice', 'request', { orderIds: [theirs], titleId: title.id, clientToken: token() })

    // 31 days before the end: nothing yet
    await atDay(WINDOW - 31)
    await runTimer()
    expect(reminderMessages(me.openid)).toHaveLength(0)

    // 30 days before: one message; the same day again, and the next day: nothing more
    await atDay(WINDOW - 30)
    expect((await runTimer()).data.subscribe).toBeGreaterThanOrEqual(1)
    await runTimer()
    await atDay(WINDOW - 29)
    await runTimer()
    let msgs = reminderMessages(me.openid)
    expect(msgs).toHaveLength(1)
    expect(JSON.stringify(msgs[0].data)).toContain('1 笔充值还未开发票')
    expect(msgs[0].page).toBe('pages/invoice/index')

    // 7 days before: the second message; a rerun sends nothing
    await atDay(WINDOW - 7)
    await runTimer()
    await runTimer()
    msgs = reminderMessages(me.openid)
    expect(msgs).toHaveLength(2)
    expect(await cloud.runtime.deps.quota.get(me.openid)).toMatchObject({ invoiceReminder: 0 })
    // the invoiced top-up is never the subject of a reminder
    expect(reminderMessages(invoiced.openid)).toHaveLength(0)
  }, 30_000)

  it('someone topping up often hears at most one 30-day reminder a week; the 7-day one always goes and covers all due', async () => {
    const me = await cloud.login(uniqueName('常充'))
    for (let i = 0; i < 4; i++) await me.ok('profile', 'recordSubscriptions', { results: { invoiceReminder: 'accept' } })
    await paidOrder(me, 1000)
    await atDay(3)
    await paidOrder(me, 2000)
    await atDay(WINDOW - 30)
    await runTimer()
    expect(reminderMessages(me.openid)).toHaveLength(1)
    // the second top-up reaches its 30-day mark three days later: quiet
    await atDay(WINDOW - 27)
    expect((await runTimer()).data.quiet).toBeGreaterThanOrEqual(1)
    expect(reminderMessages(me.openid)).toHaveLength(1)
    // the first one's last call names both
    await atDay(WINDOW - 7)
    await runTimer()
    const msgs = reminderMessages(me.openid)
    expect(msgs).toHaveLength(2)
    expect(JSON.stringify(msgs[0].data)).toContain('2 笔充值还未开发票')
    // and the second one's last call comes on its own day
    await atDay(WINDOW - 4)
    await runTimer()
    expect(reminderMessages(me.openid)).toHaveLength(3)
  }, 30_000)

  it('two overlapping runs send a person one reminder, not two', async () => {
    const me = await cloud.login(uniqueName('并发'))
    for (let i = 0; i < 3; i++) await me.ok('profile', 'recordSubscriptions', { results: { invoiceReminder: 'accept' } })
    await paidOrder(me, 1000)
    await atDay(1)
    await paidOrder(me, 2000)
    await atDay(WINDOW - 7)
    // run A stops right after claiming its first key for this person; run B runs in between
    const deps = cloud.runtime.deps
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    let paused = false
    const slowA: Deps = {
      ...deps,
      reminders: {
        ...deps.reminders,
        claim: async (rec) => {
          const won = await deps.reminders.claim(rec)
          if (won && !paused && rec.openid === me.openid && !rec.id.includes(':day:')) {
            paused = true
            await gate
          }
          return won
        },
      },
    }
    const a = runReminders(slowA)
    await eventually(async () => paused)
    await runReminders(deps)
    release()
    await a
    expect(reminderMessages(me.openid)).toHaveLength(1)
  }, 30_000)

  it('respects the quota: without an accepted message no subscribe message goes out, the e-mail still does, once', async () => {
    const me = await cloud.login(uniqueName('无订阅'))
    const email = `${uniqueName('r')}@example.com`
    await me.ok('profile', 'updateSettings', { defaultEmail: email })
    await paidOrder(me, 1234)
    await atDay(WINDOW - 30)
    await runTimer()
    await runTimer()
    expect(reminderMessages(me.openid)).toHaveLength(0)
    const mails = await eventually(async () => {
      const m = cloud.smtp.list({ to: email })
      return m.length > 0 && m
    })
    expect(mails).toHaveLength(1)
    expect(mails[0].subject).toContain('1 笔充值还未开发票')
  }, 30_000)

  it('a crash mid-run (after the claim, before the record) then a rerun sends nothing twice', async () => {
    const me = await cloud.login(uniqueName('崩溃'))
    await me.ok('profile', 'recordSubscriptions', { results: { invoiceReminder: 'accept' } })
    await me.ok('profile', 'recordSubscriptions', { results: { invoiceReminder: 'accept' } })
    await paidOrder(me)
    await atDay(WINDOW - 30)
    // the process dies right after the subscribe message went out (markSent never runs)
    const deps = cloud.runtime.deps
    const crashing: Deps = {
      ...deps,
      clock: deps.clock,
      reminders: {
        ...deps.reminders,
        markSent: async () => {
          throw new Error('killed')
        },
      },
    }
    const report = await runReminders(crashing)
    expect(report.errors).toBeGreaterThanOrEqual(1)
    expect(reminderMessages(me.openid)).toHaveLength(1)
    await runTimer()
    await runTimer()
    expect(reminderMessages(me.openid)).toHaveLength(1)
  }, 30_000)
})

describe('the SMS channel', () => {
  it('opts in with a typed number and a 6-digit code (masked, rate-limited, hashed at rest), then reminds by SMS once', async () => {
    const me = await cloud.login(uniqueName('短信'))
    const phone = `139${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`
    expect(await me.ok('profile', 'smsSettings')).toEqual({ available: true, phoneMasked: null, optIn: false, via: null })
    expect((await me.call('profile', { action: 'smsSendCode', phone: '12345' })).body.error.code).toBe('SMS.PHONE_INVALID')
    const sent = await me.ok('profile', 'smsSendCode', { phone })
    expect(sent.sentTo).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`)
    // one a minute
    expect((await me.call('profile', { action: 'smsSendCode', phone })).body.error).toMatchObject({
      code: 'SMS.TOO_MANY',
      message: expect.stringContaining('秒后再试'),
    })
    const code = (await smsTo(phone))[0].params[0]
    expect(code).toMatch(/^\d{6}$/)
    // only the hash is kept
    const row = cloud.runtime.db.prepare('SELECT * FROM sms_codes WHERE openid = ?').get(me.openid) as { code_hash: string }
    expect(JSON.stringify(row)).not.toContain(code)
    const wrong = code === '000000' ? '000001' : '000000'
    expect((await me.call('profile', { action: 'smsVerify', phone, code: wrong })).body.error).toMatchObject({
      code: 'SMS.CODE_INVALID',
      message: expect.stringContaining('还可再试 4 次'),
    })
    const view = await me.ok('profile', 'smsVerify', { phone, code })
    expect(view).toEqual({ available: true, phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}`, optIn: true, via: 'code' })
    // the code is spent
    expect((await me.call('profile', { action: 'smsVerify', phone, code })).body.error.code).toBe('SMS.CODE_INVALID')

    // no e-mail: the reminder goes by SMS, once
    await paidOrder(me, 4200)
    await atDay(WINDOW - 7)
    await runTimer()
    await runTimer()
    const texts = (await smsTo(phone)).filter((m) => m.text.includes('还未开发票'))
    expect(texts).toHaveLength(1)
    expect(texts[0].text).toContain('1 笔充值')
    expect(texts[0].text).not.toMatch(/https?:/)
  }, 30_000)

  it('an expired code is refused; the fifth wrong code voids it', async () => {
    const me = await cloud.login(uniqueName('过期'))
    const phone = `137${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`
    await me.ok('profile', 'smsSendCode', { phone })
    const code = (await smsTo(phone))[0].params[0]
    await cloud.dev('/dev/api/clock', { offsetMs: 11 * 60_000 })
    expect((await me.call('profile', { action: 'smsVerify', phone, code })).body.error.code).toBe('SMS.CODE_EXPIRED')
    await cloud.dev('/dev/api/clock', { offsetMs: 12 * 60_000 })
    await me.ok('profile', 'smsSendCode', { phone })
    const fresh = (await smsTo(phone))[0].params[0]
    const wrong = fresh === '111111' ? '222222' : '111111'
    for (let i = 0; i < 5; i++) await me.call('profile', { action: 'smsVerify', phone, code: wrong })
    expect((await me.call('profile', { action: 'smsVerify', phone, code: fresh })).body.error.code).toBe('SMS.CODE_EXPIRED')
  })

  it('binds the WeChat phone (getPhoneNumber code, sandbox), sends the invoice-issued SMS once, and forgets the number on opt-out', async () => {
    const me = await cloud.login(uniqueName('微信号'))
    const phone = `136${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`
    expect((await me.call('profile', { action: 'smsBindWechat', code: 'forged' })).body.error.code).toBe('SMS.UNAVAILABLE')
    expect(await me.ok('profile', 'smsBindWechat', { code: `sandbox-${phone}` })).toMatchObject({ optIn: true, via: 'wechat' })
    const orderId = await paidOrder(me, 8800)
    const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '王五' })).title
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, email: null, clientToken: token() })
    const issued = await eventually(async () => {
      const inv = (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice
      return inv.status === 'issued' && inv
    }, 15_000)
    const notices = await eventually(async () => {
      const s = (await smsTo(phone)).filter((m) => m.text.includes('发票已开具'))
      return s.length > 0 && s
    })
    expect(notices).toHaveLength(1)
    expect(notices[0].text).toContain(issued.invoiceNo)
    expect(notices[0].text).toContain('¥88.00')
    expect(await me.ok('profile', 'smsOptOut')).toEqual({ available: true, phoneMasked: null, optIn: false, via: null })
    expect(cloud.runtime.db.prepare('SELECT COUNT(*) AS n FROM sms_contacts WHERE openid = ?').get(me.openid)).toEqual({ n: 0 })
  }, 30_000)
})
