/**
 * Deployed entry of the `payNotify` cloud function (the cloudPay callback).
 * The handler is the same one the local cloud hosts; here it is wired to wx-server-sdk.
 *
 * No renderer and no mailer: payNotify records the payment and the automatic invoice request
 * and starts invoiceWorker for the rest (app/issue-kick.ts), so its bundle stays small (no
 * pdfkit, no 10 MB font) and a cold container answers WeChat quickly.
 */
import { wxMain } from '../../_core/wiring/wx'
import { createPayNotifyHandler } from './handler'

export const main = wxMain(createPayNotifyHandler, { guard: { fn: 'payNotify', mode: 'report' } })
