/**
 * Deleting a person's own data (设置 → 删除个人数据). What the law lets us drop goes; what it
 * makes us keep stays: invoices and the orders they cover (30 years, DOMAIN.md), the audit trail.
 */

/** Work of the person still running: deleting now would pull the title or e-mail from under it. */
export interface AccountWorkInFlight {
  /** invoices requested, being issued, or failed and waiting for their automatic retry (the worker retries until issued) */
  invoicesIssuing: number
  /** batch invoicing jobs still running */
  batchesRunning: number
  /** export jobs queued or running (they mail a ZIP to an address) */
  exportsRunning: number
}

/** How many records each kind lost: 0 everywhere on a second run. */
export interface AccountDeletionCounts {
  cards: number
  titles: number
  settings: number
  smsContacts: number
  smsCodes: number
  subscribeQuota: number
  reminders: number
}

/** `keptInvoices`: the person's invoices, all kept (the law's 30 years) and still downloadable */
export type AccountDeletionResult = { deleted: AccountDeletionCounts; keptInvoices: number } | { busy: AccountWorkInFlight }

export interface AccountDataRepo {
  /**
   * Refuses ({ busy }) while any work of the person is in flight, otherwise deletes every record
   * listed in AccountDeletionCounts for the openid. Idempotent: re-running after a crash part-way
   * deletes what is left. SQLite does the check and the deletes in one transaction; the cloud
   * database checks first, then deletes collection by collection (each delete by openid).
   */
  deletePersonalData(openid: string): Promise<AccountDeletionResult>
}

export const isIdle = (w: AccountWorkInFlight) => w.invoicesIssuing === 0 && w.batchesRunning === 0 && w.exportsRunning === 0
