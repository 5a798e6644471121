import type { InvoiceStatus, OrderInvoiceState, OrderStatus, UninvoicedSummary } from '../../../types/domain'
import { inRequestWindow, requestWindowDaysLeft, requestWindowEndsAt } from './invoice'

/**
 * Un-invoiced top-ups and the reminders before their request window closes. Pure: the window
 * rule itself lives in domain/invoice.ts (requestWindowEndsAt); this module only reads it.
 */

/** Days before the end of the window at which a reminder goes out, widest first. */
export const REMINDER_THRESHOLDS = [30, 7] as const
export type ReminderThreshold = (typeof REMINDER_THRESHOLDS)[number]

interface OrderFacts {
  status: OrderStatus
  paidAt: string | null
  invoiceId: string | null
}

/**
 * What 充值记录 shows for one order. `invoiceStatus` is the status of the live invoice (null
 * when it could not be read: the order's claim alone says an invoice is under way).
 */
export function invoiceStateOf(order: OrderFacts, invoiceStatus: InvoiceStatus | null, windowDays: number, now: Date): OrderInvoiceState | null {
  if (order.status !== 'paid' || !order.paidAt) return null
  if (order.invoiceId) {
    return { state: invoiceStatus === 'issued' ? 'issued' : 'issuing', invoiceId: order.invoiceId, windowEndsAt: null, daysLeft: null }
  }
  const windowEndsAt = requestWindowEndsAt(order.paidAt, windowDays).toISOString()
  if (!inRequestWindow(order.paidAt, windowDays, now)) return { state: 'expired', invoiceId: null, windowEndsAt, daysLeft: 0 }
  return { state: 'none', invoiceId: null, windowEndsAt, daysLeft: requestWindowDaysLeft(order.paidAt, windowDays, now) }
}

/** Count and soonest deadline of un-invoiced paid top-ups (paidAt of each, any order). */
export function summarizeUninvoiced(paidAts: readonly string[], windowDays: number, now: Date): UninvoicedSummary {
  const open = paidAts.filter((p) => inRequestWindow(p, windowDays, now))
  if (open.length === 0) return { count: 0, soonestEndsAt: null, soonestDaysLeft: null }
  const oldest = open.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b))
  return {
    count: open.length,
    soonestEndsAt: requestWindowEndsAt(oldest, windowDays).toISOString(),
    soonestDaysLeft: requestWindowDaysLeft(oldest, windowDays, now),
  }
}

/**
 * The reminder band an order is in: 7 when its window closes within 7 days, 30 within 30 days,
 * null otherwise (or when closed). A run missed for a day still lands in the right band.
 */
export function reminderBand(paidAt: string, windowDays: number, now: Date): ReminderThreshold | null {
  if (!inRequestWindow(paidAt, windowDays, now)) return null
  const left = requestWindowDaysLeft(paidAt, windowDays, now)
  const narrowest = [...REMINDER_THRESHOLDS].reverse().find((t) => left <= t)
  return narrowest ?? null
}

/** The calendar day (UTC+8, yyyy-mm-dd) a window ends: the deadline a reminder is about. */
export function deadlineDay(endsAt: Date): string {
  return new Date(endsAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

/**
 * The unique key of one reminder: (person, threshold, deadline day). Stored under a unique index
 * in both clouds, so no person is reminded twice about the same deadline at the same threshold,
 * however often the timer runs or restarts.
 */
export function reminderKey(openid: string, threshold: ReminderThreshold, day: string): string {
  return `${openid}:${threshold}:${day}`
}

export interface SweepOrder {
  id: string
  openid: string
  amountFen: number
  paidAt: string | null
}

/** One person's reminder of this run: the keys it covers and what the message says. */
export interface ReminderPlan {
  openid: string
  /** every (threshold, deadline day) this message covers: claimed before anything is sent */
  keys: { key: string; threshold: ReminderThreshold; day: string }[]
  /** the most urgent band among the covered orders */
  threshold: ReminderThreshold
  count: number
  amountFen: number
  soonestEndsAt: string
  soonestDaysLeft: number
}

/**
 * Groups the sweep's orders (paid, not invoiced) into at most one reminder per person: every
 * order within 30 days of its deadline is covered, one message names the count and the soonest
 * deadline. Orders further out, or past their window, are left for a later run.
 */
export function planReminders(orders: readonly SweepOrder[], windowDays: number, now: Date): ReminderPlan[] {
  const byPerson = new Map<string, ReminderPlan>()
  for (const o of orders) {
    if (!o.paidAt) continue
    const band = reminderBand(o.paidAt, windowDays, now)
    if (band === null) continue
    const endsAt = requestWindowEndsAt(o.paidAt, windowDays)
    const day = deadlineDay(endsAt)
    const daysLeft = requestWindowDaysLeft(o.paidAt, windowDays, now)
    const plan = byPerson.get(o.openid)
    const key = { key: reminderKey(o.openid, band, day), threshold: band, day }
    if (!plan) {
      byPerson.set(o.openid, {
        openid: o.openid,
        keys: [key],
        threshold: band,
        count: 1,
        amountFen: o.amountFen,
        soonestEndsAt: endsAt.toISOString(),
        soonestDaysLeft: daysLeft,
      })
      continue
    }
    if (!plan.keys.some((k) => k.key === key.key)) plan.keys.push(key)
    plan.count++
    plan.amountFen += o.amountFen
    if (band < plan.threshold) plan.threshold = band
    if (endsAt.getTime() < Date.parse(plan.soonestEndsAt)) {
      plan.soonestEndsAt = endsAt.toISOString()
      plan.soonestDaysLeft = daysLeft
    }
  }
  return [...byPerson.values()]
}

/** The reminder in one plain sentence (e-mail and SMS): no link, no personal data but the count. */
export function reminderText(plan: Pick<ReminderPlan, 'count' | 'amountFen' | 'soonestDaysLeft'>): string {
  const yuan = (plan.amountFen / 100).toFixed(2)
  return `您有 ${plan.count} 笔武汉通充值（共 ¥${yuan}）还未开发票，最早一笔 ${plan.soonestDaysLeft} 天后超过开票期限。请在「武汉通充值」小程序「发票」中开票。`
}
