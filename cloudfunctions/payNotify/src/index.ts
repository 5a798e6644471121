/**
 * Deployed entry of the `payNotify` cloud function (the cloudPay callback).
 * The handler is the same one the local cloud hosts; here it is wired to wx-server-sdk.
 */
import { wxMain } from '../../_core/wiring/wx'
import { createPayNotifyHandler } from './handler'

export const main = wxMain(createPayNotifyHandler)
