import { createCardHandler } from '../../cloudfunctions/card/src/handler'
import { createPayNotifyHandler } from '../../cloudfunctions/payNotify/src/handler'
import { createReconcileHandler } from '../../cloudfunctions/reconcile/src/handler'
import { createRemindersHandler } from '../../cloudfunctions/reminders/src/handler'
import { createTopupHandler } from '../../cloudfunctions/topup/src/handler'
import { createInvoiceHandler } from '../../cloudfunctions/invoice/src/handler'
import { createInvoiceWorkerHandler } from '../../cloudfunctions/invoiceWorker/src/handler'
import { createProfileHandler } from '../../cloudfunctions/profile/src/handler'
import { createStaffHandler } from '../../cloudfunctions/staff/src/handler'
import { createAftersalesHandler } from '../../cloudfunctions/aftersales/src/handler'
import { createBatchHandler } from '../../cloudfunctions/batch/src/handler'
import { createLedgerHandler } from '../../cloudfunctions/ledger/src/handler'
import type { CallContext } from '../../cloudfunctions/_core/runtime/context'
import type { Deps } from '../../cloudfunctions/_core/runtime/deps'

export type AnyHandler = (event: unknown, ctx: CallContext) => Promise<unknown>

/**
 * Every cloud function the local cloud hosts: the very handlers each function's
 * src/index.ts wires to wx-server-sdk for WeChat cloud.
 */
export const FUNCTIONS: Record<string, (deps: Deps) => AnyHandler> = {
  card: createCardHandler,
  topup: createTopupHandler,
  payNotify: createPayNotifyHandler,
  reconcile: createReconcileHandler,
  reminders: createRemindersHandler,
  profile: createProfileHandler,
  invoice: createInvoiceHandler,
  invoiceWorker: createInvoiceWorkerHandler,
  staff: createStaffHandler,
  aftersales: createAftersalesHandler,
  batch: createBatchHandler,
  ledger: createLedgerHandler,
}
