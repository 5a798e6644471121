import type { AuditRecord, StaffMember } from '../../../types/aftersales'
import type { StaffJobsHealth } from '../../../types/api'

/** Who holds a staff role, by openid (the mini-program door of the `staff` function). */
export interface StaffRepo {
  find(openid: string): Promise<StaffMember | null>
  /** grant or change a role (insert or replace) */
  put(member: StaffMember): Promise<void>
  /** revoke; true when there was a role to revoke */
  remove(openid: string): Promise<boolean>
  /** every staff member, by name */
  list(): Promise<StaffMember[]>
}

/**
 * A record of the audit trail as stored: its place in the chain (`seq`, 1, 2, 3...), the
 * hash of the record before it and its own hash over its content and that previous hash.
 */
export interface StoredAudit extends AuditRecord {
  seq: number
  prevHash: string
  hash: string
}

/**
 * The append-only audit trail of staff actions. There is deliberately no update and no
 * delete: SQLite refuses both with a trigger, and the cloud collection's console permission is
 * read-only (only this function adds to it).
 *
 * The chain is kept linear by the store itself: `seq` is unique (SQLite primary key; the cloud
 * document `_id` is derived from it), so of two writers that read the same head, one appends
 * and the other gets DuplicateKeyError('seq') and builds its record again on the new head.
 */
export interface AuditRepo {
  /** the newest record's place and hash, or null for an empty trail */
  head(): Promise<{ seq: number; hash: string } | null>
  /** Throws DuplicateKeyError('seq') when that place in the chain is taken. */
  append(record: StoredAudit): Promise<void>
  /** newest first, keyset-paged by seq (strictly before `beforeSeq`), optionally for one target */
  list(filter: { target?: string }, page: { limit: number; beforeSeq?: number }): Promise<StoredAudit[]>
  /**
   * The whole trail oldest first, in the order the store keeps it (not by the seq a record
   * claims, which an edit could change), a page at a time: `after` is the `next` of the page
   * before (null to start); `next` is null after the last page.
   */
  chain(page: { after: string | null; limit: number }): Promise<{ records: StoredAudit[]; next: string | null }>
}

/**
 * The two staff queues that read across aggregates the owning repositories do not list:
 * invoices that failed or are stuck, and top-ups flagged with a payment anomaly. They answer
 * ids only; the service reads each record through its own repository (InvoiceRepo,
 * OrderRepo), so this port never has to know how those records are shaped.
 */
export interface StaffQueryRepo {
  /** invoices failed, or still requested/issuing and requested before `stuckBefore`; oldest first */
  stuckInvoices(stuckBefore: string, limit: number): Promise<{ count: number; ids: string[] }>
  /** top-ups with an anomaly on record (e.g. a callback amount that differs from ours); newest first */
  orderAnomalies(limit: number): Promise<{ count: number; items: { id: string; detail: string }[] }>
  /** the invoice carrying this invoice number (staff `find`): its id, or none */
  invoiceIdsByNumber(invoiceNo: string, limit: number): Promise<string[]>
  /** top-ups of this card number, whoever owns it (staff `find`); newest first */
  orderIdsByCard(cardNo: string, limit: number): Promise<string[]>
  /** e-mails of invoices not yet sent (pending, due or waiting for a retry): how many, and the oldest's createdAt */
  mailBacklog(): Promise<{ pending: number; oldestCreatedAt: string | null }>
  /** batch jobs and exports for `staff health`: small counts (a lease <= now or none is unheld; since = 24 hours back) */
  jobsHealth(now: string, since: string): Promise<StaffJobsHealth>
}
