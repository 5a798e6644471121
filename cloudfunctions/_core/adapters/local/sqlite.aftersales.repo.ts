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
import { statementCache, uniqueViolation, type Db } from './sqlite.db'

/**
 * After-sales records on SQLite. Each table keeps the columns its queries and unique keys
 * need (owner, clientToken, status, dates, the paper request's active slot) and the rest of
 * the record as JSON in `doc`: the record is read and written whole, like the cloud document.
 *
 * update() is one IMMEDIATE transaction: read, check status and rev, write the merged record
 * with rev + 1. Two writers (two processes on the same file included) are serialised by the
 * database lock, so exactly one of two racing updates from the same revision wins.
 */

interface BaseRecord {
  id: string
  openid: string
  clientToken: string
  status: string
  rev: number
  createdAt: string
  updatedAt: string
}

type Row = { doc: string }

interface RecordTableSpec<T extends BaseRecord> {
  table: string
  /** extra indexed columns written from the record (besides the base ones) */
  extra?: Record<string, (r: T) => string | number | null>
  /** the unique-key name a UNIQUE violation on a column maps to */
  keyOf: (message: string) => string
}

function recordTable<T extends BaseRecord>(db: Db, spec: RecordTableSpec<T>) {
  const sql = statementCache(db)
  const t = spec.table
  const extraCols = Object.keys(spec.extra ?? {})
  const cols = ['id', 'openid', 'client_token', 'status', 'rev', 'created_at', 'updated_at', 'doc', ...extraCols]
  const values = (r: T) => [
    r.id,
    r.openid,
    r.clientToken,
    r.status,
    r.rev,
    r.createdAt,
    r.updatedAt,
    JSON.stringify(r),
    ...extraCols.map((c) => spec.extra![c](r)),
  ]
  const parse = (row: Row | undefined): T | null => (row ? (JSON.parse(row.doc) as T) : null)
  const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',')

  const insert = (r: T) => {
    try {
      sql(`INSERT INTO ${t} (${cols.join(', ')}) VALUES (${placeholders(cols.length)})`).run(...values(r))
    } catch (e) {
      const v = uniqueViolation(e)
      if (v) throw new DuplicateKeyError(v.includes('client_token') ? 'clientToken' : spec.keyOf(v))
      throw e
    }
  }

  const findById = (id: string) => parse(sql(`SELECT doc FROM ${t} WHERE id = ?`).get(id) as Row | undefined)

  const update = db.transaction((id: string, from: readonly string[], rev: number, patch: Partial<T>, append?: (r: T) => T) => {
    const cur = findById(id)
    if (!cur || !from.includes(cur.status) || cur.rev !== rev) return false
    let next = { ...cur, ...patch, id: cur.id, openid: cur.openid, clientToken: cur.clientToken, createdAt: cur.createdAt, rev: cur.rev + 1 } as T
    if (append) next = append(next)
    const set = ['status = ?', 'rev = ?', 'updated_at = ?', 'doc = ?', ...extraCols.map((c) => `${c} = ?`)].join(', ')
    try {
      sql(`UPDATE ${t} SET ${set} WHERE id = ? AND rev = ?`).run(
        next.status,
        next.rev,
        next.updatedAt,
        JSON.stringify(next),
        ...extraCols.map((c) => spec.extra![c](next)),
        id,
        rev,
      )
    } catch (e) {
      const v = uniqueViolation(e)
      if (v) throw new DuplicateKeyError(spec.keyOf(v))
      throw e
    }
    return true
  })

  return {
    insert: async (r: T) => insert(r),
    findById: async (id: string) => findById(id),
    findByClientToken: async (openid: string, token: string) =>
      parse(sql(`SELECT doc FROM ${t} WHERE openid = ? AND client_token = ?`).get(openid, token) as Row | undefined),
    listByOwner: async (openid: string, { limit, cursor }: { limit: number; cursor?: CreatedCursor }) =>
      (
        (cursor
          ? sql(`SELECT doc FROM ${t} WHERE openid = ? AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT ?`).all(
              openid,
              cursor.createdAt,
              cursor.createdAt,
              cursor.id,
              limit,
            )
          : sql(`SELECT doc FROM ${t} WHERE openid = ? ORDER BY created_at DESC, id DESC LIMIT ?`).all(openid, limit)) as Row[]
      ).map((r) => parse(r)!),
    countByOwner: async (openid: string, statuses: readonly string[]) =>
      statuses.length === 0
        ? 0
        : (sql(`SELECT COUNT(*) AS n FROM ${t} WHERE openid = ? AND status IN (${placeholders(statuses.length)})`).get(openid, ...statuses) as { n: number }).n,
    listByStatus: async (statuses: readonly string[], limit: number) =>
      statuses.length === 0
        ? []
        : (sql(`SELECT doc FROM ${t} WHERE status IN (${placeholders(statuses.length)}) ORDER BY created_at, id LIMIT ?`).all(...statuses, limit) as Row[]).map(
            (r) => parse(r)!,
          ),
    countByStatus: async (statuses: readonly string[]) =>
      statuses.length === 0
        ? 0
        : (sql(`SELECT COUNT(*) AS n FROM ${t} WHERE status IN (${placeholders(statuses.length)})`).get(...statuses) as { n: number }).n,
    update: (id: string, from: readonly string[], rev: number, patch: Partial<T>, append?: (r: T) => T) =>
      Promise.resolve(update.immediate(id, from, rev, patch, append)),
    findOne: (where: string, ...args: unknown[]) => parse(sql(`SELECT doc FROM ${t} WHERE ${where} LIMIT 1`).get(...args) as Row | undefined),
  }
}

const appendTimeline =
  <T extends { timeline: TimelineEntry[] }>(entry?: TimelineEntry) =>
  (r: T): T =>
    entry ? { ...r, timeline: [...r.timeline, entry] } : r

export function sqliteApplicationRepo(db: Db): ApplicationRepo {
  const t = recordTable<StoredApplication>(db, { table: 'aftersales_applications', keyOf: () => 'id' })
  return {
    insert: t.insert,
    findById: t.findById,
    findByClientToken: t.findByClientToken,
    listByOwner: t.listByOwner,
    countByOwner: t.countByOwner,
    listByStatus: t.listByStatus,
    countByStatus: t.countByStatus,
    update: (id, expect, patch, entry) => t.update(id, expect.from, expect.rev, patch, appendTimeline<StoredApplication>(entry)),
  }
}

export function sqlitePaperRepo(db: Db): PaperRepo {
  const t = recordTable<StoredPaperRequest>(db, {
    table: 'paper_requests',
    extra: { invoice_id: (r) => r.invoiceId, active_key: (r) => r.activeKey },
    keyOf: (m) => (m.includes('active_key') ? 'activeKey' : 'id'),
  })
  return {
    insert: t.insert,
    findById: t.findById,
    findByClientToken: t.findByClientToken,
    activeForInvoice: async (invoiceId) => t.findOne('active_key = ?', invoiceId),
    listByOwner: t.listByOwner,
    countByOwner: t.countByOwner,
    listByStatus: t.listByStatus,
    countByStatus: t.countByStatus,
    update: (id, expect, patch, entry) => t.update(id, expect.from, expect.rev, patch, appendTimeline<StoredPaperRequest>(entry)),
  }
}

export function sqliteTicketRepo(db: Db): TicketRepo {
  const t = recordTable<StoredTicket>(db, { table: 'tickets', keyOf: () => 'id' })
  const appendMessage = (m?: TicketMessage) => (r: StoredTicket) => (m ? { ...r, messages: [...r.messages, m] } : r)
  return {
    insert: t.insert,
    findById: t.findById,
    findByClientToken: t.findByClientToken,
    listByOwner: t.listByOwner,
    countByOwner: t.countByOwner,
    listByStatus: t.listByStatus,
    countByStatus: t.countByStatus,
    update: (id, expect, patch, message) => t.update(id, expect.from, expect.rev, patch, appendMessage(message)),
  }
}

type NoticeRow = {
  id: string
  openid: string
  to_addr: string
  subject: string
  text_body: string
  html_body: string
  status: NoticeItem['status']
  attempts: number
  next_attempt_at: string
  last_error: string | null
  created_at: string
  sent_at: string | null
}

const noticeFromRow = (r: NoticeRow): NoticeItem => ({
  id: r.id,
  openid: r.openid,
  to: r.to_addr,
  subject: r.subject,
  text: r.text_body,
  html: r.html_body,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
})

export function sqliteNoticeOutboxRepo(db: Db): NoticeOutboxRepo {
  const ins = db.prepare(
    `INSERT OR IGNORE INTO notice_outbox (id, openid, to_addr, subject, text_body, html_body, status, attempts, next_attempt_at, last_error, created_at, sent_at)
     VALUES (@id, @openid, @to, @subject, @text, @html, @status, @attempts, @nextAttemptAt, @lastError, @createdAt, @sentAt)`,
  )
  const due = db.prepare<[string, number], NoticeRow>(
    `SELECT * FROM notice_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
  )
  const claim = db.prepare(`UPDATE notice_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND attempts = ? AND status = 'pending'`)
  const sent = db.prepare(`UPDATE notice_outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?`)
  const retry = db.prepare(`UPDATE notice_outbox SET status = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND attempts = ?`)
  const byId = db.prepare<[string], NoticeRow>('SELECT * FROM notice_outbox WHERE id = ?')
  return {
    add: async (item) => ins.run(item).changes === 1,
    due: async (now, limit) => due.all(now, limit).map(noticeFromRow),
    // attempts is raised by the claim itself: the conditional update lets one taker through
    claim: async (id, attempts, leaseUntil) => claim.run(leaseUntil, id, attempts).changes === 1,
    markSent: async (id, at) => {
      sent.run(at, id)
    },
    markRetry: async (id, attempts, nextAttemptAt, error, giveUp) => {
      retry.run(giveUp ? 'failed' : 'pending', nextAttemptAt, error.slice(0, 500), id, attempts)
    },
    findById: async (id) => {
      const r = byId.get(id)
      return r ? noticeFromRow(r) : null
    },
  }
}
