/**
 * The speller lives in types/capitals.ts, shared with the mini-program (one source of truth);
 * the domain re-exports it so its callers keep one import path.
 */
export { amountInCapitals, totalInCapitals } from '../../../types/capitals'
