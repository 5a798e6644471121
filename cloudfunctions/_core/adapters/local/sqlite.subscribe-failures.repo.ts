import type { TemplateKey } from '../../../../types/domain'
import type { SubscribeFailureRepo } from '../../ports/subscribe.port'
import type { Db } from './sqlite.db'

/** Buckets older than this are dropped as new failures come in: health looks back 24 hours. */
const KEEP_DAYS = 14

/**
 * Failed subscribe sends in `subscribe_failures`, one row per (template, errcode, hour): a
 * failure is one upsert that increments the row, atomic in SQLite, so concurrent failures all
 * count.
 */
export function sqliteSubscribeFailureRepo(db: Db): SubscribeFailureRepo {
  const upsert = db.prepare(
    `INSERT INTO subscribe_failures (template_key, errcode, hour, count, last_at, last_errmsg)
     VALUES (@templateKey, @errcode, @hour, 1, @at, @errmsg)
     ON CONFLICT (template_key, errcode, hour) DO UPDATE SET
       count = count + 1,
       last_errmsg = CASE WHEN excluded.last_at >= last_at THEN excluded.last_errmsg ELSE last_errmsg END,
       last_at = MAX(last_at, excluded.last_at)`,
  )
  const prune = db.prepare('DELETE FROM subscribe_failures WHERE hour < ?')
  const since = db.prepare<[string], { template_key: string; errcode: number; hour: string; count: number; last_at: string; last_errmsg: string }>(
    'SELECT * FROM subscribe_failures WHERE hour >= ? ORDER BY hour, template_key, errcode',
  )
  return {
    record: async (f) => {
      const hour = f.at.slice(0, 13)
      db.transaction(() => {
        upsert.run({ templateKey: f.templateKey, errcode: f.errcode, hour, at: f.at, errmsg: f.errmsg })
        prune.run(new Date(Date.parse(f.at) - KEEP_DAYS * 86_400_000).toISOString().slice(0, 13))
      })()
    },
    since: async (sinceHour) =>
      since.all(sinceHour).map((r) => ({
        templateKey: r.template_key as TemplateKey,
        errcode: r.errcode,
        hour: r.hour,
        count: r.count,
        lastAt: r.last_at,
        lastErrmsg: r.last_errmsg,
      })),
  }
}
