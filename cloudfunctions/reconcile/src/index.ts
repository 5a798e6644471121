/**
 * Deployed entry of the `reconcile` cloud function (the timer that settles or closes unpaid orders).
 * The handler is the same one the local cloud hosts; here it is wired to wx-server-sdk.
 */
import { wxMain } from '../../_core/wiring/wx'
import { invoiceDocuments } from '../../_core/wiring/wx-documents'
import { createReconcileHandler } from './handler'

export const main = wxMain(createReconcileHandler, { documents: invoiceDocuments, guard: { fn: 'reconcile', mode: 'report' } })
