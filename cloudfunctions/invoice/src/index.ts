/**
 * Deployed entry of the `invoice` cloud function (request, list, download and re-send invoices).
 * The handler is the same one the local cloud hosts; here it is wired to wx-server-sdk.
 */
import { wxMain } from '../../_core/wiring/wx'
import { invoiceDocuments } from '../../_core/wiring/wx-documents'
import { createInvoiceHandler } from './handler'

export const main = wxMain(createInvoiceHandler, { documents: invoiceDocuments, guard: { fn: 'invoice', mode: 'refuse' } })
