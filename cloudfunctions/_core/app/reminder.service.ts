import type { InvoiceStatus, OrderListItem, TopupOrder, UninvoicedSummary } from '../../../types/domain'
import { deadlineDay, invoiceStateOf as invoiceStateOfOrder, planReminders, reminderText, summarizeUninvoiced, type ReminderPlan } from '../domain/reminder'
import { reminderSmsText } from '../domain/sms'
import { invoiceReminderMessage } from '../domain/subscribe'
import type { ReminderRecord } from '../ports/reminder.repo'
import type { Deps } from '../runtime/deps'
import { queueNotice } from './notify.service'
import { sendSmsNotice } from './sms.service'

/**
 * Un-invoiced top-ups: their state in 充值记录, the count behind the 发票 tab badge and the
 * home line, and the reminders timer (30 and 7 days before a request window closes).
 */

const DAY_MS = 86400_000
/** the summary reads at most this many orders (a person with more still sees "N+" right) */
const SUMMARY_MAX = 500
const SWEEP_PAGE = 200
/**
 * A person who tops up often would otherwise hear of each top-up's 30-day mark on a different
 * day: within this long after a reminder, only a 7-day (last-call) reminder goes out. Their
 * next reminder then covers every top-up due by then.
 */
const QUIET_DAYS = 7

const windowDays = (deps: Deps) => deps.config.invoice.caps.windowDays

/** Each order with its invoice state; the live invoices' statuses are read once per distinct invoice. */
export async function withInvoiceStates(deps: Deps, orders: TopupOrder[]): Promise<OrderListItem[]> {
  const now = deps.clock.now()
  const ids = [...new Set(orders.flatMap((o) => (o.invoiceId ? [o.invoiceId] : [])))]
  const statuses = new Map<string, InvoiceStatus>()
  await Promise.all(
    ids.map(async (id) => {
      const inv = await deps.invoices.findById(id)
      if (inv) statuses.set(id, inv.status)
    }),
  )
  return orders.map((o) => ({
    ...o,
    invoice: invoiceStateOfOrder(o, o.invoiceId ? (statuses.get(o.invoiceId) ?? null) : null, windowDays(deps), now),
  }))
}

/** The caller's paid top-ups still to invoice within the window: count and soonest deadline. */
export async function uninvoicedSummary(deps: Deps, openid: string): Promise<UninvoicedSummary> {
  const now = deps.clock.now()
  const since = new Date(now.getTime() - windowDays(deps) * DAY_MS).toISOString()
  const paidAts: string[] = []
  let cursor: { paidAt: string; id: string } | undefined
  while (paidAts.length < SUMMARY_MAX) {
    const page = await deps.orders.listUninvoiced(openid, since, { limit: 100, cursor })
    for (const o of page) if (o.paidAt) paidAts.push(o.paidAt)
    if (page.length < 100) break
    const last = page[page.length - 1]
    cursor = { paidAt: last.paidAt ?? '', id: last.id }
  }
  return summarizeUninvoiced(paidAts, windowDays(deps), now)
}

export interface ReminderReport {
  scanned: number
  people: number
  sent: number
  /** plans whose every key was claimed already (an earlier run, or a concurrent one) */
  already: number
  /** 30-day reminders held back: the person had one within QUIET_DAYS */
  quiet: number
  subscribe: number
  email: number
  sms: number
  errors: number
}

/**
 * The reminders timer. Scans everyone's paid, un-invoiced top-ups whose window closes within 30
 * days, one reminder per person per run. Before anything is sent, each (person, threshold,
 * deadline day) key of the reminder is claimed under its unique key; only a run that claimed at
 * least one new key sends, so a rerun (after a crash, a retry, a second trigger) sends nothing
 * twice. Channels: one subscribe message within the person's quota (invoiceReminder), the e-mail
 * (notice outbox, keyed by the reminder) when they have a default address, else an SMS when they
 * opted in.
 */
export async function runReminders(deps: Deps): Promise<ReminderReport> {
  const now = deps.clock.now()
  const days = windowDays(deps)
  // windows closing within (now, now + 30 days]: paid in (now - days, now - days + 30]
  const since = new Date(now.getTime() - days * DAY_MS).toISOString()
  const before = new Date(now.getTime() - (days - 30) * DAY_MS + 1).toISOString()
  const orders = []
  let after: { paidAt: string; id: string } | undefined
  for (;;) {
    const page = await deps.orders.listUninvoicedPaidBetween(since, before, { limit: SWEEP_PAGE, after })
    orders.push(...page)
    if (page.length < SWEEP_PAGE) break
    const last = page[page.length - 1]
    after = { paidAt: last.paidAt ?? '', id: last.id }
  }
  const plans = planReminders(orders, days, now)
  const report: ReminderReport = { scanned: orders.length, people: plans.length, sent: 0, already: 0, quiet: 0, subscribe: 0, email: 0, sms: 0, errors: 0 }
  for (const plan of plans) {
    try {
      if (plan.threshold === 30 && (await remindedRecently(deps, plan.openid, now))) {
        report.quiet++
        continue
      }
      // nothing new to say (every key claimed by an earlier run): no lock, no message
      const fresh = await unclaimedKeys(deps, plan)
      if (fresh.length === 0) {
        report.already++
        continue
      }
      // one reminder per person per day, even when two runs overlap (a retried trigger, a manual
      // run): the run that claims the person's day sends, the other stops here
      if (!(await deps.reminders.claim(dayLock(plan, now)))) {
        report.already++
        continue
      }
      const claimed = await claimKeys(deps, { ...plan, keys: fresh }, now)
      if (!claimed) {
        report.already++
        continue
      }
      const channels = await deliver(deps, plan, claimed)
      await deps.reminders.markSent(claimed, channels, deps.clock.now().toISOString())
      report.sent++
      for (const c of channels) if (c === 'subscribe' || c === 'email' || c === 'sms') report[c]++
    } catch (e) {
      report.errors++
      deps.log.error('reminder failed', { error: e instanceof Error ? e.message : String(e) })
    }
  }
  return report
}

async function unclaimedKeys(deps: Deps, plan: ReminderPlan): Promise<ReminderPlan['keys']> {
  const out: ReminderPlan['keys'] = []
  for (const k of plan.keys) if (!(await deps.reminders.findById(k.key))) out.push(k)
  return out
}

/** The person's reminder day (UTC+8) as a claim in the same table: `<openid>:day:<yyyy-mm-dd>`. */
function dayLock(plan: ReminderPlan, now: Date): ReminderRecord {
  const day = deadlineDay(now)
  return {
    id: `${plan.openid}:day:${day}`,
    openid: plan.openid,
    threshold: plan.threshold,
    deadlineDay: day,
    status: 'claimed',
    channels: null,
    createdAt: now.toISOString(),
    sentAt: null,
  }
}

async function remindedRecently(deps: Deps, openid: string, now: Date): Promise<boolean> {
  const [last] = await deps.reminders.listByOwner(openid, 1)
  return last !== undefined && now.getTime() - Date.parse(last.createdAt) < QUIET_DAYS * DAY_MS
}

/** Claims every key of the plan; returns the first newly claimed one (the reminder's record), or null. */
async function claimKeys(deps: Deps, plan: ReminderPlan, now: Date): Promise<string | null> {
  let first: string | null = null
  for (const k of plan.keys) {
    const won = await deps.reminders.claim({
      id: k.key,
      openid: plan.openid,
      threshold: k.threshold,
      deadlineDay: k.day,
      status: 'claimed',
      channels: null,
      createdAt: now.toISOString(),
      sentAt: null,
    })
    if (won && first === null) first = k.key
  }
  return first
}

async function deliver(deps: Deps, plan: ReminderPlan, key: string): Promise<string[]> {
  const channels: string[] = []
  if (await sendReminderMessage(deps, plan)) channels.push('subscribe')
  const email = (await deps.settings.get(plan.openid)).defaultEmail
  if (email) {
    if (await queueReminderMail(deps, plan, key, email)) channels.push('email')
  } else {
    const sms = await sendSmsNotice(deps, {
      key: `reminder:${key}`,
      openid: plan.openid,
      templateId: deps.config.sms.templates.invoiceReminder,
      params: [String(plan.count), String(plan.soonestDaysLeft)],
      text: reminderSmsText(plan.count, plan.soonestDaysLeft),
    })
    if (sms === 'sent') channels.push('sms')
  }
  return channels
}

/** One subscribe message within the person's quota: taken first, given back when not sent, cleared on 43101. */
async function sendReminderMessage(deps: Deps, plan: ReminderPlan): Promise<boolean> {
  const key = 'invoiceReminder' as const
  const templateId = deps.config.subscribe.templates[key]
  if (!templateId) return false
  const data = invoiceReminderMessage(
    { count: plan.count, amountFen: plan.amountFen, deadline: plan.soonestEndsAt },
    deps.config.subscribe.fields.invoiceReminder,
  )
  if (!(await deps.quota.take(plan.openid, key))) return false
  let result
  try {
    result = await deps.subscribe.send({ openid: plan.openid, templateKey: key, templateId, page: 'pages/invoice/index', data })
  } catch (e) {
    await deps.quota.giveBack(plan.openid, key)
    deps.log.warn('reminder message failed', { error: e instanceof Error ? e.message : String(e) })
    return false
  }
  if (result.ok) return true
  if (result.errcode === 43101) await deps.quota.clear(plan.openid, key)
  else await deps.quota.giveBack(plan.openid, key)
  deps.log.warn('reminder message not sent', { errcode: result.errcode })
  return false
}

/** The reminder e-mail through the notice outbox, keyed by the reminder: queued once, retried by the sweep. */
async function queueReminderMail(deps: Deps, plan: ReminderPlan, key: string, to: string): Promise<boolean> {
  const at = deps.clock.now().toISOString()
  const text = reminderText(plan)
  const mail = {
    subject: `【武汉通】${plan.count} 笔充值还未开发票，${plan.soonestDaysLeft} 天后超过开票期限`,
    text: ['您好：', '', text, '', '本邮件由系统自动发送，请勿直接回复。'].join('\n'),
    html: `<!doctype html><html><body style="font-family:sans-serif;line-height:1.6"><p>您好：</p><p>${text.replace(/[&<>"']/g, '')}</p><p style="color:#666">本邮件由系统自动发送，请勿直接回复。</p></body></html>`,
  }
  return queueNotice(deps, { id: `reminder:${key}`, openid: plan.openid, to, mail }, at)
}
