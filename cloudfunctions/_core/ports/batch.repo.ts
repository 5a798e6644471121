import type { BatchItemStatus, BatchSpec, BatchSplitMode, BatchStatus } from '../../../types/batch'

/** A batch invoicing job (企业批量开票) of one person, with its progress counters. */
export interface StoredBatchJob {
  id: string
  openid: string
  clientToken: string
  status: BatchStatus
  spec: BatchSpec
  titleName: string
  mode: BatchSplitMode
  periodLabel: string
  cardsLabel: string
  /** the e-mail every invoice of the batch is sent to (null: none) */
  email: string | null
  orderCount: number
  totalFen: number
  invoiceCount: number
  /** the planned invoices before this index are handled; the worker resumes here */
  nextIndex: number
  invoicesCreated: number
  ordersInvoiced: number
  ordersSkipped: number
  failed: number
  /** while a worker runs the job: until when (a crashed worker's lease runs out) */
  leaseUntil: string | null
  createdAt: string
  updatedAt: string
  finishedAt: string | null
}

/** One planned invoice of a job, in the order they are requested. */
export interface StoredBatchItem {
  jobId: string
  /** 0-based */
  index: number
  orderIds: string[]
  cardNos: string[]
  amountFen: number
  status: BatchItemStatus
  invoiceId: string | null
  reason: string | null
}

/** What handling one planned invoice gave. */
export interface BatchItemOutcome {
  status: Exclude<BatchItemStatus, 'pending'>
  invoiceId: string | null
  reason: string | null
  /** top-ups that went on the invoice, and those another invoice had taken (skipped) */
  ordersInvoiced: number
  ordersSkipped: number
}

export interface BatchRepo {
  /**
   * Stores a job (status running, nextIndex 0) with its planned invoices. Unique per
   * (openid, clientToken): a second one throws DuplicateKeyError('clientToken') and nothing of
   * it becomes visible.
   */
  create(job: StoredBatchJob, items: StoredBatchItem[]): Promise<void>
  findById(id: string): Promise<StoredBatchJob | null>
  findByClientToken(openid: string, clientToken: string): Promise<StoredBatchJob | null>
  /** newest first, keyset-paged by (createdAt, id) */
  listByOwner(openid: string, page: { limit: number; cursor?: { createdAt: string; id: string } }): Promise<StoredBatchJob[]>
  /** planned invoices with index >= fromIndex, in order */
  items(jobId: string, fromIndex: number, limit: number): Promise<StoredBatchItem[]>
  /** the failed planned invoices (for the job's failure list), in order */
  failedItems(jobId: string, limit: number): Promise<StoredBatchItem[]>
  /**
   * Takes the job for a run: only while it is running and no other run holds an unexpired
   * lease. True for the one caller that took it.
   */
  claim(id: string, now: string, leaseUntil: string): Promise<boolean>
  /** Gives the lease back (only the lease value this run set). */
  release(id: string, leaseUntil: string): Promise<void>
  /**
   * Records the outcome of planned invoice `index` and moves nextIndex from index to index + 1
   * with the counters. Only once: false (and no counter moves) when nextIndex is no longer
   * `index` (another run recorded it).
   */
  recordItem(jobId: string, index: number, outcome: BatchItemOutcome, at: string): Promise<boolean>
  /** Conditional running -> done | cancelled; true for the caller that moved it. */
  finish(id: string, to: 'done' | 'cancelled', at: string): Promise<boolean>
  /** running jobs whose lease is free at `now`, oldest first (the timer's sweep) */
  runnable(now: string, limit: number): Promise<StoredBatchJob[]>
}
