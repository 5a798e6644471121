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

/**
 * Walks the records oldest first (as stored, ascending seq) and reports every place the chain
 * is broken. A record found edited is reported and the walk goes on from its stored hash, so an
 * edit shows at that record alone, and a removal or insertion at the record after it. Removing
 * the newest records leaves a valid shorter chain: compare `checked` and the head with what
 * the logs or the last report said (docs/operations.md).
 */
export function verifyChain<R extends ChainRecord>(records: readonly R[], hashOf: (r: Omit<R, 'hash'>) => string): ChainVerdict {
  const problems: ChainProblem[] = []
  let prevHash = AUDIT_GENESIS
  let prevSeq = 0
  records.forEach((r, i) => {
    const at = { position: i + 1, seq: r.seq, id: r.id }
    if (!Number.isSafeInteger(r.seq) || r.seq <= prevSeq) {
      problems.push({ ...at, kind: 'order', detail: `seq ${r.seq} after ${prevSeq}` })
    } else if (r.seq !== prevSeq + 1) {
      problems.push({ ...at, kind: 'gap', detail: `seq ${prevSeq + 1} to ${r.seq - 1} missing` })
    }
    if (Number.isSafeInteger(r.seq) && r.id !== auditId(r.seq)) problems.push({ ...at, kind: 'id', detail: `id should be ${auditId(r.seq)}` })
    if (r.prevHash !== prevHash) problems.push({ ...at, kind: 'link', detail: 'does not point at the record before it' })
    const { hash, ...rest } = r
    if (typeof hash !== 'string' || hashOf(rest) !== hash) problems.push({ ...at, kind: 'hash', detail: 'content does not match its hash' })
    prevHash = hash ?? ''
    if (Number.isSafeInteger(r.seq)) prevSeq = Math.max(prevSeq, r.seq)
  })
  return { ok: problems.length === 0, checked: records.length, problems }
}
