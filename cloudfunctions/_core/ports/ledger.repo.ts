import type { ExportStatus } from '../domain/ledger'

/** What an export covers: chosen invoices, or a filter over the person's issued invoices. */
export type ExportSelection =
  | { kind: 'ids'; invoiceIds: string[] }
  | { kind: 'filter'; from: string | null; to: string | null; title: string | null; cardNo: string | null; status: 'issued' | 'all' }

export interface StoredExport {
  id: string
  openid: string
  clientToken: string
  status: ExportStatus
  selection: ExportSelection
  /** e-mail the result to this address (a link when too big to attach); null: download only */
  email: string | null
  /** invoices in the export (known once the selection is resolved) */
  total: number
  /** invoices whose files are in the ZIP so far */
  done: number
  zipFileId: string | null
  zipBytes: number | null
  zipSha256: string | null
  /** how the e-mail went: attached, a link, failed, or null when none was asked */
  mail: 'attached' | 'link' | 'failed' | null
  error: string | null
  attempts: number
  createdAt: string
  finishedAt: string | null
  leaseUntil: string | null
}

/**
 * Export jobs (unique per owner and clientToken), the caller-window counters of the rate limit,
 * and the one lookup the authenticity check needs that no other repository answers.
 */
export interface LedgerRepo {
  /** Throws DuplicateKeyError('clientToken') when the owner already used this token. */
  createExport(job: StoredExport): Promise<void>
  findExport(id: string): Promise<StoredExport | null>
  findExportByToken(openid: string, clientToken: string): Promise<StoredExport | null>
  /** newest first */
  listExports(openid: string, limit: number): Promise<StoredExport[]>
  /**
   * Conditional update: applies `patch` only while the status is one of `from` and, with
   * `leaseFreeAt`, no runner holds a lease beyond that instant. True for the one caller that changed it.
   */
  updateExport(id: string, from: readonly ExportStatus[], patch: Partial<StoredExport>, opts?: { leaseFreeAt?: string }): Promise<boolean>
  /**
   * Counts one more call under `key` (caller and window start): the counter is a record with a
   * unique key, created by the first call and incremented atomically. Answers the new count.
   */
  hit(key: string, at: string): Promise<number>
  /** ids of issued invoices one of whose files (PDF, XML, OFD) has this SHA-256 */
  invoiceIdsBySha256(sha256: string, limit: number): Promise<string[]>
}
