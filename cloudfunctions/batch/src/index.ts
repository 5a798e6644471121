/**
 * Deployed entry of the `batch` cloud function (企业批量开票: preview, create, progress, cancel;
 * the worker that requests and issues a job's invoices, started by create and by its timer).
 * The handler is the same one the local cloud hosts; here it is wired to wx-server-sdk. It
 * carries the renderer and the mailer: every invoice of a batch is issued here.
 */
import { wxMain } from '../../_core/wiring/wx'
import { invoiceDocuments } from '../../_core/wiring/wx-documents'
import { createBatchHandler } from './handler'

export const main = wxMain(createBatchHandler, { documents: invoiceDocuments, guard: { fn: 'batch', mode: 'refuse' } })
