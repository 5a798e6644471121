import { AUDIT_GENESIS, auditId } from './staff'

/**
 * Verifying the audit chain (staff actions and the sensitive actions of users, one chain).
 * Pure: the hash function is passed in (app/staff.service.ts auditHash, SHA-256), so the same
 * rules run over records read from SQLite (`npm run audit:verify`) and from the cloud
 * collection.
 */

/** What a record of the chain must carry to be checked: its place, its id and the two hashes. */
export interface ChainRecord {
  seq: number
  id: string
  prevHash?: string
  hash?: string
}

export type ChainProblemKind =
  /** the record's content no longer gives its hash: it was edited */
  | 'hash'
  /** the record does not point at the record before it: one was removed or slipped in */
  | 'link'
  /** seq jumps (records removed) or does not start at 1 */
  | 'gap'
  /** seq goes backwards or repeats: records reordered or duplicated */
  | 'order'
  /** the id is not the one its place in the chain gives */
  | 'id'

export interface ChainProblem {
  /** 1-based position in the list as read (oldest first) */
  position: number
  seq: number
  id: string
  kind: ChainProblemKind
  detail: string
}

export interface ChainVerdict {
  ok: boolean
  checked: number
  problems: ChainProblem[]
}

/** A walk over the chain fed one record at a time (a page at a time from the store). */
export interface ChainVerifier<R extends ChainRecord> {
  add(record: R): void
  /** the verdict so far; `problems` keeps the first `maxProblems`, `problemCount` counts all */
  verdict(): ChainVerdict & { problemCount: number; head: { seq: number; id: string; hash: string } | null }
}

/**
 * Walks the records oldest first (as stored, ascending seq) and reports every place the chain
 * is broken. A record found edited is reported and the walk goes on from its stored hash, so an
 * edit shows at that record alone, and a removal or insertion at the record after it. Removing
 * the newest records leaves a valid shorter chain: compare `checked` and the head with what
 * the logs or the last report said (docs/operations.md).
 *
 * Incremental, so a store can feed it page by page and never hold the whole trail.
 */
export function chainVerifier<R extends ChainRecord>(hashOf: (r: Omit<R, 'hash'>) => string, maxProblems = Infinity): ChainVerifier<R> {
  const problems: ChainProblem[] = []
  let problemCount = 0
  let checked = 0
  let prevHash = AUDIT_GENESIS
  let prevSeq = 0
  let head: { seq: number; id: string; hash: string } | null = null
  const report = (p: ChainProblem) => {
    problemCount++
    if (problems.length < maxProblems) problems.push(p)
  }
  return {
    add(r) {
      checked++
      const at = { position: checked, seq: r.seq, id: r.id }
      if (!Number.isSafeInteger(r.seq) || r.seq <= prevSeq) {
        report({ ...at, kind: 'order', detail: `seq ${r.seq} after ${prevSeq}` })
      } else if (r.seq !== prevSeq + 1) {
        report({ ...at, kind: 'gap', detail: `seq ${prevSeq + 1} to ${r.seq - 1} missing` })
      }
      if (Number.isSafeInteger(r.seq) && r.id !== auditId(r.seq)) report({ ...at, kind: 'id', detail: `id should be ${auditId(r.seq)}` })
      if (r.prevHash !== prevHash) report({ ...at, kind: 'link', detail: 'does not point at the record before it' })
      const { hash, ...rest } = r
      if (typeof hash !== 'string' || hashOf(rest) !== hash) report({ ...at, kind: 'hash', detail: 'content does not match its hash' })
      prevHash = hash ?? ''
      if (Number.isSafeInteger(r.seq)) prevSeq = Math.max(prevSeq, r.seq)
      head = { seq: r.seq, id: r.id, hash: hash ?? '' }
    },
    verdict: () => ({ ok: problemCount === 0, checked, problems: [...problems], problemCount, head }),
  }
}

/** The whole list at once (see chainVerifier). */
export function verifyChain<R extends ChainRecord>(records: readonly R[], hashOf: (r: Omit<R, 'hash'>) => string): ChainVerdict {
  const v = chainVerifier<R>(hashOf)
  for (const r of records) v.add(r)
  const { ok, checked, problems } = v.verdict()
  return { ok, checked, problems }
}
