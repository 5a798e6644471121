import type { TitleSnapshot } from '../../../../types/domain'
import type { WxDoc, WxQuery } from './wx-cloud.types'

/** Server side, one get() returns at most 100 documents; asking for more is silently cut. */
export const MAX_DOCS_PER_GET = 100

/**
 * Whether a database error is a unique-key conflict (a taken `_id` or unique index).
 *
 * The numeric errCode cannot tell: wx-server-sdk maps every failed database request to
 * -502001 "database request fail" (or -501001 for a code it does not know). The backend's
 * code name DATABASE_DUPLICATE_WRITE (or MongoDB's E11000 text) only survives in the message,
 * so that is what we look at.
 */
export function isDuplicateWrite(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false
  const err = e as { code?: unknown; errMsg?: unknown; message?: unknown }
  if (err.code === 'DATABASE_DUPLICATE_WRITE') return true
  const text = `${str(err.errMsg)} ${str(err.message)}`
  return /DATABASE_DUPLICATE_WRITE|E11000|duplicate key/i.test(text)
}

/**
 * Up to `max` documents of an ordered query, in pages the server will actually return.
 * The query must have a total order (end orderBy with `_id`) so skip-based pages neither
 * repeat nor drop a document.
 */
export async function getUpTo(query: WxQuery, max: number): Promise<WxDoc[]> {
  const out: WxDoc[] = []
  while (out.length < max) {
    const want = Math.min(MAX_DOCS_PER_GET, max - out.length)
    const page = out.length === 0 ? query.limit(want) : query.skip(out.length).limit(want)
    const { data } = await page.get()
    out.push(...data)
    if (data.length < want) break
  }
  return out
}

/** A document field as text: numbers and booleans spelled out, objects as JSON, nothing as ''. */
export const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : v == null ? '' : JSON.stringify(v)
export const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/** A stored title snapshot (an invoice's, a correction's old and new), read defensively field by field. */
export function titleOf(v: unknown): TitleSnapshot {
  const t = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>
  return {
    kind: t.kind === 'enterprise' ? 'enterprise' : 'personal',
    name: str(t.name),
    taxId: strOrNull(t.taxId),
    address: strOrNull(t.address),
    phone: strOrNull(t.phone),
    bankName: strOrNull(t.bankName),
    bankAccount: strOrNull(t.bankAccount),
  }
}
