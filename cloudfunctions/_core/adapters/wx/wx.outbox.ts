import type { WxCollection, WxCommand, WxDoc } from './wx-cloud.types'
import { getUpTo } from './wx.db'

/**
 * The sending half of an outbox collection (invoice mail, after-sales notices): what is due, the
 * claim of one item by one sender, and the outcome. `key` is the field that holds the item's id
 * (`_id`, or `itemId` where the document id is derived from it).
 */
export function wxOutboxQueue<T>(coll: () => WxCollection, _: WxCommand, key: '_id' | 'itemId', fromDoc: (d: WxDoc) => T) {
  return {
    due: async (now: string, limit: number): Promise<T[]> =>
      (
        await getUpTo(
          coll()
            .where({ status: 'pending', nextAttemptAt: _.lte(now) })
            .orderBy('nextAttemptAt', 'asc')
            .orderBy('_id', 'asc'),
          limit,
        )
      ).map(fromDoc),

    /**
     * Conditional on the attempts count and status, with the count raised in the same write:
     * of concurrent senders that read the same item, exactly one matches.
     */
    claim: async (id: string, attempts: number, leaseUntil: string): Promise<boolean> =>
      (
        await coll()
          .where({ [key]: id, attempts, status: 'pending' })
          .update({ data: { attempts: _.inc(1), nextAttemptAt: leaseUntil } })
      ).stats.updated === 1,

    markSent: async (id: string, at: string): Promise<void> => {
      await coll()
        .where({ [key]: id })
        .update({ data: { status: 'sent', sentAt: at, lastError: null } })
    },

    markRetry: async (id: string, attempts: number, nextAttemptAt: string, error: string, giveUp: boolean): Promise<void> => {
      await coll()
        .where({ [key]: id, attempts })
        .update({ data: { status: giveUp ? 'failed' : 'pending', nextAttemptAt, lastError: error.slice(0, 500) } })
    },
  }
}
