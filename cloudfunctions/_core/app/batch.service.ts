import type { Page } from '../../../types/api'
import type { BatchItemView, BatchJobView, BatchPreview, BatchSpec } from '../../../types/batch'
import { batchInvoiceToken, cardsLabel, failureReason, inRanges, MAX_CARD_IDS, periodLabel, periodRanges, planInvoices } from '../domain/batch'
import { parseCardGroup } from '../domain/card'
import { DomainError } from '../domain/errors'
import { parseEmail } from '../domain/invoice'
import { maskTaxId } from '../domain/tax-id'
import type { BatchItemOutcome, StoredBatchItem, StoredBatchJob } from '../ports/batch.repo'
import { DuplicateKeyError } from '../ports/errors'
import type { StoredOrder } from '../ports/order.repo'
import type { Deps } from '../runtime/deps'
import { advanceInvoice, requestInvoice } from './invoice.service'
import { ownedTitle } from './profile.service'

/**
 * Batch invoicing (企业批量开票, issue 8): a company's accountant picks a title, a period and
 * cards; the preview shows the top-ups and how they split into invoices under the caps; create
 * records a job, and the `batch` function's worker requests and issues the invoices chunk by
 * chunk through the ordinary pipeline (requestInvoice's order claims, advanceInvoice's provider,
 * documents, storage and mail), under a lease, resuming wherever a crashed run stopped.
 */

const ORDER_PAGE = 100
/** past the last range's start, how far back an order may have been created and still paid inside it */
const PAID_AFTER_CREATE_SLACK_MS = 86400_000
const LEASE_SLACK_MS = 20_000
const PLAN_SHOWN = 200
const FAILURES_SHOWN = 50

interface Collected {
  eligible: StoredOrder[]
  alreadyInvoiced: number
  outOfWindow: number
}

/** The cards the spec names, as card numbers; null = every card (also cards unbound since). */
async function cardNosOf(deps: Deps, openid: string, spec: BatchSpec): Promise<Set<string> | null> {
  const sel = spec.cards
  if (sel.kind === 'all') return null
  const cards = await deps.cards.listByOwner(openid)
  if (sel.kind === 'group') {
    const group = sel.group.trim() === '' ? null : parseCardGroup(sel.group)
    return new Set(cards.filter((c) => (c.group ?? null) === group).map((c) => c.cardNo))
  }
  if (sel.cardIds.length === 0) throw new DomainError('BATCH.INVALID', '请至少选择一张卡')
  if (sel.cardIds.length > MAX_CARD_IDS) throw new DomainError('BATCH.INVALID', `一次最多选择 ${MAX_CARD_IDS} 张卡`)
  const byId = new Map(cards.map((c) => [c.id, c]))
  return new Set(
    sel.cardIds.map((id) => {
      const c = byId.get(id)
      // someone else's card reads as not found, like everywhere else (no probing)
      if (!c) throw new DomainError('CARD.NOT_FOUND', '找不到所选的卡片，请刷新后重试')
      return c.cardNo
    }),
  )
}

/** Every paid top-up of the person in the period on the chosen cards, sorted into what can be invoiced now. */
async function collect(deps: Deps, openid: string, spec: BatchSpec): Promise<Collected> {
  const ranges = periodRanges(spec.period)
  const cardNos = await cardNosOf(deps, openid, spec)
  const windowStart = new Date(deps.clock.now().getTime() - deps.config.invoice.caps.windowDays * 86400_000).toISOString()
  const stopBefore = new Date(Date.parse(ranges[0].from) - PAID_AFTER_CREATE_SLACK_MS).toISOString()
  const out: Collected = { eligible: [], alreadyInvoiced: 0, outOfWindow: 0 }
  let cursor: { createdAt: string; id: string } | undefined
  for (;;) {
    const page = await deps.orders.listByOwner(openid, { limit: ORDER_PAGE, cursor })
    for (const o of page) {
      if (o.status !== 'paid' || !o.paidAt || !inRanges(o.paidAt, ranges)) continue
      if (cardNos && !cardNos.has(o.cardNo)) continue
      if (o.invoiceId) out.alreadyInvoiced++
      else if (o.paidAt < windowStart) out.outOfWindow++
      else out.eligible.push(o)
    }
    if (page.length < ORDER_PAGE || page[page.length - 1].createdAt < stopBefore) break
    const last = page[page.length - 1]
    cursor = { createdAt: last.createdAt, id: last.id }
  }
  return out
}

function plan(deps: Deps, spec: BatchSpec, collected: Collected) {
  const caps = deps.config.invoice.caps
  const { groups, oversize } = planInvoices(collected.eligible, caps, spec.mode)
  const orderCount = collected.eligible.length - oversize.length
  if (orderCount > deps.config.enterprise.batch.maxOrders) {
    throw new DomainError('BATCH.INVALID', `一次批量开票最多 ${deps.config.enterprise.batch.maxOrders} 笔充值，请缩短时间范围或分组开票`)
  }
  return { groups, oversize, orderCount, totalFen: groups.reduce((s, g) => s + g.reduce((t, o) => t + o.amountFen, 0), 0) }
}

export async function previewBatch(deps: Deps, openid: string, spec: BatchSpec): Promise<BatchPreview> {
  await ownedTitle(deps, openid, spec.titleId)
  if (spec.email) parseEmail(spec.email)
  const collected = await collect(deps, openid, spec)
  const p = plan(deps, spec, collected)
  return {
    orderCount: p.orderCount,
    totalFen: p.totalFen,
    invoiceCount: p.groups.length,
    invoices: p.groups.slice(0, PLAN_SHOWN).map((g, i) => ({
      index: i + 1,
      orderCount: g.length,
      amountFen: g.reduce((s, o) => s + o.amountFen, 0),
      cardNos: [...new Set(g.map((o) => o.cardNo))],
    })),
    caps: { maxOrders: deps.config.invoice.caps.maxOrders, maxTotalFen: deps.config.invoice.caps.maxTotalFen },
    excluded: { alreadyInvoiced: collected.alreadyInvoiced, outOfWindow: collected.outOfWindow, overCap: p.oversize.length },
  }
}

/** The spec as the job keeps it: a retry with the same clientToken must ask for the same thing. */
const sameSpec = (a: BatchSpec, b: BatchSpec) => JSON.stringify(normalized(a)) === JSON.stringify(normalized(b))
const normalized = (s: BatchSpec): BatchSpec => ({
  titleId: s.titleId,
  period: s.period.kind === 'months' ? { kind: 'months', months: [...new Set(s.period.months)].sort() } : s.period,
  cards: s.cards.kind === 'ids' ? { kind: 'ids', cardIds: [...new Set(s.cards.cardIds)].sort() } : s.cards,
  mode: s.mode,
  ...(s.email === undefined ? {} : { email: s.email }),
})

/**
 * Records the job and its planned invoices (exactly once per clientToken) and starts the worker.
 * The orders are claimed later, invoice by invoice, by the ordinary request: until then a
 * single request may take one of them, and the batch then skips and counts it.
 */
export async function createBatch(deps: Deps, openid: string, spec: BatchSpec, clientToken: string): Promise<BatchJobView> {
  const existing = await deps.batches.findByClientToken(openid, clientToken)
  if (existing) return sameJob(deps, existing, spec)
  const title = await ownedTitle(deps, openid, spec.titleId)
  const rawEmail = spec.email === undefined ? (await deps.settings.get(openid)).defaultEmail : spec.email
  const email = rawEmail ? parseEmail(rawEmail) : null
  const p = plan(deps, spec, await collect(deps, openid, spec))
  if (p.groups.length === 0) throw new DomainError('BATCH.NOTHING_TO_INVOICE', '所选范围内没有可开票的充值')
  const now = deps.clock.now().toISOString()
  const job: StoredBatchJob = {
    id: `B${deps.clock.now().getTime().toString(36)}${deps.random.id().slice(0, 12)}`,
    openid,
    clientToken,
    status: 'running',
    spec: normalized(spec),
    titleName: title.name,
    mode: spec.mode,
    periodLabel: periodLabel(spec.period),
    cardsLabel: cardsLabel(spec.cards),
    email,
    orderCount: p.orderCount,
    totalFen: p.totalFen,
    invoiceCount: p.groups.length,
    nextIndex: 0,
    invoicesCreated: 0,
    ordersInvoiced: 0,
    ordersSkipped: 0,
    failed: 0,
    leaseUntil: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  }
  const items: StoredBatchItem[] = p.groups.map((g, index) => ({
    jobId: job.id,
    index,
    orderIds: g.map((o) => o.id),
    cardNos: [...new Set(g.map((o) => o.cardNo))],
    amountFen: g.reduce((s, o) => s + o.amountFen, 0),
    status: 'pending',
    invoiceId: null,
    reason: null,
  }))
  try {
    await deps.batches.create(job, items)
  } catch (e) {
    if (!(e instanceof DuplicateKeyError)) throw e
    const twin = await deps.batches.findByClientToken(openid, clientToken)
    if (!twin) throw e
    return sameJob(deps, twin, spec)
  }
  deps.log.info('batch created', { job: job.id, orders: job.orderCount, invoices: job.invoiceCount, taxId: maskTaxId(title.taxId) })
  await kickBatch(deps, job.id)
  return toView(deps, job)
}

async function sameJob(deps: Deps, job: StoredBatchJob, spec: BatchSpec): Promise<BatchJobView> {
  if (!sameSpec(job.spec, spec)) throw new DomainError('BATCH.CLIENT_TOKEN_REUSED', '请求已过期，请重新预览后确认')
  return toView(deps, job)
}

/** Starts a run of the worker on the job; a start that fails is left to the batch timer. */
async function kickBatch(deps: Deps, jobId: string): Promise<void> {
  try {
    if (deps.invoke.startBatch) await deps.invoke.startBatch({ kick: 'batch', jobId })
  } catch (e) {
    deps.log.warn('batch run not started; the batch timer resumes it', { job: jobId, error: e instanceof Error ? e.message.slice(0, 200) : String(e) })
  }
}

export async function toView(deps: Deps, j: StoredBatchJob): Promise<BatchJobView> {
  const failures = j.failed ? (await deps.batches.failedItems(j.id, FAILURES_SHOWN)).map((i) => ({ index: i.index + 1, reason: i.reason ?? '' })) : []
  return {
    id: j.id,
    status: j.status,
    titleName: j.titleName,
    mode: j.mode,
    periodLabel: j.periodLabel,
    cardsLabel: j.cardsLabel,
    orderCount: j.orderCount,
    totalFen: j.totalFen,
    invoiceCount: j.invoiceCount,
    done: j.nextIndex,
    invoicesCreated: j.invoicesCreated,
    ordersInvoiced: j.ordersInvoiced,
    ordersSkipped: j.ordersSkipped,
    failed: j.failed,
    failures,
    createdAt: j.createdAt,
    finishedAt: j.finishedAt,
  }
}

const toItemView = (i: StoredBatchItem): BatchItemView => ({
  index: i.index + 1,
  status: i.status,
  orderCount: i.orderIds.length,
  amountFen: i.amountFen,
  cardNos: i.cardNos,
  invoiceId: i.invoiceId,
  reason: i.reason,
})

export async function ownedJob(deps: Deps, openid: string, jobId: string): Promise<StoredBatchJob> {
  const job = await deps.batches.findById(jobId)
  // someone else's job reads as not found: no probing of ids
  if (!job || job.openid !== openid) throw new DomainError('BATCH.NOT_FOUND', '找不到该批量开票任务')
  return job
}

/** The job's progress and a page of its planned invoices (from = 1-based index). */
export async function getBatch(deps: Deps, openid: string, jobId: string, from = 1, limit = 50): Promise<{ job: BatchJobView; items: BatchItemView[] }> {
  const job = await ownedJob(deps, openid, jobId)
  const items = await deps.batches.items(job.id, from - 1, limit)
  return { job: await toView(deps, job), items: items.map(toItemView) }
}

const cursorOf = (createdAt: string, id: string) => Buffer.from(`${createdAt}|${id}`).toString('base64url')
function parseCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (extra !== undefined || !id || Number.isNaN(Date.parse(createdAt))) throw new DomainError('COMMON.BAD_REQUEST', '分页参数不正确，请刷新列表')
  return { createdAt, id }
}

export async function listBatches(deps: Deps, openid: string, input: { cursor?: string; limit?: number }): Promise<Page<BatchJobView>> {
  const limit = input.limit ?? 20
  const rows = await deps.batches.listByOwner(openid, { limit: limit + 1, cursor: input.cursor ? parseCursor(input.cursor) : undefined })
  const page = rows.slice(0, limit)
  const items = await Promise.all(page.map((j) => toView(deps, j)))
  const last = page[page.length - 1]
  return { items, nextCursor: rows.length > limit ? cursorOf(last.createdAt, last.id) : null }
}

/** Stops the job before its next chunk; the invoices already requested stay (and are issued). */
export async function cancelBatch(deps: Deps, openid: string, jobId: string): Promise<BatchJobView> {
  const job = await ownedJob(deps, openid, jobId)
  if (job.status === 'cancelled') return toView(deps, job)
  if (!(await deps.batches.finish(job.id, 'cancelled', deps.clock.now().toISOString()))) {
    throw new DomainError('BATCH.NOT_RUNNING', '任务已结束，无法取消')
  }
  deps.log.info('batch cancelled', { job: job.id, done: job.nextIndex, of: job.invoiceCount })
  return toView(deps, (await deps.batches.findById(job.id))!)
}

// ---------------------------------------------------------------------------------------
// The worker

/**
 * One planned invoice: the ordinary request under the item's own clientToken, for the item's
 * orders that are still free. A retry (after a crash) finds the invoice made the first time; an
 * order another invoice took meanwhile is skipped and counted, never invoiced twice.
 */
/** The item's invoice exists (made now or by an earlier run): the item's orders it did not take were skipped. */
function requested(item: StoredBatchItem, inv: { id: string; orderIds: readonly string[] }): BatchItemOutcome {
  return {
    status: 'requested',
    invoiceId: inv.id,
    reason: null,
    ordersInvoiced: inv.orderIds.length,
    ordersSkipped: item.orderIds.length - inv.orderIds.length,
  }
}

async function handleItem(deps: Deps, job: StoredBatchJob, item: StoredBatchItem): Promise<BatchItemOutcome> {
  const clientToken = batchInvoiceToken(job.id, item.index)
  const made = await deps.invoices.findByClientToken(job.openid, clientToken)
  if (made) return requested(item, made)
  for (let attempt = 0; ; attempt++) {
    const orders = await deps.orders.findByIds(item.orderIds)
    const free = item.orderIds.filter((id) => {
      const o = orders.find((x) => x.id === id)
      return o && o.openid === job.openid && o.status === 'paid' && !o.invoiceId
    })
    const skipped = item.orderIds.length - free.length
    if (free.length === 0) return { status: 'skipped', invoiceId: null, reason: '这些充值已在别处开票', ordersInvoiced: 0, ordersSkipped: skipped }
    try {
      return requested(item, await requestInvoice(deps, job.openid, { orderIds: free, titleId: job.spec.titleId, email: job.email, clientToken }))
    } catch (e) {
      // an order claimed between our read and the request: read again once and take the rest
      if (e instanceof DomainError && e.code === 'INVOICE.ORDER_ALREADY_INVOICED' && attempt === 0) continue
      if (e instanceof DomainError) return { status: 'failed', invoiceId: null, reason: failureReason(e), ordersInvoiced: 0, ordersSkipped: 0 }
      throw e
    }
  }
}

async function inParallel<T>(items: readonly T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++])
    }),
  )
}

export interface BatchRunReport {
  jobId: string
  status: StoredBatchJob['status']
  handled: number
  /** false when another run holds the job (nothing done here) */
  ran: boolean
}

/**
 * One run of the worker on one job: take the lease, then chunk after chunk (the status is read
 * again before each one, so a cancel stops it there) request the planned invoices in order and
 * issue those of the chunk, until the job is done or the run's time budget is spent; then start
 * the next run (the timer is the safety net). A crashed run's lease runs out and the next run
 * resumes at nextIndex; an item done twice is recorded once (recordItem), and its invoice is found
 * by its clientToken.
 */
export async function runBatchJob(deps: Deps, jobId: string): Promise<BatchRunReport> {
  const cfg = deps.config.enterprise.batch
  const started = Date.now()
  const leaseMs = cfg.runBudgetMs + LEASE_SLACK_MS
  const now = deps.clock.now()
  const lease = new Date(now.getTime() + leaseMs).toISOString()
  if (!(await deps.batches.claim(jobId, now.toISOString(), lease))) {
    const j = await deps.batches.findById(jobId)
    return { jobId, status: j?.status ?? 'cancelled', handled: 0, ran: false }
  }
  let handled = 0
  let crashed = false
  let job = (await deps.batches.findById(jobId))!
  try {
    while (job.status === 'running' && job.nextIndex < job.invoiceCount && Date.now() - started < cfg.runBudgetMs) {
      const chunk = await deps.batches.items(job.id, job.nextIndex, cfg.chunkInvoices)
      const toIssue: string[] = []
      for (const item of chunk) {
        if (item.index !== job.nextIndex) break
        const outcome = await handleItem(deps, job, item)
        await deps.batches.recordItem(job.id, item.index, outcome, deps.clock.now().toISOString())
        if (outcome.invoiceId) toIssue.push(outcome.invoiceId)
        job = { ...job, nextIndex: item.index + 1 }
        handled++
      }
      // the ordinary pipeline: provider, documents, storage, e-mail, waiting for the provider as an
      // inline request would, so "done" mostly means issued (what is left, the invoice worker finishes)
      const waitMs = deps.config.invoice.inlineWaitMs
      await inParallel(toIssue, cfg.issueConcurrency, async (id) => {
        try {
          await advanceInvoice(deps, id, waitMs)
        } catch (e) {
          deps.log.warn('batch: invoice left to the invoice worker', { job: job.id, invoice: id, error: e instanceof Error ? e.message : String(e) })
        }
      })
      job = (await deps.batches.findById(jobId))!
    }
    if (job.status === 'running' && job.nextIndex >= job.invoiceCount) {
      await deps.batches.finish(job.id, 'done', deps.clock.now().toISOString())
      job = (await deps.batches.findById(jobId))!
      deps.log.info('batch done', { job: job.id, invoices: job.invoicesCreated, skipped: job.ordersSkipped, failed: job.failed })
    }
  } catch (e) {
    // not started again from here: an error that repeats would loop; the timer resumes it
    crashed = true
    deps.log.error('batch run failed; the batch timer resumes it', { job: jobId, error: e instanceof Error ? e.message : String(e) })
  } finally {
    await deps.batches.release(jobId, lease)
  }
  if (job.status === 'running' && !crashed) await kickBatch(deps, job.id)
  return { jobId, status: job.status, handled, ran: true }
}

/**
 * The batch timer: resumes running jobs nobody holds (a lost start, a crashed run). The oldest
 * runs here (one run fills the function's time budget); the others get a start of their own.
 */
export async function runBatchSweep(deps: Deps, limit = 10): Promise<{ ran: BatchRunReport | null; started: number }> {
  const [first, ...rest] = await deps.batches.runnable(deps.clock.now().toISOString(), limit)
  for (const j of rest) await kickBatch(deps, j.id)
  return { ran: first ? await runBatchJob(deps, first.id) : null, started: rest.length }
}
