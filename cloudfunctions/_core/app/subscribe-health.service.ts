import type { StaffSubscribeHealth } from '../../../types/api'
import type { TemplateKey } from '../../../types/domain'
import type { Logger } from '../ports/runtime.port'
import type { SubscribeFailureRepo, SubscribeSender } from '../ports/subscribe.port'
import type { Deps } from '../runtime/deps'

/** WeChat's answer when the person has no quota for the template: refused, or used up. */
export const ERRCODE_NO_QUOTA = 43101
/** What a send that threw without a WeChat code (network, SDK) is counted under. */
export const ERRCODE_THROWN = -1

/**
 * A WeChat code the adapter does not settle (45009: the daily API quota) rides on the error
 * it throws, as errCode (the SDK's error) or errcode; anything else counts as ERRCODE_THROWN.
 */
function thrownCode(e: unknown): number {
  const o = (e && typeof e === 'object' ? e : {}) as { errcode?: unknown; errCode?: unknown }
  const raw = o.errcode ?? o.errCode
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
  return typeof n === 'number' && Number.isInteger(n) ? n : ERRCODE_THROWN
}

/** "2026-03-01T08": the UTC hour a failure is counted in */
export const hourOf = (d: Date) => d.toISOString().slice(0, 13)

/**
 * The subscribe sender every service uses, counting each failed send (an error answer, or a
 * throw) in `failures` before handing the result back unchanged. Counting must never change
 * what the caller sees: a failure to count is only logged.
 */
export function countingSubscribeSender(inner: SubscribeSender, failures: SubscribeFailureRepo, o: { now: () => Date; log: Logger }): SubscribeSender {
  const count = async (templateKey: TemplateKey, errcode: number, errmsg: string) => {
    try {
      await failures.record({ templateKey, errcode, errmsg: errmsg.slice(0, 200), at: o.now().toISOString() })
    } catch (e) {
      o.log.warn('subscribe failure not counted', { templateKey, errcode, error: e instanceof Error ? e.message : String(e) })
    }
  }
  return {
    async send(msg) {
      let result
      try {
        result = await inner.send(msg)
      } catch (e) {
        await count(msg.templateKey, thrownCode(e), e instanceof Error ? e.message : String(e))
        throw e
      }
      if (!result.ok) await count(msg.templateKey, result.errcode, result.errmsg)
      return result
    },
  }
}

const WINDOW_HOURS = 24

/**
 * `staff health`'s subscribe part: failed sends of the last 24 hours per template (counted by
 * the hour, so the window is the current hour and the 23 before it), how many of them were
 * "no quota" (43101), and when the last one happened.
 */
export async function subscribeHealth(deps: Deps, now: Date): Promise<StaffSubscribeHealth> {
  const since = hourOf(new Date(now.getTime() - (WINDOW_HOURS - 1) * 3600_000))
  const buckets = await deps.subscribeFailures.since(since)
  const per = new Map<TemplateKey, StaffSubscribeHealth['templates'][number]>()
  for (const b of buckets) {
    const t = per.get(b.templateKey) ?? {
      templateKey: b.templateKey,
      failures: 0,
      noQuota: 0,
      byErrcode: {},
      lastAt: b.lastAt,
      lastErrcode: b.errcode,
      lastErrmsg: b.lastErrmsg,
    }
    t.failures += b.count
    if (b.errcode === ERRCODE_NO_QUOTA) t.noQuota += b.count
    t.byErrcode[String(b.errcode)] = (t.byErrcode[String(b.errcode)] ?? 0) + b.count
    if (b.lastAt >= t.lastAt) Object.assign(t, { lastAt: b.lastAt, lastErrcode: b.errcode, lastErrmsg: b.lastErrmsg })
    per.set(b.templateKey, t)
  }
  const templates = [...per.values()].sort((a, b) => b.failures - a.failures || a.templateKey.localeCompare(b.templateKey))
  const lastErrorAt = templates.reduce<string | null>((m, t) => (m === null || t.lastAt > m ? t.lastAt : m), null)
  return { since: `${since}:00:00.000Z`, failures: templates.reduce((n, t) => n + t.failures, 0), lastErrorAt, templates }
}
