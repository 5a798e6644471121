/**
 * The one response envelope every cloud function action answers with.
 * Error codes are namespaced strings; see docs/api.md for the full table.
 */
export type Ok<T> = { ok: true; data: T }
/** `details`: small facts a page can act on (e.g. retryAfterSeconds of INVOICE.RESEND_TOO_SOON and INVOICE.RESEND_LIMIT); never personal data. */
export type ErrorDetails = Record<string, string | number | boolean>
export type Fail = { ok: false; error: { code: ErrorCode; message: string; requestId?: string; details?: ErrorDetails } }
export type Envelope<T> = Ok<T> | Fail

export const ERROR_CODES = [
  // Common
  'COMMON.BAD_REQUEST',
  'COMMON.UNKNOWN_ACTION',
  'COMMON.UNAUTHENTICATED',
  'COMMON.FORBIDDEN',
  // the function's configuration is incomplete (placeholder seller data, missing provider keys...):
  // it refuses to run rather than issue wrongly; the log and the staff queue say what is missing
  'COMMON.MISCONFIGURED',
  'INTERNAL',
  // Cards
  'CARD.NUMBER_INVALID',
  'CARD.NICKNAME_INVALID',
  'CARD.ALREADY_BOUND',
  'CARD.LIMIT_REACHED',
  'CARD.NOT_FOUND',
  'CARD.GROUP_INVALID',
  // Batch invoicing (企业批量开票)
  'BATCH.INVALID',
  'BATCH.NOTHING_TO_INVOICE',
  'BATCH.NOT_FOUND',
  'BATCH.CLIENT_TOKEN_REUSED',
  'BATCH.NOT_RUNNING',
  // Top-up orders
  'ORDER.AMOUNT_INVALID',
  'ORDER.AMOUNT_OUT_OF_RANGE',
  'ORDER.NOT_FOUND',
  'ORDER.NOT_PAYABLE',
  'ORDER.CLIENT_TOKEN_REUSED',
  // Payment
  'PAY.UNAVAILABLE',
  // Invoice titles and settings
  'TITLE.NAME_INVALID',
  'TITLE.TAX_ID_INVALID',
  'TITLE.TAX_ID_CHECKSUM',
  'TITLE.FIELD_INVALID',
  'TITLE.NOT_FOUND',
  'TITLE.LIMIT_REACHED',
  'PROFILE.EMAIL_INVALID',
  // account data deletion (设置 → 删除个人数据): the typed phrase did not match; an invoice/batch/export still running
  'PROFILE.DELETE_CONFIRM_MISMATCH',
  'PROFILE.DELETE_BUSY',
  // SMS channel (phone opt-in and its verification code)
  'SMS.PHONE_INVALID',
  'SMS.CODE_INVALID',
  'SMS.CODE_EXPIRED',
  'SMS.TOO_MANY',
  'SMS.UNAVAILABLE',
  // Invoices
  'INVOICE.SPECIAL_NOT_ALLOWED',
  'INVOICE.NO_ORDERS',
  'INVOICE.ORDER_NOT_FOUND',
  'INVOICE.ORDER_NOT_PAID',
  'INVOICE.ORDER_ALREADY_INVOICED',
  'INVOICE.ORDER_OUT_OF_WINDOW',
  'INVOICE.CAP_EXCEEDED',
  'INVOICE.TITLE_REQUIRED',
  'INVOICE.NOT_FOUND',
  'INVOICE.NOT_ISSUED',
  'INVOICE.EMAIL_REQUIRED',
  'INVOICE.RESEND_TOO_SOON',
  'INVOICE.RESEND_LIMIT',
  'INVOICE.CLIENT_TOKEN_REUSED',
  // Correction (换开)
  'CORRECTION.NOT_ALLOWED',
  'CORRECTION.LIMIT_REACHED',
  'CORRECTION.WINDOW_PASSED',
  'CORRECTION.SAME_TITLE',
  'CORRECTION.IN_PROGRESS',
  'CORRECTION.NOT_FOUND',
  'CORRECTION.CLIENT_TOKEN_REUSED',
  // Applications, paper copies, tickets, uploads
  'APPLICATION.INVALID',
  'APPLICATION.NOT_FOUND',
  'APPLICATION.BAD_STATE',
  'APPLICATION.PHONE_INVALID',
  'APPLICATION.LIMIT_REACHED',
  'APPLICATION.CLIENT_TOKEN_REUSED',
  'PAPER.NOT_FOUND',
  'PAPER.ADDRESS_INVALID',
  'PAPER.ACTIVE_EXISTS',
  'PAPER.BAD_STATE',
  'PAPER.INVOICE_NOT_ISSUED',
  'TICKET.NOT_FOUND',
  'TICKET.TEXT_INVALID',
  'TICKET.CLOSED',
  'TICKET.RATING_INVALID',
  'UPLOAD.INVALID',
  // Exports, statement, 验真 (ledger)
  'EXPORT.EMPTY',
  'EXPORT.TOO_MANY',
  'EXPORT.NOT_FOUND',
  'EXPORT.CLIENT_TOKEN_REUSED',
  'VERIFY.INPUT_INVALID',
  'VERIFY.RATE_LIMITED',
  // Emergency notices
  'NOTICE.NOT_FOUND',
  // Staff
  'STAFF.OPERATOR_REQUIRED',
  'STAFF.REASON_REQUIRED',
  'STAFF.ROLE_INSUFFICIENT',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]
