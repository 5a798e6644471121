import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxSettingsRepo, wxTitleRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.profile.repo'
import type { SettingsRepo, StoredTitle, TitleRepo } from '../../../cloudfunctions/_core/ports/profile.repo'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

const ALICE = 'oAlice0000000000000000000001'
const BOB = 'oBob00000000000000000000000002'

let cloud: FakeWxCloud
let titles: TitleRepo
let settings: SettingsRepo
beforeEach(() => {
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  titles = wxTitleRepo(cloud.database())
  settings = wxSettingsRepo(cloud.database())
})

let seq = 0
const title = (over: Partial<StoredTitle> = {}): StoredTitle => {
  const n = String(++seq).padStart(4, '0')
  return {
    id: `title${n}`,
    openid: ALICE,
    kind: 'enterprise',
    name: `武汉某某科技有限公司${n}`,
    taxId: '91420100MA4K0000XJ',
    address: '武汉市江汉区建设大道 1 号',
    phone: '027-85000000',
    bankName: '中国工商银行武汉江汉支行',
    bankAccount: '3202000000000000000',
    isDefault: false,
    taxIdChecksumOk: true,
    createdAt: `2026-03-01T00:00:${n.slice(2)}.000Z`,
    updatedAt: `2026-03-01T00:00:${n.slice(2)}.000Z`,
    ...over,
  }
}

const defaults = async (openid = ALICE) => (await titles.listByOwner(openid)).filter((t) => t.isDefault).map((t) => t.id)
const storedDefaults = (openid = ALICE) => cloud.db.docs(WX_COLLECTIONS.titles).filter((d) => d.openid === openid && d.isDefault === true)

describe('wxTitleRepo', () => {
  it('stores a title under _id = title id and reads it back unchanged', async () => {
    const t = title({ kind: 'personal', taxId: null, address: null, phone: null, bankName: null, bankAccount: null, taxIdChecksumOk: null })
    await titles.save(t)
    expect(await titles.findById(t.id)).toEqual(t)
    expect(cloud.db.docs(WX_COLLECTIONS.titles)[0]).toMatchObject({ _id: t.id, openid: ALICE, defaultSlot: `title:${t.id}` })
    expect(await titles.findById('nope')).toBeNull()
  })

  it('replaces the whole title on a second save, keeping createdAt', async () => {
    const t = title()
    await titles.save(t)
    const edited = { ...t, name: '新名称', taxId: null, createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2026-03-02T00:00:00.000Z' }
    await titles.save(edited)
    expect(await titles.findById(t.id)).toEqual({ ...edited, createdAt: t.createdAt })
    // saving the very same values again still works (nothing else changes)
    await titles.save(edited)
    expect(await titles.countByOwner(ALICE)).toBe(1)
  })

  it("leaves someone else's title alone when an id of theirs is saved, like SQLite's upsert", async () => {
    const theirs = title({ openid: BOB })
    await titles.save(theirs)
    await titles.save({ ...theirs, openid: ALICE, name: 'hijack' })
    expect(await titles.findById(theirs.id)).toEqual(theirs)
    expect(await titles.countByOwner(ALICE)).toBe(0)
  })

  it('lists the default first, then oldest first, only for the owner', async () => {
    const a = title()
    const b = title()
    const c = title({ isDefault: true })
    for (const t of [c, b, a, title({ openid: BOB })]) await titles.save(t)
    expect((await titles.listByOwner(ALICE)).map((t) => t.id)).toEqual([c.id, a.id, b.id])
    expect(await titles.countByOwner(ALICE)).toBe(3)
  })

  it('keeps one default: saving a new default and setDefault both move it', async () => {
    const a = title({ isDefault: true })
    const b = title()
    await titles.save(a)
    await titles.save(b)
    await titles.save(title({ isDefault: true, openid: BOB })) // another owner's default is independent
    expect(await defaults()).toEqual([a.id])

    const c = title({ isDefault: true })
    await titles.save(c)
    expect(await defaults()).toEqual([c.id])

    expect(await titles.setDefault(ALICE, b.id)).toBe(true)
    expect(await defaults()).toEqual([b.id])
    expect(await titles.setDefault(ALICE, b.id)).toBe(true) // already default: still true
    expect(await defaults()).toEqual([b.id])
    expect(await defaults(BOB)).toHaveLength(1)
  })

  it("answers false for setDefault of an unknown title or someone else's", async () => {
    const mine = title({ isDefault: true })
    const theirs = title({ openid: BOB })
    await titles.save(mine)
    await titles.save(theirs)
    expect(await titles.setDefault(ALICE, theirs.id)).toBe(false)
    expect(await titles.setDefault(ALICE, 'title-nope')).toBe(false)
    expect((await titles.findById(theirs.id))!.isDefault).toBe(false)
  })

  it('never holds two defaults, even for a moment, under concurrent setDefault calls', async () => {
    const list = Array.from({ length: 6 }, () => title())
    for (const t of list) await titles.save(t)
    // sample the stored documents while the calls interleave
    let worst = 0
    let running = true
    const sampler = (async () => {
      while (running) {
        worst = Math.max(worst, storedDefaults().length)
        await new Promise((r) => setImmediate(r))
      }
    })()
    const results = await Promise.all([...list, ...list].map((t) => titles.setDefault(ALICE, t.id)))
    running = false
    await sampler
    expect(results.every(Boolean)).toBe(true)
    expect(worst).toBeLessThanOrEqual(1)
    expect(await defaults()).toHaveLength(1)
  })

  it('keeps one default when saves with isDefault race each other and setDefault', async () => {
    const base = Array.from({ length: 4 }, () => title())
    for (const t of base) await titles.save(t)
    await Promise.all([
      ...base.map((t) => titles.save({ ...t, isDefault: true })),
      titles.save(title({ isDefault: true })),
      titles.setDefault(ALICE, base[0].id),
    ])
    expect(await defaults()).toHaveLength(1)
    expect(storedDefaults()).toHaveLength(1)
  })

  it('the unique index itself refuses a second default of one owner', async () => {
    await titles.save(title({ isDefault: true }))
    const forged = { ...title({ isDefault: true }), _id: 'forged', defaultSlot: `default:${ALICE}` }
    await expect(cloud.db.collection(WX_COLLECTIONS.titles).add({ data: forged })).rejects.toMatchObject({
      errMsg: expect.stringContaining('DATABASE_DUPLICATE_WRITE'),
    })
  })

  it('removes a title only for its owner', async () => {
    const t = title()
    await titles.save(t)
    expect(await titles.remove(BOB, t.id)).toBe(false)
    expect(await titles.remove(ALICE, t.id)).toBe(true)
    expect(await titles.remove(ALICE, t.id)).toBe(false)
    expect(await titles.findById(t.id)).toBeNull()
  })

  it('frees the default slot when the default title is removed, so another can take it', async () => {
    const a = title({ isDefault: true })
    const b = title()
    await titles.save(a)
    await titles.save(b)
    await titles.remove(ALICE, a.id)
    expect(await titles.setDefault(ALICE, b.id)).toBe(true)
    expect(await defaults()).toEqual([b.id])
  })

  it('never keeps more than the limit when saves race for the last places, and keeps one default', async () => {
    await titles.insertWithinLimit(title({ isDefault: true }), 3)
    const racing = await Promise.all(Array.from({ length: 6 }, () => titles.insertWithinLimit(title({ isDefault: true }), 3)))
    const kept = racing.filter(Boolean).length
    expect(kept).toBeLessThanOrEqual(2)
    const left = await titles.listByOwner(ALICE)
    expect(left).toHaveLength(1 + kept)
    expect(left.filter((t) => t.isDefault)).toHaveLength(1)
  })
})

describe('wxSettingsRepo', () => {
  it('answers the defaults for someone who never saved settings', async () => {
    expect(await settings.get(ALICE)).toEqual({ autoInvoice: false, defaultEmail: null })
    expect(cloud.db.docs(WX_COLLECTIONS.settings)).toEqual([])
  })

  it('keeps one document per user (_id = openid) and merges patches', async () => {
    expect(await settings.update(ALICE, { autoInvoice: true })).toEqual({ autoInvoice: true, defaultEmail: null })
    expect(await settings.update(ALICE, { defaultEmail: 'a@example.com' })).toEqual({ autoInvoice: true, defaultEmail: 'a@example.com' })
    expect(await settings.update(ALICE, { defaultEmail: null })).toEqual({ autoInvoice: true, defaultEmail: null })
    expect(await settings.update(ALICE, { autoInvoice: true })).toEqual({ autoInvoice: true, defaultEmail: null }) // no change: fine
    expect(await settings.update(ALICE, {})).toEqual({ autoInvoice: true, defaultEmail: null })
    expect(await settings.get(BOB)).toEqual({ autoInvoice: false, defaultEmail: null })
    expect(cloud.db.docs(WX_COLLECTIONS.settings).map((d) => d._id)).toEqual([ALICE])
  })

  it('keeps both of two concurrent first updates of different fields', async () => {
    await Promise.all([settings.update(ALICE, { autoInvoice: true }), settings.update(ALICE, { defaultEmail: 'a@example.com' })])
    expect(await settings.get(ALICE)).toEqual({ autoInvoice: true, defaultEmail: 'a@example.com' })
    expect(cloud.db.docs(WX_COLLECTIONS.settings)).toHaveLength(1)
  })
})
