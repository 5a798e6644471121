/**
 * Deployed entry of the `card` cloud function (bind, list and remove the caller's cards).
 * The handler is the same one the local cloud hosts; here it is wired to wx-server-sdk.
 */
import { wxMain } from '../../_core/wiring/wx'
import { createCardHandler } from './handler'

export const main = wxMain(createCardHandler, { guard: { fn: 'card', mode: 'refuse' } })
