import type { ReminderThreshold } from '../../domain/reminder'
import type { ReminderRecord, ReminderRepo } from '../../ports/reminder.repo'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { getUpTo, isDuplicateWrite, str, strOrNull } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

const fromDoc = (d: WxDoc): ReminderRecord => ({
  id: str(d._id),
  openid: str(d.openid),
  threshold: Number(d.threshold) as ReminderThreshold,
  deadlineDay: str(d.deadlineDay),
  status: d.status === 'sent' ? 'sent' : 'claimed',
  channels: Array.isArray(d.channels) ? d.channels.map(str) : null,
  createdAt: str(d.createdAt),
  sentAt: strOrNull(d.sentAt),
})

/**
 * Reminders in `invoice_reminders` with `_id` = the never-twice key (person, threshold,
 * deadline day): claim() is one add, and the database refuses a second one with the same _id.
 */
export function wxReminderRepo(db: WxDatabase): ReminderRepo {
  const coll = () => db.collection(WX_COLLECTIONS.reminders)
  return {
    claim: async (rec) => {
      try {
        await coll().add({
          data: {
            _id: rec.id,
            openid: rec.openid,
            threshold: rec.threshold,
            deadlineDay: rec.deadlineDay,
            status: 'claimed',
            channels: null,
            createdAt: rec.createdAt,
            sentAt: null,
          },
        })
        return true
      } catch (e) {
        if (isDuplicateWrite(e)) return false
        throw e
      }
    },
    markSent: async (id, channels, at) => {
      await coll()
        .where({ _id: id, status: 'claimed' })
        .update({ data: { status: 'sent', channels, sentAt: at } })
    },
    findById: async (id) => {
      const { data } = await coll().where({ _id: id }).limit(1).get()
      return data[0] ? fromDoc(data[0]) : null
    },
    listByOwner: async (openid, limit) => (await getUpTo(coll().where({ openid }).orderBy('createdAt', 'desc').orderBy('_id', 'desc'), limit)).map(fromDoc),
  }
}
