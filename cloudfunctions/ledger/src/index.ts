/**
 * Deployed entry of the `ledger` cloud function: exports (a streamed ZIP of the person's
 * invoice files with a ledger as XLSX and CSV), the year statement and the authenticity check
 * 验真. It renders nothing (no font); it mails an export (attached, or as a link).
 */
import { wxMain } from '../../_core/wiring/wx'
import { createLedgerHandler } from './handler'

export const main = wxMain(createLedgerHandler)
