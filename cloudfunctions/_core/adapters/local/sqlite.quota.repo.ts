import type { TemplateKey } from '../../../../types/domain'
import { TEMPLATE_KEYS } from '../../domain/subscribe'
import type { QuotaRepo } from '../../ports/subscribe.port'
import type { Db } from './sqlite.db'

/**
 * More accepts than this per user and template are not kept. A person who taps "allow" on
 * every visit would otherwise bank hundreds of messages; WeChat itself counts each accept,
 * but we never need more than a handful ahead (one per pending invoice).
 */
export const QUOTA_MAX = 50

export interface SqliteQuotaRepoOptions {
  /** cap on accumulated quota per user and template (default QUOTA_MAX) */
  max?: number
}

/**
 * One-time subscription quota in SQLite. The table is created here (CREATE TABLE IF NOT
 * EXISTS) rather than in sqlite.db's migration list, so this adapter stands alone.
 *
 * take() is a single conditional UPDATE (remaining > 0): SQLite runs it atomically, so any
 * number of concurrent takers get exactly as many `true` answers as there was quota, and the
 * CHECK constraint is a second guard that remaining never goes below zero.
 */
export function sqliteQuotaRepo(db: Db, opts: SqliteQuotaRepoOptions = {}): QuotaRepo {
  const max = opts.max ?? QUOTA_MAX
  if (!Number.isSafeInteger(max) || max < 1) throw new Error('quota max must be a positive integer')
  db.exec(`CREATE TABLE IF NOT EXISTS subscribe_quota (
    openid TEXT NOT NULL,
    template_key TEXT NOT NULL,
    remaining INTEGER NOT NULL CHECK (remaining >= 0),
    PRIMARY KEY (openid, template_key)
  )`)
  const upsert = db.prepare<[{ openid: string; key: string; n: number; max: number }], { remaining: number }>(
    `INSERT INTO subscribe_quota (openid, template_key, remaining) VALUES (@openid, @key, MIN(@n, @max))
     ON CONFLICT (openid, template_key) DO UPDATE SET remaining = MIN(remaining + @n, @max)
     RETURNING remaining`,
  )
  const take = db.prepare<[string, string]>('UPDATE subscribe_quota SET remaining = remaining - 1 WHERE openid = ? AND template_key = ? AND remaining > 0')
  const clear = db.prepare<[string, string]>('UPDATE subscribe_quota SET remaining = 0 WHERE openid = ? AND template_key = ?')
  const byOwner = db.prepare<[string], { template_key: string; remaining: number }>('SELECT template_key, remaining FROM subscribe_quota WHERE openid = ?')

  const guard = (openid: string, key: TemplateKey) => {
    if (!openid) throw new Error('quota: openid is required')
    if (!TEMPLATE_KEYS.includes(key)) throw new Error(`quota: unknown template key ${String(key)}`)
  }

  return {
    add: async (openid, key, n) => {
      guard(openid, key)
      if (!Number.isSafeInteger(n) || n < 0) throw new Error('quota: n must be a non-negative integer')
      return upsert.get({ openid, key, n, max })!.remaining
    },
    take: async (openid, key) => {
      guard(openid, key)
      return take.run(openid, key).changes === 1
    },
    giveBack: async (openid, key) => {
      guard(openid, key)
      upsert.run({ openid, key, n: 1, max })
    },
    clear: async (openid, key) => {
      guard(openid, key)
      clear.run(openid, key)
    },
    get: async (openid) => {
      const out = Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, 0])) as Record<TemplateKey, number>
      for (const r of byOwner.all(openid)) if ((TEMPLATE_KEYS as string[]).includes(r.template_key)) out[r.template_key as TemplateKey] = r.remaining
      return out
    },
  }
}
