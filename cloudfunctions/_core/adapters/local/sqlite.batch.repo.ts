import type { BatchItemStatus, BatchSpec, BatchSplitMode, BatchStatus } from '../../../../types/batch'
import type { BatchRepo, StoredBatchItem, StoredBatchJob } from '../../ports/batch.repo'
import { DuplicateKeyError } from '../../ports/errors'
import { uniqueViolation, type Db } from './sqlite.db'

type JobRow = {
  id: string
  openid: string
  client_token: string
  status: BatchStatus
  spec: string
  title_name: string
  mode: BatchSplitMode
  period_label: string
  cards_label: string
  email: string | null
  order_count: number
  total_fen: number
  invoice_count: number
  next_index: number
  invoices_created: number
  orders_invoiced: number
  orders_skipped: number
  failed: number
  lease_until: string | null
  created_at: string
  updated_at: string
  finished_at: string | null
}
type ItemRow = {
  job_id: string
  idx: number
  order_ids: string
  card_nos: string
  amount_fen: number
  status: BatchItemStatus
  invoice_id: string | null
  reason: string | null
}

const fromJob = (r: JobRow): StoredBatchJob => ({
  id: r.id,
  openid: r.openid,
  clientToken: r.client_token,
  status: r.status,
  spec: JSON.parse(r.spec) as BatchSpec,
  titleName: r.title_name,
  mode: r.mode,
  periodLabel: r.period_label,
  cardsLabel: r.cards_label,
  email: r.email,
  orderCount: r.order_count,
  totalFen: r.total_fen,
  invoiceCount: r.invoice_count,
  nextIndex: r.next_index,
  invoicesCreated: r.invoices_created,
  ordersInvoiced: r.orders_invoiced,
  ordersSkipped: r.orders_skipped,
  failed: r.failed,
  leaseUntil: r.lease_until,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
})

const fromItem = (r: ItemRow): StoredBatchItem => ({
  jobId: r.job_id,
  index: r.idx,
  orderIds: JSON.parse(r.order_ids) as string[],
  cardNos: JSON.parse(r.card_nos) as string[],
  amountFen: r.amount_fen,
  status: r.status,
  invoiceId: r.invoice_id,
  reason: r.reason,
})

/** Batch jobs and their planned invoices in SQLite; every multi-row step is one transaction. */
export function sqliteBatchRepo(db: Db): BatchRepo {
  const insJob = db.prepare(`INSERT INTO batch_jobs (id, openid, client_token, status, spec, title_name, mode, period_label, cards_label, email,
      order_count, total_fen, invoice_count, next_index, invoices_created, orders_invoiced, orders_skipped, failed, lease_until, created_at, updated_at, finished_at)
    VALUES (@id, @openid, @clientToken, @status, @spec, @titleName, @mode, @periodLabel, @cardsLabel, @email,
      @orderCount, @totalFen, @invoiceCount, @nextIndex, @invoicesCreated, @ordersInvoiced, @ordersSkipped, @failed, @leaseUntil, @createdAt, @updatedAt, @finishedAt)`)
  const insItem = db.prepare(
    'INSERT INTO batch_items (job_id, idx, order_ids, card_nos, amount_fen, status, invoice_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const byId = db.prepare<[string], JobRow>('SELECT * FROM batch_jobs WHERE id = ?')
  const byToken = db.prepare<[string, string], JobRow>('SELECT * FROM batch_jobs WHERE openid = ? AND client_token = ?')
  const byOwner = db.prepare<[string, number], JobRow>('SELECT * FROM batch_jobs WHERE openid = ? ORDER BY created_at DESC, id DESC LIMIT ?')
  const byOwnerAfter = db.prepare<[string, string, string, string, number], JobRow>(
    'SELECT * FROM batch_jobs WHERE openid = ? AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT ?',
  )
  const itemsFrom = db.prepare<[string, number, number], ItemRow>('SELECT * FROM batch_items WHERE job_id = ? AND idx >= ? ORDER BY idx LIMIT ?')
  const failedOf = db.prepare<[string, number], ItemRow>("SELECT * FROM batch_items WHERE job_id = ? AND status = 'failed' ORDER BY idx LIMIT ?")
  const claim = db.prepare(
    "UPDATE batch_jobs SET lease_until = ?, updated_at = ? WHERE id = ? AND status = 'running' AND (lease_until IS NULL OR lease_until <= ?)",
  )
  const release = db.prepare('UPDATE batch_jobs SET lease_until = NULL WHERE id = ? AND lease_until = ?')
  const setItem = db.prepare('UPDATE batch_items SET status = ?, invoice_id = ?, reason = ? WHERE job_id = ? AND idx = ?')
  const advance = db.prepare(`UPDATE batch_jobs SET next_index = next_index + 1,
      invoices_created = invoices_created + ?, orders_invoiced = orders_invoiced + ?, orders_skipped = orders_skipped + ?, failed = failed + ?, updated_at = ?
    WHERE id = ? AND next_index = ?`)
  const finish = db.prepare("UPDATE batch_jobs SET status = ?, finished_at = ?, updated_at = ?, lease_until = NULL WHERE id = ? AND status = 'running'")
  const runnable = db.prepare<[string, number], JobRow>(
    "SELECT * FROM batch_jobs WHERE status = 'running' AND (lease_until IS NULL OR lease_until <= ?) ORDER BY created_at, id LIMIT ?",
  )

  const createTx = db.transaction((job: StoredBatchJob, items: StoredBatchItem[]) => {
    insJob.run({ ...job, spec: JSON.stringify(job.spec) })
    for (const i of items) insItem.run(i.jobId, i.index, JSON.stringify(i.orderIds), JSON.stringify(i.cardNos), i.amountFen, i.status, i.invoiceId, i.reason)
  })
  // the counters move only with nextIndex, and the item's outcome only with them: a second
  // run recording the same index changes nothing
  const recordTx = db.transaction((jobId: string, index: number, o: Parameters<BatchRepo['recordItem']>[2], at: string) => {
    const moved =
      advance.run(o.status === 'requested' ? 1 : 0, o.ordersInvoiced, o.ordersSkipped, o.status === 'failed' ? 1 : 0, at, jobId, index).changes === 1
    if (moved) setItem.run(o.status, o.invoiceId, o.reason, jobId, index)
    return moved
  })

  return {
    create: async (job, items) => {
      try {
        createTx.immediate(job, items)
      } catch (e) {
        if (uniqueViolation(e)) throw new DuplicateKeyError('clientToken')
        throw e
      }
    },
    findById: async (id) => {
      const r = byId.get(id)
      return r ? fromJob(r) : null
    },
    findByClientToken: async (openid, token) => {
      const r = byToken.get(openid, token)
      return r ? fromJob(r) : null
    },
    listByOwner: async (openid, { limit, cursor }) =>
      (cursor ? byOwnerAfter.all(openid, cursor.createdAt, cursor.createdAt, cursor.id, limit) : byOwner.all(openid, limit)).map(fromJob),
    items: async (jobId, fromIndex, limit) => itemsFrom.all(jobId, fromIndex, limit).map(fromItem),
    failedItems: async (jobId, limit) => failedOf.all(jobId, limit).map(fromItem),
    claim: async (id, now, leaseUntil) => claim.run(leaseUntil, now, id, now).changes === 1,
    release: async (id, leaseUntil) => {
      release.run(id, leaseUntil)
    },
    recordItem: async (jobId, index, outcome, at) => recordTx.immediate(jobId, index, outcome, at),
    finish: async (id, to, at) => finish.run(to, at, at, id).changes === 1,
    runnable: async (now, limit) => runnable.all(now, limit).map(fromJob),
  }
}
