import type { StaffMember, StaffRole } from '../../../../types/aftersales'
import { auditId } from '../../domain/staff'
import { DuplicateKeyError } from '../../ports/errors'
import type { AuditRepo, StaffQueryRepo, StaffRepo, StoredAudit } from '../../ports/staff.repo'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { getUpTo, isDuplicateWrite, str, strOrNull } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

const ROLES: readonly StaffRole[] = ['viewer', 'agent', 'admin']
/** Staff are a handful of people; this bounds the read of the whole list. */
const MAX_STAFF = 1000
/** Bounds the read of batch jobs with failures touched in the last day (health's failed sum). */
const MAX_TOUCHED_JOBS = 1000

function memberOf(d: WxDoc): StaffMember | null {
  // An unknown role (a hand edit in the console) grants nothing.
  if (!ROLES.includes(d.role as StaffRole)) return null
  return { openid: d._id, name: str(d.name), role: d.role as StaffRole, grantedBy: str(d.grantedBy), grantedAt: str(d.grantedAt) }
}

/**
 * Staff roles in `staff_members`, `_id` = openid (one role per person, no index needed).
 * An admin may also add a member by hand in the console: { _id: <openid>, name, role }.
 */
export function wxStaffRepo(db: WxDatabase): StaffRepo {
  const staff = () => db.collection(WX_COLLECTIONS.staff)
  return {
    find: async (openid) => {
      if (!openid) return null
      const { data } = await staff().where({ _id: openid }).limit(1).get()
      return data.length ? memberOf(data[0]) : null
    },
    // Update first (the usual case for a change of role), add when there was nothing to update;
    // a concurrent first grant makes the add a duplicate, and then the update wins.
    put: async (m) => {
      const fields = { name: m.name, role: m.role, grantedBy: m.grantedBy, grantedAt: m.grantedAt }
      const res = await staff().where({ _id: m.openid }).update({ data: fields })
      if (res.stats.updated === 1) return
      const { data } = await staff().where({ _id: m.openid }).limit(1).get()
      if (data.length) return // it already held exactly these values
      try {
        await staff().add({ data: { _id: m.openid, ...fields } })
      } catch (e) {
        if (!isDuplicateWrite(e)) throw e
        await staff().where({ _id: m.openid }).update({ data: fields })
      }
    },
    remove: async (openid) => (await staff().where({ _id: openid }).remove()).stats.removed === 1,
    list: async () =>
      (await getUpTo(staff().orderBy('name', 'asc').orderBy('_id', 'asc'), MAX_STAFF)).flatMap((d) => {
        const m = memberOf(d)
        return m ? [m] : []
      }),
  }
}

const auditOf = (d: WxDoc): StoredAudit => ({
  seq: Number(d.seq),
  id: d._id,
  at: str(d.at),
  operator: str(d.operator),
  via: str(d.via),
  role: d.role as StaffRole,
  action: str(d.action),
  target: str(d.target),
  reason: strOrNull(d.reason),
  beforeDigest: strOrNull(d.beforeDigest),
  afterDigest: strOrNull(d.afterDigest),
  prevHash: str(d.prevHash),
  hash: str(d.hash),
})

/**
 * The audit trail in `staff_audit`. Only add() is ever called on it: this adapter has no
 * update or remove, and the collection's console permission should be read-only for everyone
 * (docs/operations.md), so the trail can only grow.
 *
 * `_id` is the record's place in the chain (AUD000000000042): the database's own uniqueness
 * of `_id` is what keeps the chain linear. Two writers that read the same head try the same
 * `_id`; one is refused with DATABASE_DUPLICATE_WRITE and builds its record again.
 */
export function wxAuditRepo(db: WxDatabase): AuditRepo {
  const _ = db.command
  const audit = () => db.collection(WX_COLLECTIONS.audit)
  return {
    head: async () => {
      const { data } = await audit().orderBy('seq', 'desc').limit(1).get()
      return data.length ? { seq: Number(data[0].seq), hash: str(data[0].hash) } : null
    },
    append: async (r) => {
      if (r.id !== auditId(r.seq)) throw new Error(`audit: id ${r.id} does not match seq ${r.seq}`)
      try {
        await audit().add({
          data: {
            _id: r.id,
            seq: r.seq,
            at: r.at,
            operator: r.operator,
            via: r.via,
            role: r.role,
            action: r.action,
            target: r.target,
            reason: r.reason,
            beforeDigest: r.beforeDigest,
            afterDigest: r.afterDigest,
            prevHash: r.prevHash,
            hash: r.hash,
          },
        })
      } catch (e) {
        if (isDuplicateWrite(e)) throw new DuplicateKeyError('seq')
        throw e
      }
    },
    list: async (filter, { limit, beforeSeq }) => {
      const cond: Record<string, unknown> = {}
      if (filter.target) cond.target = filter.target
      if (beforeSeq !== undefined) cond.seq = _.lt(beforeSeq)
      const q = Object.keys(cond).length ? audit().where(cond) : audit()
      return (await getUpTo(q.orderBy('seq', 'desc'), limit)).map(auditOf)
    },
    // by _id (AUD + the zero-padded seq it was written at): a record whose seq field was edited
    // stays in its place, and the verifier sees the mismatch; keyset, so no skip cost
    chain: async ({ after, limit }) => {
      const q = after === null ? audit() : audit().where({ _id: _.gt(after) })
      const docs = await getUpTo(q.orderBy('_id', 'asc'), limit)
      return { records: docs.map(auditOf), next: docs.length === limit ? docs[docs.length - 1]._id : null }
    },
  }
}

/**
 * The cross-aggregate staff queues over `invoices` and `topup_orders`, by id. Invoice
 * documents being undone (phase 'void', see wx.invoice.repo.ts) are left out; the service
 * reads each id through InvoiceRepo.findById anyway, which hides anything not live.
 */
export function wxStaffQueryRepo(db: WxDatabase): StaffQueryRepo {
  const _ = db.command
  const invoices = () => db.collection(WX_COLLECTIONS.invoices)
  const orders = () => db.collection(WX_COLLECTIONS.orders)
  const batch = () => db.collection(WX_COLLECTIONS.batchJobs)
  const exportsOf = () => db.collection(WX_COLLECTIONS.exportJobs)
  return {
    // counts only, plus one bounded read for the failed sum (the jobs touched in a day are few)
    jobsHealth: async (now, since) => {
      const unheld = _.and([{ status: 'running' }, _.or([{ leaseUntil: null }, { leaseUntil: _.lte(now) }])])
      const [running, oldest, unheldRunning, touched, queued, exporting, failed] = await Promise.all([
        batch().where({ status: 'running' }).count(),
        getUpTo(batch().where({ status: 'running' }).orderBy('createdAt', 'asc'), 1),
        batch().where(unheld).count(),
        getUpTo(batch().where({ updatedAt: _.gte(since), failed: _.gt(0) }), MAX_TOUCHED_JOBS),
        exportsOf().where({ status: 'queued' }).count(),
        exportsOf().where({ status: 'running' }).count(),
        exportsOf()
          .where({ status: 'failed', finishedAt: _.gte(since) })
          .count(),
      ])
      return {
        batch: {
          running: running.total,
          oldestRunningSince: oldest[0] ? str(oldest[0].createdAt) : null,
          unheldRunning: unheldRunning.total,
          failedItemsLast24h: touched.reduce((sum, d) => sum + (Number(d.failed) || 0), 0),
        },
        exports: { queued: queued.total, running: exporting.total, failedLast24h: failed.total },
      }
    },
    stuckInvoices: async (stuckBefore, limit) => {
      const where = _.and([{ phase: _.neq('void') }, _.or([{ status: 'failed' }, { status: _.in(['requested', 'issuing']), requestedAt: _.lt(stuckBefore) }])])
      const [{ total }, docs] = await Promise.all([
        invoices().where(where).count(),
        getUpTo(invoices().where(where).orderBy('requestedAt', 'asc').orderBy('_id', 'asc'), limit),
      ])
      return { count: total, ids: docs.map((d) => d._id) }
    },
    orderAnomalies: async (limit) => {
      const where = { anomaly: _.neq(null) }
      const [{ total }, docs] = await Promise.all([
        orders().where(where).count(),
        getUpTo(orders().where(where).orderBy('createdAt', 'desc').orderBy('_id', 'desc'), limit),
      ])
      return { count: total, items: docs.map((d) => ({ id: d._id, detail: str(d.anomaly) })) }
    },
    mailBacklog: async () => {
      const mail = () => db.collection(WX_COLLECTIONS.mailOutbox).where({ status: 'pending' })
      const [{ total }, oldest] = await Promise.all([mail().count(), getUpTo(mail().orderBy('createdAt', 'asc'), 1)])
      return { pending: total, oldestCreatedAt: oldest[0] ? str(oldest[0].createdAt) : null }
    },
    invoiceIdsByNumber: async (invoiceNo, limit) => (await getUpTo(invoices().where({ invoiceNo }), limit)).map((d) => d._id),
    orderIdsByCard: async (cardNo, limit) =>
      (await getUpTo(orders().where({ cardNo }).orderBy('createdAt', 'desc').orderBy('_id', 'desc'), limit)).map((d) => d._id),
  }
}
