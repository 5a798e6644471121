import { auditHash } from '../../cloudfunctions/_core/app/staff.service'
import { verifyChain } from '../../cloudfunctions/_core/domain/audit'
import { AUDIT_GENESIS, auditId } from '../../cloudfunctions/_core/domain/staff'
import type { StoredAudit } from '../../cloudfunctions/_core/ports/staff.repo'

/** A valid chain of n records, built the way appendAudit builds them. */
function chain(n: number): StoredAudit[] {
  const out: StoredAudit[] = []
  for (let seq = 1; seq <= n; seq++) {
    const base: Omit<StoredAudit, 'hash'> = {
      seq,
      id: auditId(seq),
      at: `2026-01-0${seq}T00:00:00.000Z`,
      operator: 'user',
      via: 'oAbc****wxyz',
      role: 'user',
      action: 'title.update',
      target: `title:T${seq}`,
      reason: null,
      beforeDigest: 'aaaaaaaaaaaaaaaa',
      afterDigest: 'bbbbbbbbbbbbbbbb',
      prevHash: out[seq - 2]?.hash ?? AUDIT_GENESIS,
    }
    out.push({ ...base, hash: auditHash(base) })
  }
  return out
}

const kinds = (records: StoredAudit[]) => verifyChain(records, auditHash).problems.map((p) => [p.position, p.kind])

it('accepts a whole chain and an empty one', () => {
  expect(verifyChain(chain(5), auditHash)).toEqual({ ok: true, checked: 5, problems: [] })
  expect(verifyChain([], auditHash)).toEqual({ ok: true, checked: 0, problems: [] })
})

it('names an edited record by its position, and only that one', () => {
  const c = chain(5)
  c[2] = { ...c[2], afterDigest: 'cccccccccccccccc' }
  expect(kinds(c)).toEqual([[3, 'hash']])
})

it('catches an edit whose hash was recomputed at the link of the next record', () => {
  const c = chain(5)
  const { hash: _h, ...rest } = { ...c[2], action: 'title.create' }
  c[2] = { ...rest, hash: auditHash(rest) }
  expect(kinds(c)).toEqual([[4, 'link']])
})

it('catches a removed record in the middle and at the start', () => {
  const c = chain(5)
  expect(kinds([...c.slice(0, 2), ...c.slice(3)])).toEqual([
    [3, 'gap'],
    [3, 'link'],
  ])
  expect(kinds(c.slice(1))).toEqual([
    [1, 'gap'],
    [1, 'link'],
  ])
})

it('catches records reordered', () => {
  const c = chain(4)
  expect(kinds([c[0], c[2], c[1], c[3]])).toEqual([
    [2, 'gap'],
    [2, 'link'],
    [3, 'order'],
    [3, 'link'],
    [4, 'link'],
  ])
})

it('catches a forged record slipped in, even with its own hash and link right', () => {
  const c = chain(4)
  const { hash: _h, ...forged } = { ...c[1], seq: 3, id: auditId(3), action: 'title.remove', prevHash: c[1].hash }
  const withForged = [c[0], c[1], { ...forged, hash: auditHash(forged) }, c[2], c[3]]
  expect(kinds(withForged)).toEqual([
    [4, 'order'],
    [4, 'link'],
  ])
})
