import { ACCOUNT_DELETE_PHRASE, type AccountDeletionView } from '../../../types/api'
import { DomainError } from '../domain/errors'
import { maskOpenid } from '../domain/staff'
import type { Deps } from '../runtime/deps'
import { auditUserAction } from './audit.service'

/**
 * 设置 → 删除个人数据. Deletes what the law does not make us keep and keeps what it does: the
 * invoices and the orders they cover (30 years), the audit trail. The person confirms by typing
 * ACCOUNT_DELETE_PHRASE, so a stray tap or a replayed request without it deletes nothing.
 * A repeated call deletes nothing more and answers zeros (it is also how a run cut short by a
 * crash is finished).
 */
export async function deleteAccountData(deps: Deps, openid: string, confirm: string): Promise<AccountDeletionView> {
  if (confirm.trim() !== ACCOUNT_DELETE_PHRASE) {
    throw new DomainError('PROFILE.DELETE_CONFIRM_MISMATCH', `请输入「${ACCOUNT_DELETE_PHRASE}」确认删除`)
  }
  const result = await deps.account.deletePersonalData(openid)
  if ('busy' in result) {
    const { invoicesIssuing, batchesRunning, exportsRunning } = result.busy
    const what = [invoicesIssuing ? '有发票正在开具（或等待重试）' : '', batchesRunning ? '批量开票正在进行' : '', exportsRunning ? '发票导出正在进行' : '']
      .filter(Boolean)
      .join('、')
    throw new DomainError('PROFILE.DELETE_BUSY', `${what}，请等它完成后再删除个人数据；长时间未完成请联系客服`, { ...result.busy })
  }
  const counts: Record<string, number> = { ...result.deleted }
  const removed = Object.values(counts).reduce((a, b) => a + b, 0)
  deps.log.info('account data deleted', { user: maskOpenid(openid), removed, keptInvoices: result.keptInvoices })
  // a repeated call that removed nothing is not a second deletion on the trail
  if (removed > 0) {
    await auditUserAction(deps, openid, {
      action: 'account.delete',
      target: `account:${maskOpenid(openid)}`,
      before: null,
      after: { ...result.deleted, keptInvoices: result.keptInvoices },
    })
  }
  return { deleted: result.deleted, keptInvoices: result.keptInvoices }
}
