import { formatInvoiceNo } from '../../domain/invoice'
import type { InvoiceProvider, IssueRequest, ProviderStatus, SubmitResult } from '../../ports/provider.port'
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
}

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

  constructor(private readonly opts: ProviderSandboxOptions) {
    this.db = openDb(opts.file)
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS provider_requests (
        request_no TEXT PRIMARY KEY, payload TEXT NOT NULL, submitted_at TEXT NOT NULL, ready_at TEXT NOT NULL,
        outcome TEXT NOT NULL, invoice_no TEXT UNIQUE, issued_at TEXT, reason TEXT);
      CREATE TABLE IF NOT EXISTS provider_sequence (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);`)
    this.sql = statementCache(this.db)
    this.latencyMs = opts.latencyMs
    this.failureRate = opts.failureRate
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date()
  }

  async submit(req: IssueRequest): Promise<SubmitResult> {
    const now = this.now()
    const outcome = (this.opts.random ?? Math.random)() < this.failureRate ? 'failed' : 'issued'
    const changes = this.sql(
        `INSERT OR IGNORE INTO provider_requests (request_no, payload, submitted_at, ready_at, outcome, reason)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        req.requestNo,
        JSON.stringify(req),
        now.toISOString(),
        new Date(now.getTime() + this.latencyMs).toISOString(),
        outcome,
        outcome === 'failed' ? '税控服务繁忙（沙箱模拟失败）' : null,
      ).changes
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
      | { outcome: string; ready_at: string; reason: string | null }
      | undefined
    if (!r) return { state: 'not_found' }
    if (this.now().getTime() < Date.parse(r.ready_at)) return { state: 'issuing' }
    if (r.outcome === 'failed') return { state: 'failed', reason: r.reason ?? '开具失败' }
    return { state: 'issued', ...this.issue(requestNo) }
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
