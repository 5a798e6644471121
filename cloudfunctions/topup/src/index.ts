/**
 * Deployed entry of the `topup` cloud function (top-up orders).
 * The handler is the same one the local cloud hosts; here it is wired to wx-server-sdk.
 */
import { wxMain } from '../../_core/wiring/wx'
import { createTopupHandler } from './handler'

export const main = wxMain(createTopupHandler, { guard: { fn: 'topup', mode: 'refuse' } })
