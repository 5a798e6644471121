import {
  deadlineDay,
  invoiceStateOf,
  planReminders,
  reminderBand,
  reminderKey,
  reminderText,
  summarizeUninvoiced,
} from '../../cloudfunctions/_core/domain/reminder'
import { inRequestWindow, requestWindowDaysLeft, requestWindowEndsAt } from '../../cloudfunctions/_core/domain/invoice'
import { issuedSmsText, nextCodeWindow, parsePhone, reminderSmsText } from '../../cloudfunctions/_core/domain/sms'

const DAY = 86400_000
const paid = '2026-01-01T02:00:00.000Z'
const at = (days: number) => new Date(Date.parse(paid) + days * DAY)

describe('the request window (one rule, domain/invoice.ts)', () => {
  it('ends windowDays after payment; days left round up; the last moment is still inside', () => {
    expect(requestWindowEndsAt(paid, 30).toISOString()).toBe('2026-01-31T02:00:00.000Z')
    expect(requestWindowDaysLeft(paid, 30, at(0))).toBe(30)
    expect(requestWindowDaysLeft(paid, 30, new Date(at(29).getTime() + 1))).toBe(1)
    expect(inRequestWindow(paid, 30, at(30))).toBe(true)
    expect(inRequestWindow(paid, 30, new Date(at(30).getTime() + 1))).toBe(false)
    expect(requestWindowDaysLeft(paid, 30, at(31))).toBe(0)
  })
})

describe('invoiceStateOf', () => {
  const order = { status: 'paid' as const, paidAt: paid, invoiceId: null }
  it('says 未开票 with the days left, 开具中 / 已开票 by the live invoice, 已过期 after the window; nothing for unpaid', () => {
    expect(invoiceStateOf(order, null, 60, at(10))).toEqual({ state: 'none', invoiceId: null, windowEndsAt: '2026-03-02T02:00:00.000Z', daysLeft: 50 })
    expect(invoiceStateOf({ ...order, invoiceId: 'INV1' }, 'failed', 60, at(10))).toEqual({
      state: 'issuing',
      invoiceId: 'INV1',
      windowEndsAt: null,
      daysLeft: null,
    })
    expect(invoiceStateOf({ ...order, invoiceId: 'INV1' }, 'issued', 60, at(10))?.state).toBe('issued')
    expect(invoiceStateOf(order, null, 60, at(61))).toMatchObject({ state: 'expired', daysLeft: 0 })
    expect(invoiceStateOf({ status: 'created', paidAt: null, invoiceId: null }, null, 60, at(0))).toBeNull()
  })
  it('summarizes the count and the soonest deadline of those still in the window', () => {
    expect(summarizeUninvoiced([paid, at(5).toISOString(), at(-70).toISOString()], 60, at(10))).toEqual({
      count: 2,
      soonestEndsAt: '2026-03-02T02:00:00.000Z',
      soonestDaysLeft: 50,
    })
    expect(summarizeUninvoiced([], 60, at(0))).toEqual({ count: 0, soonestEndsAt: null, soonestDaysLeft: null })
  })
})

describe('planReminders', () => {
  it('puts an order in the 30 band from 30 days left, the 7 band from 7, none beyond 30 or past the window', () => {
    expect(reminderBand(paid, 60, at(29))).toBeNull()
    expect(reminderBand(paid, 60, at(30))).toBe(30)
    expect(reminderBand(paid, 60, at(52))).toBe(30)
    expect(reminderBand(paid, 60, at(53))).toBe(7)
    expect(reminderBand(paid, 60, at(61))).toBeNull()
  })
  it('makes one reminder per person covering every order due, keyed by (person, band, deadline day UTC+8)', () => {
    const orders = [
      { id: 'a', openid: 'o1', amountFen: 100, paidAt: paid },
      { id: 'b', openid: 'o1', amountFen: 200, paidAt: at(25).toISOString() },
      { id: 'c', openid: 'o1', amountFen: 400, paidAt: at(40).toISOString() }, // 45 days left: not yet
      { id: 'd', openid: 'o2', amountFen: 800, paidAt: at(1).toISOString() },
    ]
    const plans = planReminders(orders, 60, at(55))
    expect(plans).toHaveLength(2)
    const o1 = plans.find((p) => p.openid === 'o1')!
    expect(o1).toMatchObject({ threshold: 7, count: 2, amountFen: 300, soonestDaysLeft: 5 })
    expect(o1.keys.map((k) => k.key)).toEqual([reminderKey('o1', 7, deadlineDay(requestWindowEndsAt(paid, 60))), reminderKey('o1', 30, '2026-03-27')])
    // 02:00Z is 10:00 in UTC+8; 20:00Z is the next day there
    expect(deadlineDay(new Date('2026-04-25T20:00:00Z'))).toBe('2026-04-26')
  })
})

describe('SMS rules', () => {
  it('accepts mainland mobile numbers with spaces, dashes or +86, nothing else', () => {
    expect(parsePhone('+86 139-1234-5678')).toBe('13912345678')
    for (const bad of ['12912345678', '1391234567', '139123456789', '', 13912345678]) expect(() => parsePhone(bad)).toThrow('11 位手机号码')
  })
  it('allows one code a minute and five a rolling day', () => {
    const t0 = new Date('2026-01-01T00:00:00Z')
    let w = nextCodeWindow(null, t0)
    expect(w).toEqual({ sendsInWindow: 1, windowStart: t0.toISOString() })
    expect(() => nextCodeWindow({ ...w, lastSentAt: t0.toISOString() }, new Date(t0.getTime() + 30_000))).toThrow('30 秒后再试')
    for (let i = 2; i <= 5; i++) w = nextCodeWindow({ ...w, lastSentAt: t0.toISOString() }, new Date(t0.getTime() + i * 61_000))
    expect(w.sendsInWindow).toBe(5)
    expect(() => nextCodeWindow({ ...w, lastSentAt: t0.toISOString() }, new Date(t0.getTime() + 3600_000))).toThrow('明天再试')
    expect(nextCodeWindow({ ...w, lastSentAt: t0.toISOString() }, new Date(t0.getTime() + DAY))).toMatchObject({ sendsInWindow: 1 })
  })
  it('names the mini-program by its real name 「武汉通充值」 in every text that points to it', () => {
    const texts = [issuedSmsText('26421000000000000123', 5000), reminderSmsText(2, 5), reminderText({ count: 2, amountFen: 300, soonestDaysLeft: 5 })]
    for (const t of texts) {
      expect(t).toContain('「武汉通充值」小程序「发票」')
      expect(t).not.toContain('「武汉通」小程序')
    }
  })
})
