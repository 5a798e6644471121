import type { ErrorCode, ErrorDetails } from '@shared/envelope'

/** Codes the client adds to the server's: the request never got an envelope back. */
export type ClientErrorCode = 'NETWORK'

export const NETWORK_MESSAGE = '网络不给力，请稍后重试'
export const UNAVAILABLE_MESSAGE = '服务暂时不可用，请稍后重试'

/** A failed action. `message` is plain Chinese meant for the user (it comes from the envelope). */
export class CloudError extends Error {
  readonly code: ErrorCode | ClientErrorCode
  readonly requestId?: string
  /** small facts to act on, e.g. retryAfterSeconds of INVOICE.RESEND_TOO_SOON */
  readonly details?: ErrorDetails

  constructor(code: ErrorCode | ClientErrorCode, message: string, requestId?: string, details?: ErrorDetails) {
    super(message)
    this.name = 'CloudError'
    this.code = code
    this.requestId = requestId
    this.details = details
    // keeps instanceof working whatever the class transform does
    Object.setPrototypeOf(this, CloudError.prototype)
  }
}

export function isCloudError(e: unknown): e is CloudError {
  return e instanceof CloudError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'CloudError')
}

/**
 * What to show the user for any thrown value: the one place errors become words. An answer that
 * carries the cloud's request id (系统繁忙 and other unexpected failures) ends with it, so the
 * person can quote it to 客服 and staff find the log line (errorReference reads it back).
 */
export function errorMessage(e: unknown): string {
  if (!isCloudError(e)) return UNAVAILABLE_MESSAGE
  return e.requestId ? `${e.message}（${referenceText(e.requestId)}）` : e.message
}

const REFERENCE_PREFIX = '错误编号 '
const REFERENCE_SUFFIX = '，请把编号告诉客服'

export function referenceText(requestId: string): string {
  return REFERENCE_PREFIX + requestId + REFERENCE_SUFFIX
}

/** The request id inside a message made by errorMessage, or null (for the 复制编号 button). */
export function errorReference(message: string | null | undefined): string | null {
  if (!message) return null
  const start = message.indexOf(REFERENCE_PREFIX)
  if (start < 0) return null
  const end = message.indexOf(REFERENCE_SUFFIX, start)
  if (end < 0) return null
  const id = message.slice(start + REFERENCE_PREFIX.length, end).trim()
  return id === '' ? null : id
}
