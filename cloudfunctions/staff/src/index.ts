/**
 * Deployed entry of the `staff` cloud function (queues, cases and actions of staff; the audit
 * trail). Called from the cloud console's test panel / the CLI / an SDK (SOURCE without wx_,
 * no OPENID, an `operator` in the event) or by a staff member in the mini-program. It may issue
 * or re-send invoices (retry, correction, approval), so it carries the renderer and the mailer.
 */
import { wxMain } from '../../_core/wiring/wx'
import { invoiceDocuments } from '../../_core/wiring/wx-documents'
import { createStaffHandler } from './handler'

export const main = wxMain(createStaffHandler, { documents: invoiceDocuments, guard: { fn: 'staff', mode: 'report' } })
