/**
 * The one response envelope every cloud function action answers with.
 * Error codes are namespaced strings; see docs/api.md for the full table.
 */
export type Ok<T> = { ok: true; data: T }
export type Fail = { ok: false; error: { code: ErrorCode; message: string; requestId?: string } }
export type Envelope<T> = Ok<T> | Fail

export const ERROR_CODES = [
  // Common
  'COMMON.BAD_REQUEST',
  'COMMON.UNKNOWN_ACTION',
  'COMMON.UNAUTHENTICATED',
  'COMMON.FORBIDDEN',
  'INTERNAL',
  // Cards
  'CARD.NUMBER_INVALID',
  'CARD.NICKNAME_INVALID',
  'CARD.ALREADY_BOUND',
  'CARD.LIMIT_REACHED',
  'CARD.NOT_FOUND',
  // Top-up orders
  'ORDER.AMOUNT_INVALID',
  'ORDER.AMOUNT_OUT_OF_RANGE',
  'ORDER.NOT_FOUND',
  'ORDER.NOT_PAYABLE',
  'ORDER.CLIENT_TOKEN_REUSED',
  // Payment
  'PAY.UNAVAILABLE',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]
