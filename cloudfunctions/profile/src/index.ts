/**
 * Deployed entry of the `profile` cloud function (invoice titles, settings and subscriptions).
 * The handler is the same one the local cloud hosts; here it is wired to wx-server-sdk.
 */
import { wxMain } from '../../_core/wiring/wx'
import { createProfileHandler } from './handler'

export const main = wxMain(createProfileHandler, { guard: { fn: 'profile', mode: 'refuse' } })
