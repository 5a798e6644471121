import type { ExportStatus } from '../../domain/ledger'
import { DuplicateKeyError } from '../../ports/errors'
import type { LedgerRepo, StoredExport } from '../../ports/ledger.repo'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { getUpTo, isDuplicateWrite, str, strOrNull } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

const STATUSES: readonly ExportStatus[] = ['queued', 'running', 'done', 'failed']
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

function exportOf(d: WxDoc): StoredExport {
  const mail = strOrNull(d.mail)
  return {
    id: d._id,
    openid: str(d.openid),
    clientToken: str(d.clientToken),
    // an unknown status (a hand edit) reads as failed: it is never run or handed out as done
    status: STATUSES.includes(d.status as ExportStatus) ? (d.status as ExportStatus) : 'failed',
    selection: d.selection as StoredExport['selection'],
    email: strOrNull(d.email),
    total: num(d.total),
    done: num(d.done),
    zipFileId: strOrNull(d.zipFileId),
    zipBytes: numOrNull(d.zipBytes),
    zipSha256: strOrNull(d.zipSha256),
    mail: mail === 'attached' || mail === 'link' || mail === 'failed' ? mail : null,
    error: strOrNull(d.error),
    attempts: num(d.attempts),
    createdAt: str(d.createdAt),
    finishedAt: strOrNull(d.finishedAt),
    leaseUntil: strOrNull(d.leaseUntil),
  }
}

/**
 * Export jobs in `export_jobs` (`_id` = job id, unique index (openid, clientToken)), rate-limit
 * counters in `rate_counters` (`_id` = caller and window: the first call of a window creates
 * it, the others increment it atomically), and the SHA-256 lookup over `invoices`.
 */
export function wxLedgerRepo(db: WxDatabase): LedgerRepo {
  const _ = db.command
  const jobs = () => db.collection(WX_COLLECTIONS.exportJobs)
  const counters = () => db.collection(WX_COLLECTIONS.rateCounters)
  const invoices = () => db.collection(WX_COLLECTIONS.invoices)
  return {
    createExport: async (j) => {
      const { id, ...rest } = j
      try {
        await jobs().add({ data: { _id: id, ...rest } })
      } catch (e) {
        if (!isDuplicateWrite(e)) throw e
        const same = (await jobs().where({ _id: id }).limit(1).get()).data.length > 0
        throw new DuplicateKeyError(same ? 'id' : 'clientToken')
      }
    },
    findExport: async (id) => {
      const d = (await jobs().where({ _id: id }).limit(1).get()).data[0]
      return d ? exportOf(d) : null
    },
    findExportByToken: async (openid, clientToken) => {
      const d = (await jobs().where({ openid, clientToken }).limit(1).get()).data[0]
      return d ? exportOf(d) : null
    },
    listExports: async (openid, limit) => (await getUpTo(jobs().where({ openid }).orderBy('createdAt', 'desc').orderBy('_id', 'desc'), limit)).map(exportOf),
    updateExport: async (id, from, patch, opts) => {
      const data: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(patch)) if (k !== 'id' && k !== 'openid' && k !== 'clientToken' && k !== 'selection') data[k] = v
      if (!Object.keys(data).length || !from.length) return false
      const cond: Record<string, unknown> = { _id: id, status: _.in([...from]) }
      const where = opts?.leaseFreeAt ? _.and([cond, _.or([{ leaseUntil: null }, { leaseUntil: _.lte(opts.leaseFreeAt) }])]) : cond
      // every patch the service makes changes something (a lease time, a count, a status), so
      // updated === 1 tells the one caller that matched
      return (await jobs().where(where).update({ data })).stats.updated === 1
    },
    hit: async (key, at) => {
      try {
        await counters().add({ data: { _id: key, count: 1, firstAt: at } })
        return 1
      } catch (e) {
        if (!isDuplicateWrite(e)) throw e
      }
      // compare-and-set (as the provider sandbox's sequence): read the count, then update where it
      // is still that count; updated === 1 means this caller owns count + 1. An _.inc followed by a
      // read would let concurrent callers all read the final count.
      for (let attempt = 0; attempt < 50; attempt++) {
        const d = (await counters().where({ _id: key }).limit(1).get()).data[0]
        const count = num(d?.count)
        if (
          (
            await counters()
              .where({ _id: key, count })
              .update({ data: { count: count + 1 } })
          ).stats.updated === 1
        )
          return count + 1
      }
      throw new Error(`rate counter ${key}: too much contention`)
    },
    invoiceIdsBySha256: async (sha, limit) => {
      const found = new Set<string>()
      // one indexed equality query per file kind (an _.or over three fields would not use them)
      for (const field of ['pdfSha256', 'xmlSha256', 'ofdSha256']) {
        for (const d of await getUpTo(
          invoices()
            .where({ [field]: sha, status: 'issued' })
            .orderBy('_id', 'asc'),
          limit,
        ))
          found.add(d._id)
      }
      return [...found].slice(0, limit)
    },
  }
}
