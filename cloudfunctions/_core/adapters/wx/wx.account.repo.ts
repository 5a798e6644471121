import { isIdle, type AccountDataRepo, type AccountDeletionCounts, type AccountWorkInFlight } from '../../ports/account.repo'
import type { WxDatabase } from './wx-cloud.types'
import { WX_COLLECTIONS } from './wx.indexes'
import { TEMPLATE_KEYS } from '../../domain/subscribe'

/**
 * Account data deletion in the cloud database. A query-delete does not join a transaction, so
 * this checks for work in flight first and then deletes collection by collection, each one by the
 * person's openid (or `_id` = openid where the document is keyed by it). Every step is "delete
 * what matches", so a run cut short by a crash or a timeout is finished by running it again.
 * Invoices, orders and the audit trail are not touched.
 */
export function wxAccountDataRepo(db: WxDatabase): AccountDataRepo {
  const _ = db.command
  const count = async (name: string, cond: Record<string, unknown>) => (await db.collection(name).where(cond).count()).total
  const del = async (name: string, cond: Record<string, unknown>) => (await db.collection(name).where(cond).remove()).stats.removed

  return {
    deletePersonalData: async (openid) => {
      if (!openid) throw new Error('account deletion: openid is required')
      const work: AccountWorkInFlight = {
        invoicesIssuing: await count(WX_COLLECTIONS.invoices, { openid, phase: _.neq('void'), status: _.in(['requested', 'issuing', 'failed']) }),
        batchesRunning: await count(WX_COLLECTIONS.batchJobs, { openid, status: 'running' }),
        exportsRunning: await count(WX_COLLECTIONS.exportJobs, { openid, status: _.in(['queued', 'running']) }),
      }
      if (!isIdle(work)) return { busy: work }
      const deleted: AccountDeletionCounts = {
        cards: await del(WX_COLLECTIONS.cards, { openid }),
        titles: await del(WX_COLLECTIONS.titles, { openid }),
        settings: await del(WX_COLLECTIONS.settings, { _id: openid }),
        smsContacts: await del(WX_COLLECTIONS.smsContacts, { _id: openid }),
        smsCodes: await del(WX_COLLECTIONS.smsCodes, { _id: openid }),
        // keyed `<openid>:<template>` (wx.quota.repo.ts): deleted by _id, no index needed
        subscribeQuota: await del(WX_COLLECTIONS.subscribeQuota, { _id: _.in(TEMPLATE_KEYS.map((k) => `${openid}:${k}`)) }),
        reminders: await del(WX_COLLECTIONS.reminders, { openid }),
      }
      return { deleted, keptInvoices: await count(WX_COLLECTIONS.invoices, { openid, phase: 'live' }) }
    },
  }
}
