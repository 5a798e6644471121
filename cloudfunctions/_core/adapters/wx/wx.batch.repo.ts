import type { BatchItemStatus, BatchSpec, BatchStatus } from '../../../../types/batch'
import type { BatchItemOutcome, BatchRepo, StoredBatchItem, StoredBatchJob } from '../../ports/batch.repo'
import { DuplicateKeyError } from '../../ports/errors'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { getUpTo, isDuplicateWrite, str, strOrNull } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

/** Planned invoices per item-page document: a 10,000-top-up batch is 10 documents, not 1,000 writes. */
export const ITEMS_PER_PAGE = 100

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

type PageItem = { o: string[]; c: string[]; a: number; s: BatchItemStatus; i: string | null; r: string | null }

const fromDoc = (d: WxDoc): StoredBatchJob => ({
  id: d._id,
  openid: str(d.openid),
  clientToken: str(d.clientToken),
  status: (['running', 'done', 'cancelled'].includes(str(d.status)) ? str(d.status) : 'cancelled') as BatchStatus,
  spec: d.spec as BatchSpec,
  titleName: str(d.titleName),
  mode: d.mode === 'per_card' ? 'per_card' : 'mixed',
  periodLabel: str(d.periodLabel),
  cardsLabel: str(d.cardsLabel),
  email: strOrNull(d.email),
  orderCount: num(d.orderCount),
  totalFen: num(d.totalFen),
  invoiceCount: num(d.invoiceCount),
  nextIndex: num(d.nextIndex),
  invoicesCreated: num(d.invoicesCreated),
  ordersInvoiced: num(d.ordersInvoiced),
  ordersSkipped: num(d.ordersSkipped),
  failed: num(d.failed),
  leaseUntil: strOrNull(d.leaseUntil),
  createdAt: str(d.createdAt),
  updatedAt: str(d.updatedAt),
  finishedAt: strOrNull(d.finishedAt),
})

const toPageItem = (i: StoredBatchItem): PageItem => ({ o: i.orderIds, c: i.cardNos, a: i.amountFen, s: i.status, i: i.invoiceId, r: i.reason })
const fromPageItem = (jobId: string, index: number, p: PageItem): StoredBatchItem => ({
  jobId,
  index,
  orderIds: strings(p.o),
  cardNos: strings(p.c),
  amountFen: num(p.a),
  status: p.s,
  invoiceId: p.i ?? null,
  reason: p.r ?? null,
})

const pageId = (jobId: string, page: number) => `${jobId}:${page}`

/**
 * Batch jobs in `batch_jobs` (`_id` = job id; unique (openid, clientToken), wx.indexes.ts) and
 * their planned invoices in `batch_item_pages`, ITEMS_PER_PAGE to a document.
 *
 * create writes the item pages first and the job last: the job (what every reader starts from)
 * only exists once its plan is complete, and a create that loses the clientToken race leaves
 * pages under a job id nobody will ever read. recordItem is one transaction over the job and
 * the page (single-document operations, which is what a cloud transaction allows): the
 * outcome, nextIndex and the counters move together or not at all.
 */
export function wxBatchRepo(db: WxDatabase): BatchRepo {
  const jobs = () => db.collection(WX_COLLECTIONS.batchJobs)
  const pages = () => db.collection(WX_COLLECTIONS.batchItemPages)
  const _ = db.command

  const readPages = async (jobId: string, from: number, to: number): Promise<Map<number, PageItem[]>> => {
    const ids: string[] = []
    for (let p = from; p <= to; p++) ids.push(pageId(jobId, p))
    const out = new Map<number, PageItem[]>()
    for (let k = 0; k < ids.length; k += 100) {
      const { data } = await pages()
        .where({ _id: _.in(ids.slice(k, k + 100)) })
        .limit(100)
        .get()
      for (const d of data) out.set(num(d.page), (Array.isArray(d.items) ? d.items : []) as PageItem[])
    }
    return out
  }

  const itemsOf = async (jobId: string, fromIndex: number, limit: number): Promise<StoredBatchItem[]> => {
    const job = (await jobs().where({ _id: jobId }).limit(1).get()).data[0]
    if (!job) return []
    const count = num(job.invoiceCount)
    const last = Math.min(count, fromIndex + limit) - 1
    if (last < fromIndex) return []
    const byPage = await readPages(jobId, Math.floor(fromIndex / ITEMS_PER_PAGE), Math.floor(last / ITEMS_PER_PAGE))
    const out: StoredBatchItem[] = []
    for (let idx = fromIndex; idx <= last; idx++) {
      const p = byPage.get(Math.floor(idx / ITEMS_PER_PAGE))?.[idx % ITEMS_PER_PAGE]
      if (p) out.push(fromPageItem(jobId, idx, p))
    }
    return out
  }

  return {
    create: async (job, items) => {
      for (let p = 0; p * ITEMS_PER_PAGE < items.length; p++) {
        const slice = items.slice(p * ITEMS_PER_PAGE, (p + 1) * ITEMS_PER_PAGE)
        await pages().add({ data: { _id: pageId(job.id, p), jobId: job.id, page: p, items: slice.map(toPageItem) } })
      }
      const { id, ...rest } = job
      try {
        await jobs().add({ data: { _id: id, ...rest } })
      } catch (e) {
        if (isDuplicateWrite(e)) throw new DuplicateKeyError('clientToken')
        throw e
      }
    },

    findById: async (id) => {
      const { data } = await jobs().where({ _id: id }).limit(1).get()
      return data.length ? fromDoc(data[0]) : null
    },

    findByClientToken: async (openid, clientToken) => {
      const { data } = await jobs().where({ openid, clientToken }).limit(1).get()
      return data.length ? fromDoc(data[0]) : null
    },

    listByOwner: async (openid, { limit, cursor }) => {
      const cond = cursor
        ? _.and([{ openid }, _.or([{ createdAt: _.lt(cursor.createdAt) }, { createdAt: _.eq(cursor.createdAt), _id: _.lt(cursor.id) }])])
        : { openid }
      return (await getUpTo(jobs().where(cond).orderBy('createdAt', 'desc').orderBy('_id', 'desc'), limit)).map(fromDoc)
    },

    items: itemsOf,

    failedItems: async (jobId, limit) => {
      const job = (await jobs().where({ _id: jobId }).limit(1).get()).data[0]
      if (!job || num(job.failed) === 0) return []
      return (await itemsOf(jobId, 0, num(job.invoiceCount))).filter((i) => i.status === 'failed').slice(0, limit)
    },

    claim: async (id, now, leaseUntil) => {
      // leaseUntil always changes (a later time), so `updated` tells the taker from the others
      const { stats } = await jobs()
        .where(_.and([{ _id: id, status: 'running' }, _.or([{ leaseUntil: null }, { leaseUntil: _.lte(now) }])]))
        .update({ data: { leaseUntil, updatedAt: now } })
      return stats.updated === 1
    },

    release: async (id, leaseUntil) => {
      await jobs()
        .where({ _id: id, leaseUntil })
        .update({ data: { leaseUntil: null } })
    },

    recordItem: async (jobId: string, index: number, o: BatchItemOutcome, at: string) =>
      db.runTransaction(async (tx) => {
        const jobRef = tx.collection(WX_COLLECTIONS.batchJobs).doc(jobId)
        const job = (await jobRef.get()).data
        if (num(job.nextIndex) !== index) return false
        const pageRef = tx.collection(WX_COLLECTIONS.batchItemPages).doc(pageId(jobId, Math.floor(index / ITEMS_PER_PAGE)))
        const items = [...((await pageRef.get()).data.items as PageItem[])]
        items[index % ITEMS_PER_PAGE] = { ...items[index % ITEMS_PER_PAGE], s: o.status, i: o.invoiceId, r: o.reason }
        await pageRef.update({ data: { items: _.set(items) } })
        await jobRef.update({
          data: {
            nextIndex: index + 1,
            invoicesCreated: num(job.invoicesCreated) + (o.status === 'requested' ? 1 : 0),
            ordersInvoiced: num(job.ordersInvoiced) + o.ordersInvoiced,
            ordersSkipped: num(job.ordersSkipped) + o.ordersSkipped,
            failed: num(job.failed) + (o.status === 'failed' ? 1 : 0),
            updatedAt: at,
          },
        })
        return true
      }),

    finish: async (id, to, at) => {
      const { stats } = await jobs()
        .where({ _id: id, status: 'running' })
        .update({ data: { status: to, finishedAt: at, updatedAt: at, leaseUntil: null } })
      return stats.updated === 1
    },

    runnable: async (now, limit) =>
      (
        await getUpTo(
          jobs()
            .where(_.and([{ status: 'running' }, _.or([{ leaseUntil: null }, { leaseUntil: _.lte(now) }])]))
            .orderBy('createdAt', 'asc')
            .orderBy('_id', 'asc'),
          limit,
        )
      ).map(fromDoc),
  }
}
