import type { TicketMessage, TimelineEntry } from '../../../../types/aftersales'
import type {
  ApplicationRepo,
  CreatedCursor,
  NoticeItem,
  NoticeOutboxRepo,
  PaperRepo,
  StoredApplication,
  StoredPaperRequest,
  StoredTicket,
  TicketRepo,
} from '../../ports/aftersales.repo'
import { DuplicateKeyError } from '../../ports/errors'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { getUpTo, isDuplicateWrite, str, strOrNull } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'
import { wxOutboxQueue } from './wx.outbox'

/**
 * After-sales records in the cloud database: one document per record, `_id` = record id, the
 * record's fields at the top level (so the indexes of wx.indexes.ts can serve the queries).
 *
 * update() is one conditional where().update() on { _id, status in from, rev }: the database
 * applies it atomically per document, so of two writers that read the same revision exactly one
 * matches (and `rev` always changes, so stats.updated tells the winner). Arrays (the timeline,
 * a ticket's thread) are written whole with _.set from the revision read: our command subset has
 * no array push, and the revision check makes the read-modify-write safe.
 */

interface BaseRecord {
  id: string
  openid: string
  clientToken: string
  status: string
  rev: number
  createdAt: string
}

function fromDoc<T>(d: WxDoc): T {
  const { _id, ...rest } = d
  return { ...rest, id: _id } as T
}

function recordCollection<T extends BaseRecord>(db: WxDatabase, name: string) {
  const _ = db.command
  const coll = () => db.collection(name)

  const findById = async (id: string): Promise<T | null> => {
    const { data } = await coll().where({ _id: id }).limit(1).get()
    return data.length ? fromDoc<T>(data[0]) : null
  }
  const findOne = async (where: Record<string, unknown>): Promise<T | null> => {
    const { data } = await coll().where(where).limit(1).get()
    return data.length ? fromDoc<T>(data[0]) : null
  }

  /** Object and array values are replaced whole (update() would merge a plain object field by field). */
  const setData = (patch: Record<string, unknown>) => {
    const data: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(patch)) {
      if (k === 'id' || v === undefined) continue
      data[k] = v !== null && typeof v === 'object' ? _.set(v) : v
    }
    return data
  }

  return {
    findById,
    findOne,
    insert: async (r: T, otherKey?: (r: T) => Promise<string | null>) => {
      const { id, ...rest } = r as T & Record<string, unknown>
      try {
        await coll().add({ data: { _id: id, ...rest } })
      } catch (e) {
        if (!isDuplicateWrite(e)) throw e
        // The error does not reliably name the index: ask the data which key is taken.
        if (await findOne({ openid: r.openid, clientToken: r.clientToken })) throw new DuplicateKeyError('clientToken')
        const other = otherKey ? await otherKey(r) : null
        throw new DuplicateKeyError(other ?? 'id')
      }
    },
    findByClientToken: (openid: string, clientToken: string) => findOne({ openid, clientToken }),
    listByOwner: async (openid: string, { limit, cursor }: { limit: number; cursor?: CreatedCursor }) => {
      const condition = cursor
        ? _.and([{ openid }, _.or([{ createdAt: _.lt(cursor.createdAt) }, { createdAt: _.eq(cursor.createdAt), _id: _.lt(cursor.id) }])])
        : { openid }
      return (await getUpTo(coll().where(condition).orderBy('createdAt', 'desc').orderBy('_id', 'desc'), limit)).map((d) => fromDoc<T>(d))
    },
    countByOwner: async (openid: string, statuses: readonly string[]) =>
      statuses.length === 0
        ? 0
        : (
            await coll()
              .where({ openid, status: _.in([...statuses]) })
              .count()
          ).total,
    listByStatus: async (statuses: readonly string[], limit: number) =>
      statuses.length === 0
        ? []
        : (
            await getUpTo(
              coll()
                .where({ status: _.in([...statuses]) })
                .orderBy('createdAt', 'asc')
                .orderBy('_id', 'asc'),
              limit,
            )
          ).map((d) => fromDoc<T>(d)),
    countByStatus: async (statuses: readonly string[]) =>
      statuses.length === 0
        ? 0
        : (
            await coll()
              .where({ status: _.in([...statuses]) })
              .count()
          ).total,
    update: async (id: string, from: readonly string[], rev: number, patch: Partial<T>, append?: (cur: T) => Record<string, unknown>) => {
      if (from.length === 0) return false
      let extra: Record<string, unknown> = {}
      if (append) {
        const cur = await findById(id)
        if (!cur || cur.rev !== rev || !from.includes(cur.status)) return false
        extra = append(cur)
      }
      const { openid: _o, clientToken: _c, createdAt: _t, rev: _r, ...rest } = patch as Record<string, unknown>
      try {
        const res = await coll()
          .where({ _id: id, status: _.in([...from]), rev })
          .update({ data: { ...setData({ ...rest, ...extra }), rev: _.inc(1) } })
        return res.stats.updated === 1
      } catch (e) {
        if (isDuplicateWrite(e)) throw new DuplicateKeyError('activeKey')
        throw e
      }
    },
  }
}

export function wxApplicationRepo(db: WxDatabase): ApplicationRepo {
  const c = recordCollection<StoredApplication>(db, WX_COLLECTIONS.applications)
  return {
    insert: (a) => c.insert(a),
    findById: c.findById,
    findByClientToken: c.findByClientToken,
    listByOwner: c.listByOwner,
    countByOwner: c.countByOwner,
    listByStatus: c.listByStatus,
    countByStatus: c.countByStatus,
    update: (id, expect, patch, entry?: TimelineEntry) =>
      c.update(id, expect.from, expect.rev, patch, entry ? (cur) => ({ timeline: [...cur.timeline, entry] }) : undefined),
  }
}

export function wxPaperRepo(db: WxDatabase): PaperRepo {
  const c = recordCollection<StoredPaperRequest>(db, WX_COLLECTIONS.paperRequests)
  return {
    insert: (p) => c.insert(p, async (r) => ((await c.findOne({ activeKey: r.activeKey })) ? 'activeKey' : null)),
    findById: c.findById,
    findByClientToken: c.findByClientToken,
    activeForInvoice: (invoiceId) => c.findOne({ activeKey: invoiceId }),
    listByOwner: c.listByOwner,
    countByOwner: c.countByOwner,
    listByStatus: c.listByStatus,
    countByStatus: c.countByStatus,
    update: (id, expect, patch, entry?: TimelineEntry) =>
      c.update(id, expect.from, expect.rev, patch, entry ? (cur) => ({ timeline: [...cur.timeline, entry] }) : undefined),
  }
}

export function wxTicketRepo(db: WxDatabase): TicketRepo {
  const c = recordCollection<StoredTicket>(db, WX_COLLECTIONS.tickets)
  return {
    insert: (t) => c.insert(t),
    findById: c.findById,
    findByClientToken: c.findByClientToken,
    listByOwner: c.listByOwner,
    countByOwner: c.countByOwner,
    listByStatus: c.listByStatus,
    countByStatus: c.countByStatus,
    update: (id, expect, patch, message?: TicketMessage) =>
      c.update(id, expect.from, expect.rev, patch, message ? (cur) => ({ messages: [...cur.messages, message] }) : undefined),
  }
}

const noticeFromDoc = (d: WxDoc): NoticeItem => ({
  id: d._id,
  openid: str(d.openid),
  to: str(d.to),
  subject: str(d.subject),
  text: str(d.text),
  html: str(d.html),
  status: (['pending', 'sent', 'failed'].includes(str(d.status)) ? d.status : 'pending') as NoticeItem['status'],
  attempts: Number(d.attempts ?? 0),
  nextAttemptAt: str(d.nextAttemptAt),
  lastError: strOrNull(d.lastError),
  createdAt: str(d.createdAt),
  sentAt: strOrNull(d.sentAt),
})

/** Notice e-mails: `_id` = the notice's deterministic id, so the same notice is queued once. */
export function wxNoticeOutboxRepo(db: WxDatabase): NoticeOutboxRepo {
  const _ = db.command
  const coll = () => db.collection(WX_COLLECTIONS.noticeOutbox)
  return {
    add: async (item) => {
      const { id, ...rest } = item
      try {
        await coll().add({ data: { _id: id, ...rest } })
        return true
      } catch (e) {
        if (isDuplicateWrite(e)) return false
        throw e
      }
    },
    ...wxOutboxQueue(coll, _, '_id', noticeFromDoc),
    findById: async (id) => {
      const { data } = await coll().where({ _id: id }).limit(1).get()
      return data.length ? noticeFromDoc(data[0]) : null
    },
  }
}
