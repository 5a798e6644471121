/**
 * Thrown by a store when a unique key is already taken (SQLite's UNIQUE constraint,
 * the cloud database's DATABASE_DUPLICATE_WRITE). The service turns it into "find the
 * existing record" — that is what makes retries idempotent.
 */
export class DuplicateKeyError extends Error {
  constructor(readonly key: string) {
    super(`duplicate key: ${key}`)
    this.name = 'DuplicateKeyError'
  }
}
