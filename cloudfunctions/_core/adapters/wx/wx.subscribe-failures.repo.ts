import type { TemplateKey } from '../../../../types/domain'
import type { SubscribeFailureRepo } from '../../ports/subscribe.port'
import type { WxDatabase } from './wx-cloud.types'
import { getUpTo, isDuplicateWrite, str } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

/** Templates x errcodes x 24 hours stays far below this; it only bounds the read. */
const MAX_BUCKETS = 1000
/** Rounds lost to a concurrent first add before giving up. */
const MAX_ROUNDS = 5

/**
 * Failed subscribe sends in `subscribe_failures`, one document per (template, errcode, hour)
 * with `_id` = `<templateKey>:<errcode>:<hour>`: a failure is an update with _.inc(1) (atomic
 * per document); when there is no document yet it is added, and a concurrent first add that
 * lost the `_id` goes round to the update again. Old hours are left in place: at most a few
 * documents an hour, and `since` reads by the `hour` index.
 */
export function wxSubscribeFailureRepo(db: WxDatabase): SubscribeFailureRepo {
  const _ = db.command
  const failures = () => db.collection(WX_COLLECTIONS.subscribeFailures)
  return {
    record: async (f) => {
      const hour = f.at.slice(0, 13)
      const _id = `${f.templateKey}:${f.errcode}:${hour}`
      for (let round = 1; ; round++) {
        // _.inc always changes the document, so updated 0 means there was none
        const { stats } = await failures()
          .where({ _id })
          .update({ data: { count: _.inc(1), lastAt: f.at, lastErrmsg: f.errmsg } })
        if (stats.updated > 0) return
        try {
          await failures().add({ data: { _id, templateKey: f.templateKey, errcode: f.errcode, hour, count: 1, lastAt: f.at, lastErrmsg: f.errmsg } })
          return
        } catch (e) {
          if (!isDuplicateWrite(e) || round >= MAX_ROUNDS) throw e
        }
      }
    },
    since: async (sinceHour) =>
      (
        await getUpTo(
          failures()
            .where({ hour: _.gte(sinceHour) })
            .orderBy('hour', 'asc')
            .orderBy('_id', 'asc'),
          MAX_BUCKETS,
        )
      ).map((d) => ({
        templateKey: str(d.templateKey) as TemplateKey,
        errcode: Number(d.errcode),
        hour: str(d.hour),
        count: Number(d.count),
        lastAt: str(d.lastAt),
        lastErrmsg: str(d.lastErrmsg),
      })),
  }
}
