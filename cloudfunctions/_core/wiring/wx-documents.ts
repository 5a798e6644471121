import { localFallbackFonts, storageFallbackFonts } from '../adapters/documents/font'
import { createDocumentRenderer, defaultFontPath } from '../adapters/documents/pdf.renderer'
import { mailConfigFromEnv, smtpMailer } from '../adapters/mail/nodemailer.mailer'
import type { InvoiceDocuments } from './wx'

/**
 * The renderer and the mailer for the functions that issue and deliver invoices (invoice,
 * invoiceWorker, reconcile, staff, aftersales, ...): only their bundles carry the font subset, and
 * pdfkit and nodemailer apart in lib/ (loaded on first use, adapters/libs/heavy-libs.loader.ts).
 *
 * SMTP from the environment. Without SMTP_HOST there is no mail server in WeChat cloud: the
 * functions still start, and every send fails with a message naming the missing setting, so
 * the outbox keeps the e-mails and retries them once it is set. Invalid SMTP values fail at
 * startup, like the rest of the configuration.
 */
export const invoiceDocuments: InvoiceDocuments = {
  // The bundle ships the common-character subset; the fallback fonts for rare characters are
  // downloaded from cloud storage (INVOICE_FALLBACK_FONT_FILE_IDS, uploaded at deploy) the first
  // time a name needs them, else looked for as local files (INVOICE_FALLBACK_FONT_PATH).
  renderer: (ctx) => {
    const ids = (ctx?.env.INVOICE_FALLBACK_FONT_FILE_IDS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    const fallbackFonts = ctx && ids.length ? storageFallbackFonts(ids, (id) => ctx.storage.download(id)) : localFallbackFonts()
    return createDocumentRenderer({ fontPath: defaultFontPath(), fallbackFonts })
  },
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
