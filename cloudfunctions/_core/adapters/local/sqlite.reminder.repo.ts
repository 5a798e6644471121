import type { ReminderThreshold } from '../../domain/reminder'
import type { ReminderRecord, ReminderRepo } from '../../ports/reminder.repo'
import { uniqueViolation, type Db } from './sqlite.db'

interface Row {
  id: string
  openid: string
  threshold: number
  deadline_day: string
  status: 'claimed' | 'sent'
  channels: string | null
  created_at: string
  sent_at: string | null
}

const fromRow = (r: Row): ReminderRecord => ({
  id: r.id,
  openid: r.openid,
  threshold: r.threshold as ReminderThreshold,
  deadlineDay: r.deadline_day,
  status: r.status,
  channels: r.channels === null ? null : (JSON.parse(r.channels) as string[]),
  createdAt: r.created_at,
  sentAt: r.sent_at,
})

/** Reminders in SQLite: the primary key is the never-twice key, so claim() is one INSERT. */
export function sqliteReminderRepo(db: Db): ReminderRepo {
  const insert = db.prepare(
    `INSERT INTO invoice_reminders (id, openid, threshold, deadline_day, status, channels, created_at, sent_at)
     VALUES (@id, @openid, @threshold, @deadlineDay, 'claimed', NULL, @createdAt, NULL)`,
  )
  const sent = db.prepare(`UPDATE invoice_reminders SET status = 'sent', channels = ?, sent_at = ? WHERE id = ? AND status = 'claimed'`)
  const byId = db.prepare<[string], Row>('SELECT * FROM invoice_reminders WHERE id = ?')
  const byOwner = db.prepare<[string, number], Row>('SELECT * FROM invoice_reminders WHERE openid = ? ORDER BY created_at DESC, id DESC LIMIT ?')
  return {
    claim: async (rec) => {
      try {
        insert.run({ id: rec.id, openid: rec.openid, threshold: rec.threshold, deadlineDay: rec.deadlineDay, createdAt: rec.createdAt })
        return true
      } catch (e) {
        if (uniqueViolation(e)) return false
        throw e
      }
    },
    markSent: async (id, channels, at) => {
      sent.run(JSON.stringify(channels), at, id)
    },
    findById: async (id) => {
      const r = byId.get(id)
      return r ? fromRow(r) : null
    },
    listByOwner: async (openid, limit) => byOwner.all(openid, limit).map(fromRow),
  }
}
