/**
 * Subscribe messages about invoices (开具成功 / 开具失败). Optional: whatever happens here never
 * reaches the page. WeChat only opens its dialog from a tap (or a payment callback), and an
 * await before the call loses the tap, so the template ids are loaded ahead of time
 * (primeInvoiceNotices on show) and askInvoiceNotices must be called first thing in a tap handler.
 */
import Taro from '@tarojs/taro'
import type { InvoiceStatus, SubscribeTemplates, TemplateKey } from '@shared/domain'
import { cachedTemplates, getSettings, recordSubscriptions } from './profile.service'

const INVOICE_KEYS: TemplateKey[] = ['invoiceIssued', 'invoiceFailed']
/** 补开 / 问题反馈 progress (审核结果, 客服回复): asked when the person submits one */
const AFTERSALES_KEYS: TemplateKey[] = ['afterSalesUpdate']
/** 开票提醒 (the reminders timer, 30 and 7 days before the request window closes): asked when a top-up is left un-invoiced */
const REMINDER_KEYS: TemplateKey[] = ['invoiceReminder']
/** WeChat takes at most 3 templates per call */
const MAX_PER_CALL = 3

type Results = Partial<Record<TemplateKey, string>>

let asking: Promise<void> | null = null

/** Loads the template ids so that a later tap can open the dialog at once. */
export function primeInvoiceNotices(): void {
  if (!cachedTemplates()) void getSettings().catch(() => undefined)
}

/**
 * One flow (pay -> result -> 开票 -> detail) takes a few minutes: within this long after the
 * person answered (or closed) the dialog, it is not shown again, whichever page asks.
 */
export const FLOW_MS = 15 * 60_000
/** When each set of templates was last asked; kept in storage so a reload (H5) stays in the same flow. */
const LAST_ASKED_KEY = 'wt.subscribe.lastAsked'

function readLastAsked(): Record<string, number> {
  try {
    const v = Taro.getStorageSync<Record<string, number> | ''>(LAST_ASKED_KEY)
    return v && typeof v === 'object' ? v : {}
  } catch {
    return {}
  }
}

const lastAsked = {
  get(keys: string): number | undefined {
    const at = readLastAsked()[keys]
    return typeof at === 'number' ? at : undefined
  },
  set(keys: string, at: number): void {
    try {
      Taro.setStorageSync(LAST_ASKED_KEY, { ...readLastAsked(), [keys]: at })
    } catch {
      // storage unavailable: the next page may ask once more, nothing worse
    }
  },
}

/**
 * Asks for 开具结果 notices when they are still news: pass the invoice's status when there is
 * one; an invoice that is already issued (or failed) has nothing left to announce, so merely
 * opening it never asks.
 */
export function askInvoiceNotices(opts: { invoiceStatus?: InvoiceStatus | null } = {}): Promise<void> {
  const status = opts.invoiceStatus
  if (status === 'issued' || status === 'failed') return Promise.resolve()
  return askOnce(INVOICE_KEYS)
}

/** Same rules as askInvoiceNotices: first thing in the tap handler of 提交 (an application or a ticket). */
export function askAfterSalesNotices(): Promise<void> {
  return askOnce(AFTERSALES_KEYS)
}

/** Same rules: first thing in the tap that leaves a paid top-up un-invoiced (e.g. 返回首页 after a manual top-up). */
export function askReminderNotices(): Promise<void> {
  return askOnce(REMINDER_KEYS)
}

/** Whether this flow already asked for these notices (the dialog is shown at most once per flow). */
export function askedRecently(keys: TemplateKey[] = INVOICE_KEYS, now: number = Date.now()): boolean {
  const at = lastAsked.get(keys.join(','))
  return at !== undefined && now - at < FLOW_MS
}

function askOnce(keys: TemplateKey[]): Promise<void> {
  // a second tap while the dialog is up asks nothing more
  if (asking) return asking
  if (askedRecently(keys)) return Promise.resolve()
  lastAsked.set(keys.join(','), Date.now())
  asking = ask(keys).finally(() => {
    asking = null
  })
  return asking
}

async function ask(keys: TemplateKey[]): Promise<void> {
  try {
    const results = process.env.TARO_ENV === 'h5' ? await askLocal(keys) : await askWechat(keys)
    if (results && Object.keys(results).length > 0) await recordSubscriptions(results)
  } catch {
    // refused, closed, no quota or offline: the invoice still arrives in the app and by e-mail
  }
}

async function askWechat(keys: TemplateKey[]): Promise<Results | null> {
  // Cached: no await before the call, so WeChat still sees the tap.
  const templates: SubscribeTemplates = cachedTemplates() ?? (await getSettings()).templates
  const pairs = keys
    .map((key) => [key, templates.ids[key]] as const)
    .filter(([, id]) => Boolean(id))
    .slice(0, MAX_PER_CALL)
  if (pairs.length === 0) return null
  const res = (await Taro.requestSubscribeMessage({
    tmplIds: pairs.map(([, id]) => id),
  } as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, unknown>
  const results: Results = {}
  for (const [key, id] of pairs) {
    const answer = res[id]
    if (typeof answer === 'string') results[key] = answer
  }
  return results
}

/** H5 has no WeChat: a plain stand-in dialog, recorded the same way. */
async function askLocal(keys: TemplateKey[]): Promise<Results> {
  const res = await Taro.showModal({
    title: '订阅消息（本地模拟）',
    content: keys.includes('afterSalesUpdate')
      ? '允许发送「申请与反馈进度」通知？'
      : keys.includes('invoiceReminder')
        ? '允许在开票期限快到时提醒您？'
        : '允许发送「发票开具结果」通知？',
    confirmText: '允许',
    cancelText: '拒绝',
  })
  const answer = res.confirm ? 'accept' : 'reject'
  return Object.fromEntries(keys.map((k) => [k, answer]))
}
