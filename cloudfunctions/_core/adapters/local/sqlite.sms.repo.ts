import type { SmsCode, SmsContact, SmsOutboxItem, SmsRepo } from '../../ports/sms.port'
import { uniqueViolation, type Db } from './sqlite.db'

interface ContactRow {
  openid: string
  phone: string
  opt_in: number
  via: 'wechat' | 'code'
  verified_at: string
  updated_at: string
}
interface CodeRow {
  openid: string
  phone: string
  code_hash: string
  expires_at: string
  attempts: number
  sends_in_window: number
  window_start: string
  last_sent_at: string
}
interface OutboxRow {
  id: string
  openid: string
  phone: string
  text: string
  status: SmsOutboxItem['status']
  last_error: string | null
  created_at: string
  sent_at: string | null
}

/** The SMS channel's records in SQLite: contacts, verification codes (hash only), the outbox keyed by its never-twice id. */
export function sqliteSmsRepo(db: Db): SmsRepo {
  const contact = db.prepare<[string], ContactRow>('SELECT * FROM sms_contacts WHERE openid = ?')
  const saveContact = db.prepare(
    `INSERT INTO sms_contacts (openid, phone, opt_in, via, verified_at, updated_at) VALUES (@openid, @phone, @optIn, @via, @verifiedAt, @updatedAt)
     ON CONFLICT (openid) DO UPDATE SET phone = @phone, opt_in = @optIn, via = @via, verified_at = @verifiedAt, updated_at = @updatedAt`,
  )
  const removeContact = db.prepare('DELETE FROM sms_contacts WHERE openid = ?')
  const code = db.prepare<[string], CodeRow>('SELECT * FROM sms_codes WHERE openid = ?')
  const saveCode = db.prepare(
    `INSERT INTO sms_codes (openid, phone, code_hash, expires_at, attempts, sends_in_window, window_start, last_sent_at)
     VALUES (@openid, @phone, @codeHash, @expiresAt, @attempts, @sendsInWindow, @windowStart, @lastSentAt)
     ON CONFLICT (openid) DO UPDATE SET phone = @phone, code_hash = @codeHash, expires_at = @expiresAt, attempts = @attempts,
       sends_in_window = @sendsInWindow, window_start = @windowStart, last_sent_at = @lastSentAt`,
  )
  const bump = db.prepare('UPDATE sms_codes SET attempts = attempts + 1 WHERE openid = ? AND attempts = ?')
  const removeCode = db.prepare('DELETE FROM sms_codes WHERE openid = ?')
  const claim = db.prepare(
    `INSERT INTO sms_outbox (id, openid, phone, text, status, last_error, created_at, sent_at) VALUES (@id, @openid, @phone, @text, 'claimed', NULL, @createdAt, NULL)`,
  )
  const finish = db.prepare(`UPDATE sms_outbox SET status = ?, sent_at = ?, last_error = ? WHERE id = ? AND status = 'claimed'`)
  const outbox = db.prepare<[string], OutboxRow>('SELECT * FROM sms_outbox WHERE id = ?')
  return {
    getContact: async (openid) => {
      const r = contact.get(openid)
      return r ? { openid: r.openid, phone: r.phone, optIn: r.opt_in === 1, via: r.via, verifiedAt: r.verified_at, updatedAt: r.updated_at } : null
    },
    saveContact: async (c: SmsContact) => {
      saveContact.run({ ...c, optIn: c.optIn ? 1 : 0 })
    },
    removeContact: async (openid) => {
      removeContact.run(openid)
    },
    getCode: async (openid) => {
      const r = code.get(openid)
      return r
        ? {
            openid: r.openid,
            phone: r.phone,
            codeHash: r.code_hash,
            expiresAt: r.expires_at,
            attempts: r.attempts,
            sendsInWindow: r.sends_in_window,
            windowStart: r.window_start,
            lastSentAt: r.last_sent_at,
          }
        : null
    },
    saveCode: async (c: SmsCode) => {
      saveCode.run({ ...c })
    },
    bumpAttempts: async (openid, attempts) => bump.run(openid, attempts).changes === 1,
    removeCode: async (openid) => {
      removeCode.run(openid)
    },
    claim: async (item) => {
      try {
        claim.run({ id: item.id, openid: item.openid, phone: item.phone, text: item.text, createdAt: item.createdAt })
        return true
      } catch (e) {
        if (uniqueViolation(e)) return false
        throw e
      }
    },
    finish: async (id, status, at, error) => {
      finish.run(status, status === 'sent' ? at : null, error, id)
    },
    findOutbox: async (id) => {
      const r = outbox.get(id)
      return r
        ? { id: r.id, openid: r.openid, phone: r.phone, text: r.text, status: r.status, lastError: r.last_error, createdAt: r.created_at, sentAt: r.sent_at }
        : null
    },
  }
}
