import type { ErrorCode } from '@shared/envelope'

/** Codes the client adds to the server's: the request never got an envelope back. */
export type ClientErrorCode = 'NETWORK'

export const NETWORK_MESSAGE = '网络不给力，请稍后重试'
export const UNAVAILABLE_MESSAGE = '服务暂时不可用，请稍后重试'

/** A failed action. `message` is plain Chinese meant for the user (it comes from the envelope). */
export class CloudError extends Error {
  readonly code: ErrorCode | ClientErrorCode
  readonly requestId?: string

  constructor(code: ErrorCode | ClientErrorCode, message: string, requestId?: string) {
    super(message)
    this.name = 'CloudError'
    this.code = code
    this.requestId = requestId
    // keeps instanceof working whatever the class transform does
    Object.setPrototypeOf(this, CloudError.prototype)
  }
}

export function isCloudError(e: unknown): e is CloudError {
  return e instanceof CloudError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'CloudError')
}

/** What to show the user for any thrown value. */
export function errorMessage(e: unknown): string {
  if (isCloudError(e)) return e.message
  return UNAVAILABLE_MESSAGE
}
