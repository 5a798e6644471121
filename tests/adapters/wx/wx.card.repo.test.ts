import { wxCardRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.card.repo'
import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import type { StoredCard } from '../../../cloudfunctions/_core/ports/card.repo'
import { DuplicateKeyError } from '../../../cloudfunctions/_core/ports/errors'
import { FakeSdkError, FakeWxCloud } from '../../fakes/wx-cloud.fake'

const ALICE = 'oAlice0000000000000000000001'
const BOB = 'oBob00000000000000000000000002'
const CARD_A = '3104000012345678'
const CARD_B = '3104000087654321'

let cloud: FakeWxCloud
let repo: ReturnType<typeof wxCardRepo>
beforeEach(() => {
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  repo = wxCardRepo(cloud.database())
})

let seq = 0
const card = (over: Partial<StoredCard> = {}): StoredCard => ({
  id: `card${String(++seq).padStart(4, '0')}`,
  openid: ALICE,
  cardNo: CARD_A,
  nickname: '通勤卡',
  createdAt: '2026-03-01T08:00:00.000Z',
  ...over,
})

describe('wxCardRepo', () => {
  it('stores a card as a document whose _id is the card id and reads it back unchanged', async () => {
    const c = card()
    await repo.insert(c)
    expect(await repo.findById(c.id)).toEqual(c)
    expect(cloud.db.docs(WX_COLLECTIONS.cards)).toEqual([{ _id: c.id, openid: ALICE, cardNo: CARD_A, nickname: '通勤卡', createdAt: c.createdAt }])
  })

  it('answers null for a card that does not exist', async () => {
    expect(await repo.findById('nope')).toBeNull()
  })

  it("lists only the owner's cards, oldest first, ties broken by id", async () => {
    const late = card({ cardNo: CARD_B, createdAt: '2026-03-02T00:00:00.000Z' })
    const early2 = card({ id: 'card-b', cardNo: '3104000000000002' })
    const early1 = card({ id: 'card-a', cardNo: '3104000000000001' })
    for (const c of [late, early2, early1, card({ openid: BOB })]) await repo.insert(c)
    expect((await repo.listByOwner(ALICE)).map((c) => c.id)).toEqual(['card-a', 'card-b', late.id])
    expect(await repo.countByOwner(ALICE)).toBe(3)
    expect(await repo.countByOwner(BOB)).toBe(1)
  })

  it('refuses a second binding of the same card number by the same user as DuplicateKeyError(cardNo)', async () => {
    await repo.insert(card())
    const twin = repo.insert(card())
    await expect(twin).rejects.toBeInstanceOf(DuplicateKeyError)
    await expect(repo.insert(card())).rejects.toMatchObject({ key: 'cardNo' })
    expect(await repo.countByOwner(ALICE)).toBe(1)
  })

  it('lets two users bind the same card number', async () => {
    await repo.insert(card())
    await repo.insert(card({ openid: BOB }))
    expect(await repo.countByOwner(BOB)).toBe(1)
  })

  it('keeps exactly one of 10 concurrent twin bindings: the unique index decides, not a read', async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => repo.insert(card())))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(DuplicateKeyError)
    }
    expect(await repo.countByOwner(ALICE)).toBe(1)
  })

  it('passes other database failures through instead of calling them duplicates', async () => {
    cloud.db.failNext(WX_COLLECTIONS.cards, 'add', new FakeSdkError(-502001, 'collection.add:fail DATABASE_REQUEST_FAILED timeout'))
    await expect(repo.insert(card())).rejects.toBeInstanceOf(FakeSdkError)
  })

  it("removes a card only for its owner: someone else's id is a no-op answering false", async () => {
    const c = card()
    await repo.insert(c)
    expect(await repo.remove(BOB, c.id)).toBe(false)
    expect(await repo.findById(c.id)).not.toBeNull()
    expect(await repo.remove(ALICE, c.id)).toBe(true)
    expect(await repo.findById(c.id)).toBeNull()
    expect(await repo.remove(ALICE, c.id)).toBe(false)
  })

  it('reads past the 100 documents one get() returns', async () => {
    for (let i = 0; i < 130; i++) await repo.insert(card({ id: `c${String(i).padStart(3, '0')}`, cardNo: String(3104000000000000 + i) }))
    const list = await repo.listByOwner(ALICE)
    expect(list).toHaveLength(130)
    expect(new Set(list.map((c) => c.id)).size).toBe(130)
    expect(cloud.db.gets.length).toBeGreaterThanOrEqual(2)
    expect(cloud.db.gets.every((g) => g.limit !== undefined && g.limit <= 100)).toBe(true)
  })

  it('never keeps more than the limit when binds race for the last places', async () => {
    await repo.insertWithinLimit(card({ cardNo: '3104000000000001' }), 3)
    const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => repo.insertWithinLimit(card({ cardNo: `310400000000010${i}` }), 3)))
    expect(racing.filter(Boolean).length).toBeLessThanOrEqual(2)
    expect(await repo.countByOwner(ALICE)).toBe(1 + racing.filter(Boolean).length)
    expect(await repo.insertWithinLimit(card({ cardNo: '3104000000000200' }), 1 + racing.filter(Boolean).length)).toBe(false)
  })

  it("sets, keeps and clears a group label only on the owner's card (分组)", async () => {
    const c = card()
    await repo.insert(c)
    expect(await repo.setGroup(BOB, c.id, '偷')).toBe(false)
    expect(await repo.setGroup(ALICE, c.id, '市场部')).toBe(true)
    expect(await repo.setGroup(ALICE, c.id, '市场部')).toBe(true) // unchanged value: still the owner's card
    expect((await repo.findById(c.id))!.group).toBe('市场部')
    expect(await repo.setGroup(ALICE, c.id, null)).toBe(true)
    expect(await repo.findById(c.id)).toEqual(c)
    expect(await repo.setGroup(ALICE, 'nope', '市场部')).toBe(false)
  })
})
