/**
 * The daily caps on 补发 (re-sending an issued invoice by e-mail). The per-address cooldown keeps
 * one mailbox from being flooded; these caps keep anyone from using our mail server to send one
 * invoice (or all of theirs) to a long list of addresses. Days are counted in China time, as
 * the person reads "明天再试".
 */
const CN_OFFSET_MS = 8 * 3600_000
const DAY_MS = 24 * 3600_000

export type ResendCap = 'invoice' | 'user'

/** The China-time day of an instant, e.g. 2026-06-01: the counters' window. */
export function resendDay(now: Date): string {
  return new Date(now.getTime() + CN_OFFSET_MS).toISOString().slice(0, 10)
}

/** Seconds until the next China-time midnight (at least 1): when the caps start again. */
export function secondsToNextCnDay(now: Date): number {
  const local = now.getTime() + CN_OFFSET_MS
  const nextMidnight = (Math.floor(local / DAY_MS) + 1) * DAY_MS
  return Math.max(1, Math.ceil((nextMidnight - local) / 1000))
}

/**
 * The counter keys: one per invoice and day, one per person and day. The person is the
 * invoice's owner (also when staff re-send for them), so the cap follows the invoices, not the caller.
 */
export const resendCounterKey = (cap: ResendCap, id: string, day: string): string => `resend|${cap}|${id}|${day}`

/** What the person reads when a cap is reached: which cap, and when it opens again. */
export function resendLimitMessage(cap: ResendCap, max: number): string {
  return cap === 'invoice'
    ? `这张发票今天已补发 ${max} 次，已达上限，请明天再试；没收到？请先查看垃圾邮件箱`
    : `您今天已补发 ${max} 次发票，已达上限，请明天再试`
}
