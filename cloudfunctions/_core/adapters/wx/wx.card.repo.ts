import type { CardRepo, StoredCard } from '../../ports/card.repo'
import { DuplicateKeyError } from '../../ports/errors'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { getUpTo, isDuplicateWrite, str } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

/**
 * No user is expected near this (MAX_CARDS_PER_USER defaults to 10); it only bounds the
 * number of pages a corrupted owner could make us read.
 */
const MAX_CARDS_LISTED = 1000

const fromDoc = (d: WxDoc): StoredCard => ({
  id: d._id,
  openid: str(d.openid),
  cardNo: str(d.cardNo),
  nickname: str(d.nickname),
  createdAt: str(d.createdAt),
  // absent (cards bound before groups existed, or never grouped) and null both mean no group
  ...(typeof d.group === 'string' && d.group !== '' ? { group: d.group } : {}),
})

/**
 * Cards in the `cards` collection, `_id` = card id. Behaves like sqliteCardRepo: a second
 * binding of the same card number by the same user is refused by the unique index
 * uniq_openid_cardNo (wx.indexes.ts), not by a read-then-write check that two concurrent
 * taps would both pass.
 */
export function wxCardRepo(db: WxDatabase): CardRepo {
  const cards = () => db.collection(WX_COLLECTIONS.cards)
  const insert = async (c: StoredCard): Promise<void> => {
    try {
      await cards().add({
        data: { _id: c.id, openid: c.openid, cardNo: c.cardNo, nickname: c.nickname, createdAt: c.createdAt, ...(c.group ? { group: c.group } : {}) },
      })
    } catch (e) {
      // A taken _id is reported the same way, as SQLite's primary key is: ids are random,
      // so in practice it is the (openid, cardNo) index.
      if (isDuplicateWrite(e)) throw new DuplicateKeyError('cardNo')
      throw e
    }
  }
  return {
    listByOwner: async (openid) => (await getUpTo(cards().where({ openid }).orderBy('createdAt', 'asc').orderBy('_id', 'asc'), MAX_CARDS_LISTED)).map(fromDoc),

    countByOwner: async (openid) => (await cards().where({ openid }).count()).total,

    // where({ _id }) rather than doc(id).get(): the latter rejects for a missing document,
    // and "not found" is an ordinary answer here, not an error.
    findById: async (id) => {
      const { data } = await cards().where({ _id: id }).limit(1).get()
      return data.length ? fromDoc(data[0]) : null
    },

    // Insert, then count: of two binds racing for the last place, the one that counts second
    // sees both cards and takes its own back (both may, then the person simply taps again), so
    // the owner never keeps more than `max`. Same number of requests as counting first.
    insertWithinLimit: async (c, max) => {
      await insert(c)
      if ((await cards().where({ openid: c.openid }).count()).total <= max) return true
      await cards().where({ _id: c.id, openid: c.openid }).remove()
      return false
    },

    insert: async (c) => insert(c),

    // The owner is part of the condition: cloud functions bypass the database's security
    // rules, so this line is the only thing stopping one user from removing another's card.
    remove: async (openid, id) => (await cards().where({ _id: id, openid }).remove()).stats.removed === 1,

    // owner in the condition for the same reason as remove; `updated` counts matched documents
    // whose value changed, so setting the same label again is read back as a match, not a miss
    setGroup: async (openid, id, group) => {
      const { stats } = await cards().where({ _id: id, openid }).update({ data: { group } })
      if (stats.updated === 1) return true
      return (await cards().where({ _id: id, openid }).count()).total === 1
    },
  }
}
