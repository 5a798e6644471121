/**
 * Deployed entry of the `reminders` cloud function (the daily timer reminding of un-invoiced top-ups).
 * The handler is the same one the local cloud hosts; here it is wired to wx-server-sdk. It carries
 * the mailer (reminder e-mails); it never renders a document.
 */
import { wxMain } from '../../_core/wiring/wx'
import { invoiceDocuments } from '../../_core/wiring/wx-documents'
import { createRemindersHandler } from './handler'

export const main = wxMain(createRemindersHandler, { documents: invoiceDocuments, guard: { fn: 'reminders', mode: 'report' } })
