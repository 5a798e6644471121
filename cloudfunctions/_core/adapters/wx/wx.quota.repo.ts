import type { TemplateKey } from '../../../../types/domain'
import { TEMPLATE_KEYS } from '../../domain/subscribe'
import type { QuotaRepo } from '../../ports/subscribe.port'
import type { WxDatabase } from './wx-cloud.types'
import { isDuplicateWrite } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

/**
 * More accepts than this per user and template are not kept (the same cap as the local
 * cloud's sqliteQuotaRepo: we never need more than a handful of messages ahead).
 */
export const WX_QUOTA_MAX = 50

export interface WxQuotaRepoOptions {
  /** cap on accumulated quota per user and template (default WX_QUOTA_MAX) */
  max?: number
}

/** Rounds of add() lost to a concurrent first add before giving up (each round is one race lost). */
const MAX_ADD_ROUNDS = 8

const docId = (openid: string, key: TemplateKey) => `${openid}:${key}`

/**
 * One-time subscription quota in `subscribe_quota`, one document per user and template with
 * `_id` = `<openid>:<templateKey>` (so no index is needed, and two first accepts cannot make
 * two documents). Behaves like sqliteQuotaRepo.
 *
 * take() is ONE conditional update, where({ _id, remaining: _.gt(0) }) with _.inc(-1): the
 * database matches and decrements atomically per document, so any number of concurrent takers
 * get exactly as many `true` answers as there was quota, and remaining never goes below zero.
 *
 * add() is an upsert capped at `max` in the same style: _.inc(n) conditional on there being
 * room (remaining <= max - n), else set to the cap (conditional on being above that), else
 * the document does not exist yet and is added (a concurrent first add makes us go round
 * again). The cloud database has no MIN() in an update, hence the two conditional writes.
 */
export function wxQuotaRepo(db: WxDatabase, opts: WxQuotaRepoOptions = {}): QuotaRepo {
  const max = opts.max ?? WX_QUOTA_MAX
  if (!Number.isSafeInteger(max) || max < 1) throw new Error('quota max must be a positive integer')
  const _ = db.command
  const quota = () => db.collection(WX_COLLECTIONS.subscribeQuota)

  const guard = (openid: string, key: TemplateKey) => {
    if (!openid) throw new Error('quota: openid is required')
    if (!TEMPLATE_KEYS.includes(key)) throw new Error(`quota: unknown template key ${String(key)}`)
  }

  const remaining = async (openid: string, key: TemplateKey): Promise<number | null> => {
    const { data } = await quota()
      .where({ _id: docId(openid, key) })
      .limit(1)
      .get()
    return data[0] ? Number(data[0].remaining) : null
  }

  async function upsert(openid: string, key: TemplateKey, n: number): Promise<number> {
    const _id = docId(openid, key)
    for (let round = 1; ; round++) {
      if (n > 0) {
        // stats.updated counts changed documents, so n must be > 0 here (inc(0) changes nothing)
        const room = await quota()
          .where({ _id, remaining: _.lte(max - n) })
          .update({ data: { remaining: _.inc(n) } })
        if (room.stats.updated === 1) break
        const capped = await quota()
          .where({ _id, remaining: _.gt(max - n) })
          .update({ data: { remaining: max } })
        if (capped.stats.updated === 1) break
      }
      const now = await remaining(openid, key)
      if (now !== null && (n === 0 || now >= max)) return now // nothing to add, or already at the cap
      if (now === null) {
        try {
          await quota().add({ data: { _id, openid, templateKey: key, remaining: Math.min(n, max) } })
          break
        } catch (e) {
          if (!isDuplicateWrite(e)) throw e // else: a concurrent first add: go round again
        }
      }
      if (round >= MAX_ADD_ROUNDS) throw new Error(`subscribe_quota/${_id}: gave up after ${round} concurrent changes`)
    }
    return (await remaining(openid, key)) ?? 0
  }

  return {
    /** The quota after the add, as read right after it (a concurrent take may already show). */
    add: async (openid, key, n) => {
      guard(openid, key)
      if (!Number.isSafeInteger(n) || n < 0) throw new Error('quota: n must be a non-negative integer')
      return upsert(openid, key, n)
    },

    take: async (openid, key) => {
      guard(openid, key)
      const res = await quota()
        .where({ _id: docId(openid, key), remaining: _.gt(0) })
        .update({ data: { remaining: _.inc(-1) } })
      return res.stats.updated === 1
    },

    giveBack: async (openid, key) => {
      guard(openid, key)
      await upsert(openid, key, 1)
    },

    // Like SQLite: only an existing row is cleared; there is nothing to clear otherwise.
    clear: async (openid, key) => {
      guard(openid, key)
      await quota()
        .where({ _id: docId(openid, key) })
        .update({ data: { remaining: 0 } })
    },

    get: async (openid) => {
      const out = Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, 0])) as Record<TemplateKey, number>
      if (!openid) return out
      const { data } = await quota()
        .where({ _id: _.in(TEMPLATE_KEYS.map((k) => docId(openid, k))) })
        .limit(TEMPLATE_KEYS.length)
        .get()
      for (const d of data) {
        const key = d.templateKey as TemplateKey
        if (TEMPLATE_KEYS.includes(key)) out[key] = Number(d.remaining) || 0
      }
      return out
    },
  }
}
