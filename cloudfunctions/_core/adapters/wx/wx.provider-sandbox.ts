import { formatInvoiceNo } from '../../domain/invoice'
import type {
  BuyerDecision,
  InvoiceProvider,
  IssueRequest,
  ProviderStatus,
  RedConfirmationRequest,
  RedConfirmationStatus,
  SubmitResult,
} from '../../ports/provider.port'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { isDuplicateWrite, str, strOrNull } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

export interface WxProviderSandboxOptions {
  /** how long issuing takes, like a real provider's signing step */
  latencyMs: number
  /** share of requests that fail (0..1), decided at submit */
  failureRate: number
  /** 2-digit province code of the numbers (42 = Hubei) */
  province?: string
  /** 1-digit channel code of the numbers */
  channel?: string
  now?: () => Date
  random?: () => number
  /** what a buyer who must confirm a red-letter form does: wait (default), confirm, refuse */
  buyerDecision?: BuyerDecision
  /** an unconfirmed red-letter form lapses after this many hours (72) */
  redConfirmHours?: number
}

const REFUSED_REASON = '购买方拒绝确认（沙箱模拟）'

/**
 * Compare-and-set rounds for one number. Every lost round means another request took the
 * number just read, so running out takes that many concurrent issues in the same instant;
 * the query then fails and the worker asks again on its next run.
 */
const MAX_ALLOCATION_ROUNDS = 100

const FAILURE_REASON = '税控服务繁忙（沙箱模拟失败）'

/**
 * The stand-in for a licensed e-invoice provider in WeChat cloud (no provider is contracted
 * yet), with the behaviour of the local cloud's ProviderSandbox: submit is idempotent per
 * request number (a reused one answers 'duplicate'), issuing completes after a latency, a
 * share of requests fail, and numbers are 20-digit 数电票 numbers from a per-year sequence,
 * allocated once per issued request and never reused.
 *
 * Stored in the cloud database instead of a SQLite file:
 * - `provider_sandbox_requests`, `_id` = request number: a second submit of the same number
 *   is refused by the database (DATABASE_DUPLICATE_WRITE) and answered 'duplicate'.
 * - `provider_sandbox_sequence`, `_id` = year (UTC+8), `last` = the last number handed out.
 *
 * Numbering without a transaction. A number is taken from the sequence with a compare-and-set:
 * read `last`, then update where({ _id: year, last }) to last + 1; updated === 1 means this
 * caller owns last + 1, anything else means another caller took it first (read again). An
 * `_.inc(1)` followed by a read-back is NOT used: two increments then two reads can both see
 * the second value, i.e. one number for two invoices. The number is then written onto the
 * request with a conditional update where invoiceNo is still null; a caller that loses that
 * race (two queries of one request at once) reads and answers the winner's number, and the
 * number it took stays unused: the sequence may skip, it never repeats.
 */
export class WxProviderSandbox implements InvoiceProvider {
  latencyMs: number
  failureRate: number
  buyerDecision: BuyerDecision

  constructor(
    private readonly db: WxDatabase,
    private readonly opts: WxProviderSandboxOptions,
  ) {
    this.latencyMs = opts.latencyMs
    this.failureRate = opts.failureRate
    this.buyerDecision = opts.buyerDecision ?? 'wait'
  }

  private confirmations() {
    return this.db.collection(WX_COLLECTIONS.providerRedConfirmations)
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date()
  }

  private requests() {
    return this.db.collection(WX_COLLECTIONS.providerRequests)
  }

  private sequence() {
    return this.db.collection(WX_COLLECTIONS.providerSequence)
  }

  private async request(requestNo: string): Promise<WxDoc | undefined> {
    return (await this.requests().where({ _id: requestNo }).limit(1).get()).data[0]
  }

  async submit(req: IssueRequest): Promise<SubmitResult> {
    const now = this.now()
    let outcome = (this.opts.random ?? Math.random)() < this.failureRate ? 'failed' : 'issued'
    let reason: string | null = outcome === 'failed' ? FAILURE_REASON : null
    // A red invoice needs a confirmed red-letter form for exactly that blue invoice.
    if (req.red) {
      const { data } = await this.confirmations().where({ confirmationNo: req.red.confirmationNo }).limit(1).get()
      const c = data[0]
      if (!c || c.state !== 'confirmed' || c.blueInvoiceNo !== req.red.blueInvoiceNo) {
        outcome = 'failed'
        reason = '红字发票信息确认单无效或未确认'
      }
    }
    try {
      await this.requests().add({
        data: {
          _id: req.requestNo,
          payload: JSON.stringify(req),
          submittedAt: now.toISOString(),
          readyAt: new Date(now.getTime() + this.latencyMs).toISOString(),
          outcome,
          reason,
          invoiceNo: null,
          issuedAt: null,
        },
      })
      return 'accepted'
    } catch (e) {
      if (isDuplicateWrite(e)) return 'duplicate'
      throw e
    }
  }

  async query(requestNo: string): Promise<ProviderStatus> {
    const r = await this.request(requestNo)
    if (!r) return { state: 'not_found' }
    if (this.now().getTime() < Date.parse(str(r.readyAt))) return { state: 'issuing' }
    if (r.outcome === 'failed') return { state: 'failed', reason: strOrNull(r.reason) ?? '开具失败' }
    return { state: 'issued', ...(await this.issue(r)) }
  }

  /** The request's number: the one it has, or a new one from the sequence, stored once. */
  private async issue(r: WxDoc): Promise<{ invoiceNo: string; issuedAt: string }> {
    const had = strOrNull(r.invoiceNo)
    if (had) return { invoiceNo: had, issuedAt: str(r.issuedAt) }
    const issuedAt = str(r.readyAt)
    const year = new Date(Date.parse(issuedAt) + 8 * 3600_000).getUTCFullYear()
    const invoiceNo = formatInvoiceNo(year, this.opts.province ?? '42', this.opts.channel ?? '1', await this.allocate(year))
    const won = await this.requests().where({ _id: r._id, invoiceNo: null }).update({ data: { invoiceNo, issuedAt } })
    if (won.stats.updated === 1) return { invoiceNo, issuedAt }
    // A concurrent query of the same request stored its number first: that one is the number.
    const winner = await this.request(r._id)
    const stored = strOrNull(winner?.invoiceNo)
    if (!stored) throw new Error(`provider sandbox: request ${r._id} has no number after a lost race`)
    return { invoiceNo: stored, issuedAt: str(winner!.issuedAt) }
  }

  private async redStatus(requestNo: string): Promise<RedConfirmationStatus> {
    const { data } = await this.confirmations().where({ _id: requestNo }).limit(1).get()
    const r = data[0]
    if (!r) return { state: 'not_found' }
    const confirmationNo = str(r.confirmationNo)
    const deadline = strOrNull(r.deadline)
    if (r.state === 'pending_buyer' && deadline && this.now().getTime() >= Date.parse(deadline)) {
      // 72 h without the buyer's answer: the form lapses (conditional, so a late confirm loses).
      await this.confirmations()
        .where({ _id: requestNo, state: 'pending_buyer' })
        .update({ data: { state: 'lapsed' } })
      return this.redStatus(requestNo)
    }
    if (r.state === 'confirmed') return { state: 'confirmed', confirmationNo }
    if (r.state === 'pending_buyer') return { state: 'pending_buyer', confirmationNo, deadline: deadline! }
    if (r.state === 'refused') return { state: 'refused', confirmationNo, reason: strOrNull(r.reason) ?? REFUSED_REASON }
    return { state: 'lapsed', confirmationNo }
  }

  /** Recorded once per request number (`_id`); a repeated apply answers the recorded form. */
  async applyRedConfirmation(req: RedConfirmationRequest): Promise<RedConfirmationStatus> {
    const existing = await this.redStatus(req.requestNo)
    if (existing.state !== 'not_found') return existing
    const now = this.now()
    const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear()
    // channel 9: a confirmation number never looks like an invoice number of this sandbox
    const confirmationNo = formatInvoiceNo(year, this.opts.province ?? '42', '9', await this.allocate(year, `red-${year}`))
    const state = !req.buyerMustConfirm || this.buyerDecision === 'confirm' ? 'confirmed' : this.buyerDecision === 'refuse' ? 'refused' : 'pending_buyer'
    try {
      await this.confirmations().add({
        data: {
          _id: req.requestNo,
          confirmationNo,
          blueInvoiceNo: req.blueInvoiceNo,
          payload: JSON.stringify(req),
          appliedAt: now.toISOString(),
          state,
          deadline: new Date(now.getTime() + (this.opts.redConfirmHours ?? 72) * 3600_000).toISOString(),
          reason: state === 'refused' ? REFUSED_REASON : null,
        },
      })
    } catch (e) {
      if (!isDuplicateWrite(e)) throw e // else a concurrent apply recorded it: its form is the form
    }
    return this.redStatus(req.requestNo)
  }

  async queryRedConfirmation(requestNo: string): Promise<RedConfirmationStatus> {
    return this.redStatus(requestNo)
  }

  /** The sandbox buyer acts on a pending form: confirm, refuse, or let it lapse now. */
  async decideRedConfirmation(key: { confirmationNo?: string; requestNo?: string }, decision: 'confirm' | 'refuse' | 'lapse'): Promise<RedConfirmationStatus> {
    const { data } = await this.confirmations()
      .where(key.requestNo ? { _id: key.requestNo } : { confirmationNo: key.confirmationNo ?? '' })
      .limit(1)
      .get()
    if (!data[0]) return { state: 'not_found' }
    const now = this.now().toISOString()
    const _ = this.db.command
    if (decision === 'lapse')
      await this.confirmations()
        .where({ _id: data[0]._id, state: 'pending_buyer' })
        .update({ data: { deadline: now } })
    else {
      await this.confirmations()
        .where({ _id: data[0]._id, state: 'pending_buyer', deadline: _.gt(now) })
        .update({ data: { state: decision === 'confirm' ? 'confirmed' : 'refused', reason: decision === 'refuse' ? REFUSED_REASON : null } })
    }
    return this.redStatus(data[0]._id)
  }

  /** The next number of `year`, taken by compare-and-set (see the class comment). */
  private async allocate(year: number, _id = String(year)): Promise<number> {
    for (let round = 1; round <= MAX_ALLOCATION_ROUNDS; round++) {
      const { data } = await this.sequence().where({ _id }).limit(1).get()
      if (!data[0]) {
        try {
          await this.sequence().add({ data: { _id, year, last: 0 } })
        } catch (e) {
          if (!isDuplicateWrite(e)) throw e // else: a concurrent first issue of the year made it
        }
        continue
      }
      const last = Number(data[0].last)
      if (!Number.isSafeInteger(last) || last < 0) throw new Error(`provider_sandbox_sequence/${_id}: bad last ${String(data[0].last)}`)
      const took = await this.sequence()
        .where({ _id, last })
        .update({ data: { last: last + 1 } })
      if (took.stats.updated === 1) return last + 1
    }
    throw new Error(`provider sandbox: no number for ${year} after ${MAX_ALLOCATION_ROUNDS} concurrent attempts`)
  }

  /** every number issued so far (tests: never reused) */
  async issuedNumbers(): Promise<string[]> {
    const out: string[] = []
    // Paged by _id: a sandbox holds few requests, but a get() answers at most 100.
    let after = ''
    for (;;) {
      const { data } = await this.requests()
        .where({ _id: this.db.command.gt(after), invoiceNo: this.db.command.neq(null) })
        .orderBy('_id', 'asc')
        .limit(100)
        .get()
      for (const d of data) out.push(str(d.invoiceNo))
      if (data.length < 100) break
      after = data[data.length - 1]._id
    }
    return out.sort()
  }
}
