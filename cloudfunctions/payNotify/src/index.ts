/**
 * Deployed entry of the `payNotify` cloud function (the cloudPay callback).
 * The handler is the same one the local cloud hosts; here it is wired to wx-server-sdk.
 */
import { wxMain } from '../../_core/wiring/wx'
import { invoiceDocuments } from '../../_core/wiring/wx-documents'
import { createPayNotifyHandler } from './handler'

export const main = wxMain(createPayNotifyHandler, { documents: invoiceDocuments })
