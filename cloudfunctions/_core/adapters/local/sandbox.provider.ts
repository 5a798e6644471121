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
import { openDb, statementCache, type Db } from './sqlite.db'

export interface ProviderSandboxOptions {
  file: string
  /** how long issuing takes, like a real provider's signing step */
  latencyMs: number
  /** share of requests that fail (0..1), decided at submit */
  failureRate: number
  province?: string
  channel?: string
  now?: () => Date
  random?: () => number
  /** what a buyer who must confirm a red-letter form does by default (dev hook can change it) */
  buyerDecision?: BuyerDecision
  /** an unconfirmed red-letter form lapses after this many hours */
  redConfirmHours?: number
}

export type { BuyerDecision }

const REFUSED_REASON = '购买方拒绝确认（沙箱模拟）'

/**
 * A stand-in for a licensed e-invoice provider (诺诺-like): submit is idempotent per request
 * number (a reused one answers 'duplicate', like E9106), issuing completes after a latency,
 * some requests fail. Numbers are 20-digit 数电票 numbers from a sequence kept in the
 * provider's own SQLite file, allocated once per issued request and never reused.
 */
export class ProviderSandbox implements InvoiceProvider {
  private readonly db: Db
  private readonly sql: ReturnType<typeof statementCache>
  latencyMs: number
  failureRate: number
  buyerDecision: BuyerDecision

  constructor(private readonly opts: ProviderSandboxOptions) {
    this.db = openDb(opts.file)
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS provider_requests (
        request_no TEXT PRIMARY KEY, payload TEXT NOT NULL, submitted_at TEXT NOT NULL, ready_at TEXT NOT NULL,
        outcome TEXT NOT NULL, invoice_no TEXT UNIQUE, issued_at TEXT, reason TEXT);
      CREATE TABLE IF NOT EXISTS provider_sequence (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS provider_red_confirmations (
        request_no TEXT PRIMARY KEY, confirmation_no TEXT NOT NULL UNIQUE, payload TEXT NOT NULL, applied_at TEXT NOT NULL,
        state TEXT NOT NULL, deadline TEXT, reason TEXT);
      CREATE TABLE IF NOT EXISTS provider_red_sequence (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);`)
    this.sql = statementCache(this.db)
    this.latencyMs = opts.latencyMs
    this.failureRate = opts.failureRate
    this.buyerDecision = opts.buyerDecision ?? 'wait'
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date()
  }

  async submit(req: IssueRequest): Promise<SubmitResult> {
    const now = this.now()
    let outcome = (this.opts.random ?? Math.random)() < this.failureRate ? 'failed' : 'issued'
    let reason: string | null = outcome === 'failed' ? '税控服务繁忙（沙箱模拟失败）' : null
    // A red invoice needs a confirmed red-letter form for exactly that blue invoice.
    if (req.red) {
      const c = this.sql('SELECT state, payload FROM provider_red_confirmations WHERE confirmation_no = ?').get(req.red.confirmationNo) as
        { state: string; payload: string } | undefined
      const blueNo = c ? (JSON.parse(c.payload) as RedConfirmationRequest).blueInvoiceNo : null
      if (!c || c.state !== 'confirmed' || blueNo !== req.red.blueInvoiceNo) {
        outcome = 'failed'
        reason = '红字发票信息确认单无效或未确认'
      }
    }
    const changes = this.sql(
      `INSERT OR IGNORE INTO provider_requests (request_no, payload, submitted_at, ready_at, outcome, reason)
         VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(req.requestNo, JSON.stringify(req), now.toISOString(), new Date(now.getTime() + this.latencyMs).toISOString(), outcome, reason).changes
    return changes === 1 ? 'accepted' : 'duplicate'
  }

  private readonly issue = (requestNo: string): { invoiceNo: string; issuedAt: string } => {
    return this.db.transaction(() => {
      const r = this.sql('SELECT invoice_no, issued_at, ready_at FROM provider_requests WHERE request_no = ?').get(requestNo) as {
        invoice_no: string | null
        issued_at: string | null
        ready_at: string
      }
      if (r.invoice_no) return { invoiceNo: r.invoice_no, issuedAt: r.issued_at! }
      const issuedAt = r.ready_at
      const year = new Date(Date.parse(issuedAt) + 8 * 3600_000).getUTCFullYear()
      this.sql('INSERT INTO provider_sequence (year, last) VALUES (?, 0) ON CONFLICT (year) DO NOTHING').run(year)
      this.sql('UPDATE provider_sequence SET last = last + 1 WHERE year = ?').run(year)
      const seq = (this.sql('SELECT last FROM provider_sequence WHERE year = ?').get(year) as { last: number }).last
      const invoiceNo = formatInvoiceNo(year, this.opts.province ?? '42', this.opts.channel ?? '1', seq)
      this.sql('UPDATE provider_requests SET invoice_no = ?, issued_at = ? WHERE request_no = ?').run(invoiceNo, issuedAt, requestNo)
      return { invoiceNo, issuedAt }
    })()
  }

  async query(requestNo: string): Promise<ProviderStatus> {
    const r = this.sql('SELECT outcome, ready_at, reason FROM provider_requests WHERE request_no = ?').get(requestNo) as
      { outcome: string; ready_at: string; reason: string | null } | undefined
    if (!r) return { state: 'not_found' }
    if (this.now().getTime() < Date.parse(r.ready_at)) return { state: 'issuing' }
    if (r.outcome === 'failed') return { state: 'failed', reason: r.reason ?? '开具失败' }
    return { state: 'issued', ...this.issue(requestNo) }
  }

  private nextSequence(table: 'provider_sequence' | 'provider_red_sequence', year: number): number {
    this.sql(`INSERT INTO ${table} (year, last) VALUES (?, 0) ON CONFLICT (year) DO NOTHING`).run(year)
    this.sql(`UPDATE ${table} SET last = last + 1 WHERE year = ?`).run(year)
    return (this.sql(`SELECT last FROM ${table} WHERE year = ?`).get(year) as { last: number }).last
  }

  private redStatus(requestNo: string): RedConfirmationStatus {
    const r = this.sql('SELECT confirmation_no, state, deadline, reason FROM provider_red_confirmations WHERE request_no = ?').get(requestNo) as
      { confirmation_no: string; state: string; deadline: string | null; reason: string | null } | undefined
    if (!r) return { state: 'not_found' }
    const confirmationNo = r.confirmation_no
    if (r.state === 'pending_buyer' && r.deadline && this.now().getTime() >= Date.parse(r.deadline)) {
      // 72 h without the buyer's answer: the form lapses (once; a late confirm cannot revive it).
      this.sql(`UPDATE provider_red_confirmations SET state = 'lapsed' WHERE request_no = ? AND state = 'pending_buyer'`).run(requestNo)
      return { state: 'lapsed', confirmationNo }
    }
    if (r.state === 'confirmed') return { state: 'confirmed', confirmationNo }
    if (r.state === 'pending_buyer') return { state: 'pending_buyer', confirmationNo, deadline: r.deadline! }
    if (r.state === 'refused') return { state: 'refused', confirmationNo, reason: r.reason ?? REFUSED_REASON }
    return { state: 'lapsed', confirmationNo }
  }

  /**
   * Records the red-letter form once per request number (a repeated apply answers the form
   * already recorded). A buyer who need not confirm: confirmed at once. Otherwise the sandbox
   * buyer's default decision applies: wait (pending, lapses after redConfirmHours), confirm, refuse.
   */
  async applyRedConfirmation(req: RedConfirmationRequest): Promise<RedConfirmationStatus> {
    this.db.transaction(() => {
      if (this.sql('SELECT 1 FROM provider_red_confirmations WHERE request_no = ?').get(req.requestNo)) return
      const now = this.now()
      const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear()
      const confirmationNo = formatInvoiceNo(year, this.opts.province ?? '42', '9', this.nextSequence('provider_red_sequence', year))
      const state = !req.buyerMustConfirm || this.buyerDecision === 'confirm' ? 'confirmed' : this.buyerDecision === 'refuse' ? 'refused' : 'pending_buyer'
      const deadline = new Date(now.getTime() + (this.opts.redConfirmHours ?? 72) * 3600_000).toISOString()
      this.sql(
        `INSERT INTO provider_red_confirmations (request_no, confirmation_no, payload, applied_at, state, deadline, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(req.requestNo, confirmationNo, JSON.stringify(req), now.toISOString(), state, deadline, state === 'refused' ? REFUSED_REASON : null)
    })()
    return this.redStatus(req.requestNo)
  }

  async queryRedConfirmation(requestNo: string): Promise<RedConfirmationStatus> {
    return this.redStatus(requestNo)
  }

  /**
   * The sandbox buyer acts on a pending form (dev hook): confirm, refuse, or let it lapse now.
   * Only a pending form changes; the answer is the form's state afterwards.
   */
  decideRedConfirmation(key: { confirmationNo?: string; requestNo?: string }, decision: 'confirm' | 'refuse' | 'lapse'): RedConfirmationStatus {
    const r = this.sql('SELECT request_no FROM provider_red_confirmations WHERE request_no = ? OR confirmation_no = ?').get(
      key.requestNo ?? '',
      key.confirmationNo ?? '',
    ) as { request_no: string } | undefined
    if (!r) return { state: 'not_found' }
    const now = this.now().toISOString()
    if (decision === 'lapse') {
      this.sql(`UPDATE provider_red_confirmations SET deadline = ? WHERE request_no = ? AND state = 'pending_buyer'`).run(now, r.request_no)
    } else {
      this.sql(`UPDATE provider_red_confirmations SET state = ?, reason = ? WHERE request_no = ? AND state = 'pending_buyer' AND deadline > ?`).run(
        decision === 'confirm' ? 'confirmed' : 'refused',
        decision === 'refuse' ? REFUSED_REASON : null,
        r.request_no,
        now,
      )
    }
    return this.redStatus(r.request_no)
  }

  /** every number issued so far (tests: never reused) */
  issuedNumbers(): string[] {
    return (this.sql('SELECT invoice_no FROM provider_requests WHERE invoice_no IS NOT NULL ORDER BY invoice_no').all() as { invoice_no: string }[]).map(
      (r) => r.invoice_no,
    )
  }

  close(): void {
    this.db.close()
  }
}
