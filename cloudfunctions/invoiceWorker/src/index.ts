/**
 * Deployed entry of the `invoiceWorker` cloud function (the timer that finishes issuing and sends e-mail).
 * The handler is the same one the local cloud hosts; here it is wired to wx-server-sdk.
 */
import { wxMain } from '../../_core/wiring/wx'
import { invoiceDocuments } from '../../_core/wiring/wx-documents'
import { createInvoiceWorkerHandler } from './handler'

export const main = wxMain(createInvoiceWorkerHandler, { documents: invoiceDocuments, guard: { fn: 'invoiceWorker', mode: 'refuse' } })
