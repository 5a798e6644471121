import type { CorrectionStatus } from '../../../types/aftersales'
import type { TitleSnapshot } from '../../../types/domain'

export interface StoredCorrection {
  id: string
  openid: string
  /** the blue invoice being corrected */
  invoiceId: string
  clientToken: string
  status: CorrectionStatus
  /**
   * The lock behind "one correction in progress per invoice": the blue invoice id while the
   * correction is active (a unique key refuses a second one), the correction's own id once it
   * ended. Never null: the cloud database's unique indexes count missing values as equal.
   */
  activeKey: string
  /** 01 开票有误 */
  reasonCode: '01'
  oldTitle: TitleSnapshot
  newTitle: TitleSnapshot
  email: string | null
  buyerBooked: boolean
  by: 'user' | 'staff'
  confirmationNo: string | null
  confirmDeadline: string | null
  redInvoiceId: string | null
  newInvoiceId: string | null
  failure: string | null
  /** when the worker should look at it again (awaiting_buyer: polls the provider) */
  nextCheckAt: string | null
  requestedAt: string
  updatedAt: string
}

export type CorrectionPatch = Partial<
  Pick<
    StoredCorrection,
    'status' | 'activeKey' | 'confirmationNo' | 'confirmDeadline' | 'redInvoiceId' | 'newInvoiceId' | 'failure' | 'nextCheckAt' | 'updatedAt'
  >
>

export interface CorrectionRepo {
  /**
   * Stores a new correction. Throws DuplicateKeyError('activeKey') when the invoice already has
   * one in progress, DuplicateKeyError('clientToken') for a reused (openid, clientToken).
   */
  create(c: StoredCorrection): Promise<void>
  findById(id: string): Promise<StoredCorrection | null>
  findByClientToken(openid: string, clientToken: string): Promise<StoredCorrection | null>
  /** the correction in progress on this blue invoice, if any */
  findActive(invoiceId: string): Promise<StoredCorrection | null>
  /** every correction of one blue invoice, newest first */
  listForInvoice(invoiceId: string): Promise<StoredCorrection[]>
  /** staff queue: newest first */
  listByStatus(statuses: readonly CorrectionStatus[], limit: number): Promise<StoredCorrection[]>
  /** active corrections the worker should advance: nextCheckAt null or <= now, oldest first */
  due(now: string, limit: number): Promise<StoredCorrection[]>
  /** conditional update: only while status is one of `from`; true for the one caller that changed it */
  update(id: string, from: readonly CorrectionStatus[], patch: CorrectionPatch): Promise<boolean>
}
