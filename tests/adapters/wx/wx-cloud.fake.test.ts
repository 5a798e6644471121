import { FakeSdkError, FakeWxCloud } from '../../fakes/wx-cloud.fake'

/**
 * The fake's own behaviours that the adapters' correctness leans on, each as the cloud
 * database documents it (MongoDB semantics behind wx-server-sdk).
 */
describe('the fake database: operators and updates', () => {
  let cloud: FakeWxCloud
  const col = () => cloud.db.collection('x')
  const ids = async (where: Parameters<ReturnType<typeof col>['where']>[0]) => (await col().where(where).get()).data.map((d) => d._id).sort()
  beforeEach(async () => {
    cloud = new FakeWxCloud()
    await col().add({ data: { _id: 'a', n: 1, s: 'b', tags: ['x', 'y'], v: null, obj: { p: 1, q: 2 } } })
    await col().add({ data: { _id: 'b', n: 5, s: 'a', tags: ['z'], v: 'set' } })
    await col().add({ data: { _id: 'c', n: '5', s: 'c' } }) // a string 5 and no v at all
  })

  it('compares with gt, gte, lt, lte only within a type', async () => {
    const _ = cloud.db.command
    expect(await ids({ n: _.gt(1) })).toEqual(['b'])
    expect(await ids({ n: _.gte(1) })).toEqual(['a', 'b'])
    expect(await ids({ n: _.lte(5) })).toEqual(['a', 'b'])
    expect(await ids({ s: _.lt('b') })).toEqual(['b'])
  })

  it('matches null to null and to a missing field; neq(null) to neither', async () => {
    const _ = cloud.db.command
    expect(await ids({ v: null })).toEqual(['a', 'c'])
    expect(await ids({ v: _.eq(null) })).toEqual(['a', 'c'])
    expect(await ids({ v: _.neq(null) })).toEqual(['b'])
    expect(await ids(_.or([{ v: null }, { v: _.lte('set') }]))).toEqual(['a', 'b', 'c'])
  })

  it('matches a plain value against an array field that contains it', async () => {
    expect(await ids({ tags: 'y' })).toEqual(['a'])
    expect(await ids({ tags: cloud.db.command.in(['z', 'q']) })).toEqual(['b'])
    expect(await ids({ tags: cloud.db.command.neq('x') })).toEqual(['b', 'c'])
  })

  it('counts changed documents in stats.updated, not matched ones', async () => {
    expect(
      (
        await col()
          .where({ _id: 'a' })
          .update({ data: { n: 1 } })
      ).stats.updated,
    ).toBe(0)
    expect(
      (
        await col()
          .where({ _id: 'a' })
          .update({ data: { n: 2 } })
      ).stats.updated,
    ).toBe(1)
    expect(
      (
        await col()
          .where({ s: cloud.db.command.in(['a', 'b']) })
          .update({ data: { n: 5 } })
      ).stats.updated,
    ).toBe(1)
  })

  it('increments atomically, from 0 for a missing field, and refuses to increment a string', async () => {
    const _ = cloud.db.command
    await Promise.all(
      Array.from({ length: 20 }, () =>
        col()
          .where({ _id: 'a' })
          .update({ data: { n: _.inc(1), hits: _.inc(2) } }),
      ),
    )
    expect(cloud.db.docs('x')[0]).toMatchObject({ n: 21, hits: 40 })
    await expect(
      col()
        .where({ _id: 'c' })
        .update({ data: { n: _.inc(1) } }),
    ).rejects.toBeInstanceOf(FakeSdkError)
  })

  it('merges a plain object into a stored one field by field; _.set replaces it', async () => {
    await col()
      .where({ _id: 'a' })
      .update({ data: { obj: { q: 3 } } })
    expect(cloud.db.docs('x')[0].obj).toEqual({ p: 1, q: 3 })
    await col()
      .where({ _id: 'a' })
      .update({ data: { obj: cloud.db.command.set({ q: 4 }) } })
    expect(cloud.db.docs('x')[0].obj).toEqual({ q: 4 })
  })

  it('can lose the answer of a write that was applied', async () => {
    cloud.db.loseAnswerNext('x', 'add', new FakeSdkError(-501001, 'timeout'))
    await expect(col().add({ data: { _id: 'd' } })).rejects.toBeInstanceOf(FakeSdkError)
    expect(cloud.db.docs('x').map((d) => d._id)).toContain('d')
  })
})
