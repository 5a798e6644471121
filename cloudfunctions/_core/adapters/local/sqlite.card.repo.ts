import type { CardRepo, StoredCard } from '../../ports/card.repo'
import { DuplicateKeyError } from '../../ports/errors'
import { uniqueViolation, type Db } from './sqlite.db'

type Row = { id: string; openid: string; card_no: string; nickname: string; created_at: string; group_label: string | null }
const fromRow = (r: Row): StoredCard => ({
  id: r.id,
  openid: r.openid,
  cardNo: r.card_no,
  nickname: r.nickname,
  createdAt: r.created_at,
  ...(r.group_label ? { group: r.group_label } : {}),
})

export function sqliteCardRepo(db: Db): CardRepo {
  const byOwner = db.prepare<[string], Row>('SELECT * FROM cards WHERE openid = ? ORDER BY created_at, id')
  const count = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM cards WHERE openid = ?')
  const byId = db.prepare<[string], Row>('SELECT * FROM cards WHERE id = ?')
  const ins = db.prepare('INSERT INTO cards (id, openid, card_no, nickname, created_at, group_label) VALUES (?, ?, ?, ?, ?, ?)')
  const setGroup = db.prepare('UPDATE cards SET group_label = ? WHERE id = ? AND openid = ?')
  const del = db.prepare('DELETE FROM cards WHERE id = ? AND openid = ?')
  // count and insert in one IMMEDIATE transaction: no other writer (request or process) between them
  const limitedTx = db.transaction((c: StoredCard, max: number) => {
    if (count.get(c.openid)!.n >= max) return false
    ins.run(c.id, c.openid, c.cardNo, c.nickname, c.createdAt, c.group ?? null)
    return true
  })
  return {
    listByOwner: async (openid) => byOwner.all(openid).map(fromRow),
    countByOwner: async (openid) => count.get(openid)!.n,
    findById: async (id) => {
      const r = byId.get(id)
      return r ? fromRow(r) : null
    },
    insert: async (c) => {
      try {
        ins.run(c.id, c.openid, c.cardNo, c.nickname, c.createdAt, c.group ?? null)
      } catch (e) {
        if (uniqueViolation(e)) throw new DuplicateKeyError('cardNo')
        throw e
      }
    },
    insertWithinLimit: async (c, max) => {
      try {
        return limitedTx.immediate(c, max)
      } catch (e) {
        if (uniqueViolation(e)) throw new DuplicateKeyError('cardNo')
        throw e
      }
    },
    remove: async (openid, id) => del.run(id, openid).changes === 1,
    setGroup: async (openid, id, group) => setGroup.run(group, id, openid).changes === 1,
  }
}
