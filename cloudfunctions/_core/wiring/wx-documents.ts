import { createDocumentRenderer, defaultFontPath } from '../adapters/documents/pdf.renderer'
import { mailConfigFromEnv, smtpMailer } from '../adapters/mail/nodemailer.mailer'
import type { InvoiceDocuments } from './wx'

/**
 * The renderer and the mailer for the functions that issue and deliver invoices (invoice,
 * invoiceWorker, payNotify, reconcile): only their bundles carry pdfkit, the font and nodemailer.
 *
 * SMTP from the environment. Without SMTP_HOST there is no mail server in WeChat cloud: the
 * functions still start, and every send fails with a message naming the missing setting, so
 * the outbox keeps the e-mails and retries them once it is set. Invalid SMTP values fail at
 * startup, like the rest of the configuration.
 */
export const invoiceDocuments: InvoiceDocuments = {
  renderer: () => createDocumentRenderer({ fontPath: defaultFontPath() }),
  mailer: (env) => {
    const smtp = mailConfigFromEnv(env)
    if (smtp) return smtpMailer(smtp)
    return {
      send: async () => {
        throw new Error('SMTP is not configured: set SMTP_HOST (and SMTP_PORT, SMTP_USER, SMTP_PASS, MAIL_FROM) in the function environment')
      },
    }
  },
}
