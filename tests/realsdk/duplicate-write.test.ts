import { wxCardRepo } from '../../cloudfunctions/_core/adapters/wx/wx.card.repo'
import { isDuplicateWrite } from '../../cloudfunctions/_core/adapters/wx/wx.db'
import { WX_COLLECTIONS, WX_INDEXES } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxTitleRepo } from '../../cloudfunctions/_core/adapters/wx/wx.profile.repo'
import { DuplicateKeyError } from '../../cloudfunctions/_core/ports/errors'
import { attachStandIn, CloudBaseStandIn, type DuplicateWording } from '../helpers/realsdk-requester'

/**
 * Unique keys through the real wx-server-sdk: what reaches the adapter when the backend refuses
 * a twin, and whether wx.db.ts isDuplicateWrite recognises it. Exactly-once (a repeated tap, a
 * redelivered payment) depends on this recognition.
 */
const ALICE = 'oAlice0000000000000000000001'
const card = (id: string) => ({ id, openid: ALICE, cardNo: '3104000012345678', nickname: '通勤卡', createdAt: '2026-03-01T08:00:00.000Z' })

let n = 0
const fresh = (duplicateWording?: DuplicateWording) => {
  const standIn = new CloudBaseStandIn({ indexes: WX_INDEXES, duplicateWording, envId: `dup-${++n}` })
  return { standIn, db: attachStandIn(standIn) }
}

async function rejection(p: Promise<unknown>): Promise<Error & { errCode?: unknown; errMsg?: unknown; code?: unknown }> {
  try {
    await p
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a rejection')
}

describe('a unique-key conflict as wx-server-sdk 4.0.2 hands it over', () => {
  it('drops the backend code name: only errCode (its own table) and the message survive', async () => {
    const { db } = fresh('documented')
    await db.collection('x').add({ data: { _id: 'a' } })
    const e = await rejection(db.collection('x').add({ data: { _id: 'a' } }))
    // DATABASE_DUPLICATE_WRITE is not in the SDK's TCB_ERR_CODE table: it becomes SYS_ERR
    expect(e).toMatchObject({ errCode: -501001 })
    expect(e.code).toBeUndefined()
    expect(String(e.errMsg)).toMatch(/^collection\.add:fail -501001 .*E11000 duplicate key error/)
  })

  it.each<DuplicateWording>(['observed', 'documented'])(
    'is recognised by isDuplicateWrite when the backend words it %s (E11000 text kept)',
    async (wording) => {
      const { db } = fresh(wording)
      await db.collection(WX_COLLECTIONS.cards).add({ data: { _id: 'c1', openid: ALICE, cardNo: '1' } })
      // a different _id, the same (openid, cardNo): the unique index, not the primary key
      const e = await rejection(db.collection(WX_COLLECTIONS.cards).add({ data: { _id: 'c2', openid: ALICE, cardNo: '1' } }))
      expect(isDuplicateWrite(e)).toBe(true)
      expect(e).toMatchObject({ errCode: wording === 'observed' ? -502001 : -501001 })
    },
  )

  it('cannot be recognised if the backend ever answered the code alone: nothing of it reaches the adapter', async () => {
    const { db } = fresh('code-only')
    await db.collection('x').add({ data: { _id: 'a' } })
    const e = await rejection(db.collection('x').add({ data: { _id: 'a' } }))
    expect(isDuplicateWrite(e)).toBe(false)
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain('DATABASE_DUPLICATE_WRITE')
  })

  it('turns into DuplicateKeyError in the repos: one of 10 concurrent twin bindings wins', async () => {
    const { db, standIn } = fresh()
    const repo = wxCardRepo(db)
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => repo.insert(card(`card${i}`))))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DuplicateKeyError)
    expect(standIn.docs(WX_COLLECTIONS.cards)).toHaveLength(1)
  })

  it('the default-title index refuses a second default of one owner (defaultSlot), whatever the _id', async () => {
    const { db } = fresh()
    const titles = wxTitleRepo(db)
    const t = (id: string) => ({
      id,
      openid: ALICE,
      kind: 'personal' as const,
      name: '张三',
      taxId: null,
      address: null,
      phone: null,
      bankName: null,
      bankAccount: null,
      isDefault: true,
      taxIdChecksumOk: null,
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-01T00:00:00.000Z',
    })
    await titles.save(t('t1'))
    const e = await rejection(db.collection(WX_COLLECTIONS.titles).add({ data: { _id: 'forged', openid: ALICE, defaultSlot: `default:${ALICE}` } }))
    expect(isDuplicateWrite(e)).toBe(true)
  })

  it('treats a missing field as null in a unique index, as MongoDB does: two documents without clientToken collide', async () => {
    const { db } = fresh()
    await db.collection(WX_COLLECTIONS.orders).add({ data: { _id: 'o1', openid: ALICE } })
    const e = await rejection(db.collection(WX_COLLECTIONS.orders).add({ data: { _id: 'o2', openid: ALICE } }))
    expect(isDuplicateWrite(e)).toBe(true)
  })
})
