import { isIdle, type AccountDataRepo, type AccountDeletionCounts, type AccountWorkInFlight } from '../../ports/account.repo'
import type { Db } from './sqlite.db'

/**
 * Account data deletion in SQLite: the in-flight check and every delete in one transaction, so a
 * request that starts an invoice at the same moment either runs before (and we refuse) or after
 * (and finds no title, a coded error of its own). Invoices, orders and the audit trail are not
 * touched.
 */
export function sqliteAccountDataRepo(db: Db): AccountDataRepo {
  const count = (sql: string, openid: string) => db.prepare<[string], { n: number }>(sql).get(openid)?.n ?? 0
  const del = (table: string, openid: string) => db.prepare<[string]>(`DELETE FROM ${table} WHERE openid = ?`).run(openid).changes
  // subscribe_quota is created by sqliteQuotaRepo on first use (CREATE TABLE IF NOT EXISTS)
  const hasQuotaTable = () => !!db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'subscribe_quota'").get()

  const run = db.transaction((openid: string) => {
    const work: AccountWorkInFlight = {
      invoicesIssuing: count("SELECT COUNT(*) AS n FROM invoices WHERE openid = ? AND status IN ('requested', 'issuing', 'failed')", openid),
      batchesRunning: count("SELECT COUNT(*) AS n FROM batch_jobs WHERE openid = ? AND status = 'running'", openid),
      exportsRunning: count("SELECT COUNT(*) AS n FROM export_jobs WHERE openid = ? AND status IN ('queued', 'running')", openid),
    }
    if (!isIdle(work)) return { busy: work }
    const deleted: AccountDeletionCounts = {
      cards: del('cards', openid),
      titles: del('invoice_titles', openid),
      settings: del('user_settings', openid),
      smsContacts: del('sms_contacts', openid),
      smsCodes: del('sms_codes', openid),
      subscribeQuota: hasQuotaTable() ? del('subscribe_quota', openid) : 0,
      reminders: del('invoice_reminders', openid),
    }
    return { deleted, keptInvoices: count('SELECT COUNT(*) AS n FROM invoices WHERE openid = ?', openid) }
  })

  return {
    deletePersonalData: async (openid) => {
      if (!openid) throw new Error('account deletion: openid is required')
      return run.immediate(openid)
    },
  }
}
