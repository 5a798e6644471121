import type { SmsCode, SmsContact, SmsOutboxItem, SmsRepo } from '../../ports/sms.port'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { isDuplicateWrite, str, strOrNull } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

const contactOf = (d: WxDoc): SmsContact => ({
  openid: str(d._id),
  phone: str(d.phone),
  optIn: d.optIn === true,
  via: d.via === 'wechat' ? 'wechat' : 'code',
  verifiedAt: str(d.verifiedAt),
  updatedAt: str(d.updatedAt),
})

const codeOf = (d: WxDoc): SmsCode => ({
  openid: str(d._id),
  phone: str(d.phone),
  codeHash: str(d.codeHash),
  expiresAt: str(d.expiresAt),
  attempts: Number(d.attempts) || 0,
  sendsInWindow: Number(d.sendsInWindow) || 0,
  windowStart: str(d.windowStart),
  lastSentAt: str(d.lastSentAt),
})

const outboxOf = (d: WxDoc): SmsOutboxItem => ({
  id: str(d._id),
  openid: str(d.openid),
  phone: str(d.phone),
  text: str(d.text),
  status: d.status === 'sent' || d.status === 'failed' ? d.status : 'claimed',
  lastError: strOrNull(d.lastError),
  createdAt: str(d.createdAt),
  sentAt: strOrNull(d.sentAt),
})

/**
 * The SMS channel in the cloud database: one contact and one code document per person
 * (`_id` = openid), the outbox under its never-twice key as `_id` (a second add is refused).
 */
export function wxSmsRepo(db: WxDatabase): SmsRepo {
  const contacts = () => db.collection(WX_COLLECTIONS.smsContacts)
  const codes = () => db.collection(WX_COLLECTIONS.smsCodes)
  const outbox = () => db.collection(WX_COLLECTIONS.smsOutbox)
  const one = async (coll: ReturnType<typeof contacts>, id: string) => (await coll.where({ _id: id }).limit(1).get()).data[0] ?? null

  /** update the one document, or add it; a concurrent add makes the update win the second round */
  async function upsert(coll: () => ReturnType<typeof contacts>, id: string, data: Record<string, unknown>) {
    for (let round = 0; round < 3; round++) {
      if (await one(coll(), id)) {
        await coll().where({ _id: id }).update({ data })
        return
      }
      try {
        await coll().add({ data: { _id: id, ...data } })
        return
      } catch (e) {
        if (!isDuplicateWrite(e)) throw e
      }
    }
    throw new Error('sms repo: upsert kept racing')
  }

  return {
    getContact: async (openid) => {
      const d = await one(contacts(), openid)
      return d ? contactOf(d) : null
    },
    saveContact: async (c) => upsert(contacts, c.openid, { phone: c.phone, optIn: c.optIn, via: c.via, verifiedAt: c.verifiedAt, updatedAt: c.updatedAt }),
    removeContact: async (openid) => {
      await contacts().where({ _id: openid }).remove()
    },
    getCode: async (openid) => {
      const d = await one(codes(), openid)
      return d ? codeOf(d) : null
    },
    saveCode: async (c) =>
      upsert(codes, c.openid, {
        phone: c.phone,
        codeHash: c.codeHash,
        expiresAt: c.expiresAt,
        attempts: c.attempts,
        sendsInWindow: c.sendsInWindow,
        windowStart: c.windowStart,
        lastSentAt: c.lastSentAt,
      }),
    bumpAttempts: async (openid, attempts) => {
      const r = await codes()
        .where({ _id: openid, attempts })
        .update({ data: { attempts: db.command.inc(1) } })
      return r.stats.updated === 1
    },
    removeCode: async (openid) => {
      await codes().where({ _id: openid }).remove()
    },
    claim: async (item) => {
      try {
        await outbox().add({
          data: {
            _id: item.id,
            openid: item.openid,
            phone: item.phone,
            text: item.text,
            status: 'claimed',
            lastError: null,
            createdAt: item.createdAt,
            sentAt: null,
          },
        })
        return true
      } catch (e) {
        if (isDuplicateWrite(e)) return false
        throw e
      }
    },
    finish: async (id, status, at, error) => {
      await outbox()
        .where({ _id: id, status: 'claimed' })
        .update({ data: { status, sentAt: status === 'sent' ? at : null, lastError: error } })
    },
    findOutbox: async (id) => {
      const d = await one(outbox(), id)
      return d ? outboxOf(d) : null
    },
  }
}
