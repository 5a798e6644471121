import type { StaffMember, StaffRole } from '../../../../types/aftersales'
import { DuplicateKeyError } from '../../ports/errors'
import type { AuditRepo, StaffQueryRepo, StaffRepo, StoredAudit } from '../../ports/staff.repo'
import { uniqueViolation, type Db } from './sqlite.db'

type MemberRow = { openid: string; name: string; role: StaffRole; granted_by: string; granted_at: string }

const memberOf = (r: MemberRow): StaffMember => ({ openid: r.openid, name: r.name, role: r.role, grantedBy: r.granted_by, grantedAt: r.granted_at })

/** Staff roles in `staff_members` (primary key openid: one role per person). */
export function sqliteStaffRepo(db: Db): StaffRepo {
  const find = db.prepare<[string], MemberRow>('SELECT * FROM staff_members WHERE openid = ?')
  const put = db.prepare(
    `INSERT INTO staff_members (openid, name, role, granted_by, granted_at) VALUES (@openid, @name, @role, @grantedBy, @grantedAt)
     ON CONFLICT (openid) DO UPDATE SET name = excluded.name, role = excluded.role, granted_by = excluded.granted_by, granted_at = excluded.granted_at`,
  )
  const remove = db.prepare<[string]>('DELETE FROM staff_members WHERE openid = ?')
  const list = db.prepare<[], MemberRow>('SELECT * FROM staff_members ORDER BY name, openid')
  return {
    find: async (openid) => {
      const r = find.get(openid)
      return r ? memberOf(r) : null
    },
    put: async (m) => {
      put.run(m)
    },
    remove: async (openid) => remove.run(openid).changes === 1,
    list: async () => list.all().map(memberOf),
  }
}

type AuditRow = {
  seq: number
  id: string
  at: string
  operator: string
  via: string
  role: StaffRole
  action: string
  target: string
  reason: string | null
  before_digest: string | null
  after_digest: string | null
  prev_hash: string
  hash: string
}

const auditOf = (r: AuditRow): StoredAudit => ({
  seq: r.seq,
  id: r.id,
  at: r.at,
  operator: r.operator,
  via: r.via,
  role: r.role,
  action: r.action,
  target: r.target,
  reason: r.reason,
  beforeDigest: r.before_digest,
  afterDigest: r.after_digest,
  prevHash: r.prev_hash,
  hash: r.hash,
})

/**
 * The audit trail in `staff_audit`. No update or delete statement exists here, and the table's
 * triggers refuse both (RAISE ABORT) for anyone with the file. seq is the primary key: an
 * append on a place already taken is a DuplicateKeyError('seq') and the service builds its
 * record again on the new head.
 */
export function sqliteAuditRepo(db: Db): AuditRepo {
  const head = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM staff_audit ORDER BY seq DESC LIMIT 1')
  const insert = db.prepare(
    `INSERT INTO staff_audit (seq, id, at, operator, via, role, action, target, reason, before_digest, after_digest, prev_hash, hash)
     VALUES (@seq, @id, @at, @operator, @via, @role, @action, @target, @reason, @beforeDigest, @afterDigest, @prevHash, @hash)`,
  )
  const all = db.prepare<[number, number], AuditRow>('SELECT * FROM staff_audit WHERE seq < ? ORDER BY seq DESC LIMIT ?')
  const byTarget = db.prepare<[string, number, number], AuditRow>('SELECT * FROM staff_audit WHERE target = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
  // rowid is the order of insertion: an UPDATE of seq (triggers permitting) would not move a row
  const byRowid = db.prepare<[number, number], AuditRow & { rid: number }>('SELECT rowid AS rid, * FROM staff_audit WHERE rowid > ? ORDER BY rowid LIMIT ?')
  return {
    head: async () => head.get() ?? null,
    append: async (r) => {
      try {
        insert.run({ ...r })
      } catch (e) {
        // seq (primary key), id and prev_hash all follow from the place in the chain
        if (uniqueViolation(e)) throw new DuplicateKeyError('seq')
        throw e
      }
    },
    list: async (filter, { limit, beforeSeq }) => {
      const before = beforeSeq ?? Number.MAX_SAFE_INTEGER
      const rows = filter.target ? byTarget.all(filter.target, before, limit) : all.all(before, limit)
      return rows.map(auditOf)
    },
    chain: async ({ after, limit }) => {
      const rows = byRowid.all(after === null ? 0 : Number(after), limit)
      return { records: rows.map(auditOf), next: rows.length === limit ? String(rows[rows.length - 1].rid) : null }
    },
  }
}

/** The whole trail oldest first, as stored (for `npm run audit:verify`; the db may be opened read-only). */
export function readAuditChain(db: Db): StoredAudit[] {
  return db.prepare<[], AuditRow>('SELECT * FROM staff_audit ORDER BY rowid').all().map(auditOf)
}

/** The two cross-aggregate staff queues, by id (see StaffQueryRepo). */
export function sqliteStaffQueryRepo(db: Db): StaffQueryRepo {
  const STUCK = `FROM invoices WHERE status = 'failed' OR (status IN ('requested', 'issuing') AND requested_at < ?)`
  const stuckIds = db.prepare<[string, number], { id: string }>(`SELECT id ${STUCK} ORDER BY requested_at, id LIMIT ?`)
  const stuckCount = db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n ${STUCK}`)
  const anomalies = db.prepare<[number], { id: string; anomaly: string }>(
    'SELECT id, anomaly FROM topup_orders WHERE anomaly IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT ?',
  )
  const anomalyCount = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM topup_orders WHERE anomaly IS NOT NULL')
  const byNumber = db.prepare<[string, number], { id: string }>('SELECT id FROM invoices WHERE invoice_no = ? LIMIT ?')
  const byCard = db.prepare<[string, number], { id: string }>('SELECT id FROM topup_orders WHERE card_no = ? ORDER BY created_at DESC, id DESC LIMIT ?')
  const backlog = db.prepare<[], { n: number; oldest: string | null }>(
    "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM mail_outbox WHERE status = 'pending'",
  )
  const batchRunning = db.prepare<[string], { n: number; oldest: string | null; unheld: number | null }>(
    `SELECT COUNT(*) AS n, MIN(created_at) AS oldest, SUM(lease_until IS NULL OR lease_until <= ?) AS unheld
     FROM batch_jobs WHERE status = 'running'`,
  )
  const batchFailed = db.prepare<[string], { n: number | null }>('SELECT SUM(failed) AS n FROM batch_jobs WHERE updated_at >= ? AND failed > 0')
  const exportCounts = db.prepare<[string], { queued: number | null; running: number | null; failed: number | null }>(
    `SELECT SUM(status = 'queued') AS queued, SUM(status = 'running') AS running, SUM(status = 'failed' AND finished_at >= ?) AS failed
     FROM export_jobs WHERE status IN ('queued', 'running', 'failed')`,
  )
  return {
    jobsHealth: async (now, since) => {
      const b = batchRunning.get(now)!
      const e = exportCounts.get(since)!
      return {
        batch: { running: b.n, oldestRunningSince: b.oldest, unheldRunning: b.unheld ?? 0, failedItemsLast24h: batchFailed.get(since)!.n ?? 0 },
        exports: { queued: e.queued ?? 0, running: e.running ?? 0, failedLast24h: e.failed ?? 0 },
      }
    },
    mailBacklog: async () => {
      const r = backlog.get()!
      return { pending: r.n, oldestCreatedAt: r.oldest }
    },
    invoiceIdsByNumber: async (invoiceNo, limit) => byNumber.all(invoiceNo, limit).map((r) => r.id),
    orderIdsByCard: async (cardNo, limit) => byCard.all(cardNo, limit).map((r) => r.id),
    stuckInvoices: async (stuckBefore, limit) => ({
      count: stuckCount.get(stuckBefore)!.n,
      ids: stuckIds.all(stuckBefore, limit).map((r) => r.id),
    }),
    orderAnomalies: async (limit) => ({
      count: anomalyCount.get()!.n,
      items: anomalies.all(limit).map((r) => ({ id: r.id, detail: r.anomaly })),
    }),
  }
}
