import { maskOpenid } from '../domain/staff'
import type { Deps } from '../runtime/deps'
import { appendAudit, type AuditActor } from './staff.service'

/**
 * Sensitive actions of users on their own data, in the same append-only, hash-chained trail as
 * staff actions (role 'user'). A record names the person by the masked openid only
 * (oAbc****wxyz): enough to tell records apart in a list, and the target (title:ID,
 * invoice:ID) leads an authorised reader to the person through the database; the state is kept
 * as the 16-hex digests of before and after, never in clear.
 *
 * Called after the user's write succeeded. If the trail cannot be written the user's action
 * still stands (it is done and a retry would repeat it); the error log line carries what the
 * record would have said (appendAudit), so it can be restored.
 */
export interface UserAuditEntry {
  action: 'title.create' | 'title.update' | 'title.remove' | 'title.setDefault' | 'correction.request' | 'settings.update' | 'export.create' | 'account.delete'
  target: string
  before: unknown
  after: unknown
}

export const userActor = (openid: string): AuditActor => ({ name: 'user', role: 'user', via: 'miniprogram', viaId: maskOpenid(openid) })

export async function auditUserAction(deps: Deps, openid: string, e: UserAuditEntry): Promise<void> {
  try {
    await appendAudit(deps, userActor(openid), { ...e, reason: null, onlyIfChanged: e.before !== null && e.after !== null })
  } catch {
    // appendAudit has logged 'staff audit NOT written' with the record's content (masked)
  }
}
