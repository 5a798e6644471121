import type { ErrorCode, ErrorDetails } from '../../../types/envelope'

/**
 * A rule broken by the caller's input or state. Carries a namespaced code and a
 * Chinese message that is safe to show the user (it never contains their raw data).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** answered with the error so the page can act on it (a countdown...); no personal data */
    readonly details?: ErrorDetails,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError
