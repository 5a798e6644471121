import type { BatchRepo, StoredBatchItem, StoredBatchJob } from '../../cloudfunctions/_core/ports/batch.repo'
import { DuplicateKeyError } from '../../cloudfunctions/_core/ports/errors'

/**
 * What every BatchRepo adapter must do (SQLite and WeChat cloud run the same cases): unique
 * clientToken per owner, leases, an item recorded exactly once with its counters, conditional
 * finish, keyset paging.
 */
export const ALICE = 'oAlice0000000000000000000001'
export const BOB = 'oBob00000000000000000000000002'

export function job(over: Partial<StoredBatchJob> = {}): StoredBatchJob {
  return {
    id: 'B1',
    openid: ALICE,
    clientToken: 'tok-00000001',
    status: 'running',
    spec: { titleId: 'T1', period: { kind: 'months', months: ['2026-10'] }, cards: { kind: 'all' }, mode: 'mixed' },
    titleName: '武汉示例科技有限公司',
    mode: 'mixed',
    periodLabel: '2026-10',
    cardsLabel: '全部卡片',
    email: 'finance@example.com',
    orderCount: 250,
    totalFen: 250_000,
    invoiceCount: 250,
    nextIndex: 0,
    invoicesCreated: 0,
    ordersInvoiced: 0,
    ordersSkipped: 0,
    failed: 0,
    leaseUntil: null,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    finishedAt: null,
    ...over,
  }
}

export const itemsOf = (j: StoredBatchJob): StoredBatchItem[] =>
  Array.from({ length: j.invoiceCount }, (_, index) => ({
    jobId: j.id,
    index,
    orderIds: [`O${index}`],
    cardNos: ['3104000012345673'],
    amountFen: 1000,
    status: 'pending' as const,
    invoiceId: null,
    reason: null,
  }))

export function batchRepoContract(make: () => BatchRepo) {
  let repo: BatchRepo
  beforeEach(() => {
    repo = make()
  })

  it('stores a job with its planned invoices and reads them back in order, across pages of items', async () => {
    const j = job()
    await repo.create(j, itemsOf(j))
    expect(await repo.findById('B1')).toEqual(j)
    expect(await repo.findByClientToken(ALICE, 'tok-00000001')).toEqual(j)
    expect(await repo.findByClientToken(BOB, 'tok-00000001')).toBeNull()
    const items = await repo.items('B1', 95, 10)
    expect(items.map((i) => i.index)).toEqual([95, 96, 97, 98, 99, 100, 101, 102, 103, 104])
    expect(items[0]).toEqual({
      jobId: 'B1',
      index: 95,
      orderIds: ['O95'],
      cardNos: ['3104000012345673'],
      amountFen: 1000,
      status: 'pending',
      invoiceId: null,
      reason: null,
    })
    expect(await repo.items('B1', 248, 10)).toHaveLength(2)
    expect(await repo.items('nope', 0, 10)).toEqual([])
  })

  it('refuses a second job under the same clientToken of the same owner', async () => {
    await repo.create(job(), [])
    await expect(repo.create(job({ id: 'B2' }), [])).rejects.toBeInstanceOf(DuplicateKeyError)
    await repo.create(job({ id: 'B3', openid: BOB }), [])
    expect(await repo.findById('B2')).toBeNull()
  })

  it('gives the lease to one run at a time, and again once it runs out or is released', async () => {
    await repo.create(job(), [])
    expect(await repo.claim('B1', '2026-11-01T00:00:00.000Z', '2026-11-01T00:01:00.000Z')).toBe(true)
    expect(await repo.claim('B1', '2026-11-01T00:00:30.000Z', '2026-11-01T00:01:30.000Z')).toBe(false)
    expect(await repo.runnable('2026-11-01T00:00:30.000Z', 10)).toEqual([])
    expect((await repo.runnable('2026-11-01T00:01:00.000Z', 10)).map((x) => x.id)).toEqual(['B1'])
    expect(await repo.claim('B1', '2026-11-01T00:01:00.000Z', '2026-11-01T00:02:00.000Z')).toBe(true)
    await repo.release('B1', '2026-11-01T00:01:00.000Z') // not this run's lease: stays
    expect(await repo.claim('B1', '2026-11-01T00:01:10.000Z', '2026-11-01T00:02:10.000Z')).toBe(false)
    await repo.release('B1', '2026-11-01T00:02:00.000Z')
    expect(await repo.claim('B1', '2026-11-01T00:01:10.000Z', '2026-11-01T00:02:10.000Z')).toBe(true)
  })

  it('records an item once: its outcome, nextIndex and the counters move together', async () => {
    const j = job({ invoiceCount: 3 })
    await repo.create(j, itemsOf(j))
    const ok = { status: 'requested' as const, invoiceId: 'INV1', reason: null, ordersInvoiced: 1, ordersSkipped: 0 }
    expect(await repo.recordItem('B1', 0, ok, '2026-11-01T00:00:01.000Z')).toBe(true)
    expect(await repo.recordItem('B1', 0, ok, '2026-11-01T00:00:02.000Z')).toBe(false)
    expect(await repo.recordItem('B1', 2, ok, '2026-11-01T00:00:02.000Z')).toBe(false)
    const fail = { status: 'failed' as const, invoiceId: null, reason: '超过上限', ordersInvoiced: 0, ordersSkipped: 0 }
    expect(await repo.recordItem('B1', 1, fail, '2026-11-01T00:00:03.000Z')).toBe(true)
    const skip = { status: 'skipped' as const, invoiceId: null, reason: '已开票', ordersInvoiced: 0, ordersSkipped: 1 }
    expect(await repo.recordItem('B1', 2, skip, '2026-11-01T00:00:04.000Z')).toBe(true)
    expect(await repo.findById('B1')).toMatchObject({ nextIndex: 3, invoicesCreated: 1, ordersInvoiced: 1, ordersSkipped: 1, failed: 1 })
    expect((await repo.items('B1', 0, 5)).map((i) => [i.status, i.invoiceId, i.reason])).toEqual([
      ['requested', 'INV1', null],
      ['failed', null, '超过上限'],
      ['skipped', null, '已开票'],
    ])
    expect((await repo.failedItems('B1', 10)).map((i) => i.index)).toEqual([1])
  })

  it('finishes a running job once; a finished job is not runnable or claimable', async () => {
    await repo.create(job(), [])
    expect(await repo.finish('B1', 'cancelled', '2026-11-01T00:00:05.000Z')).toBe(true)
    expect(await repo.finish('B1', 'done', '2026-11-01T00:00:06.000Z')).toBe(false)
    expect(await repo.findById('B1')).toMatchObject({ status: 'cancelled', finishedAt: '2026-11-01T00:00:05.000Z', leaseUntil: null })
    expect(await repo.claim('B1', '2026-11-01T00:00:07.000Z', '2026-11-01T00:01:07.000Z')).toBe(false)
    expect(await repo.runnable('2026-11-01T00:00:07.000Z', 10)).toEqual([])
  })

  it("lists an owner's jobs newest first in keyset pages", async () => {
    for (let n = 1; n <= 5; n++) await repo.create(job({ id: `B${n}`, clientToken: `tok-0000000${n}`, createdAt: `2026-11-0${n}T00:00:00.000Z` }), [])
    await repo.create(job({ id: 'X', openid: BOB }), [])
    const first = await repo.listByOwner(ALICE, { limit: 2 })
    expect(first.map((x) => x.id)).toEqual(['B5', 'B4'])
    const next = await repo.listByOwner(ALICE, { limit: 10, cursor: { createdAt: first[1].createdAt, id: first[1].id } })
    expect(next.map((x) => x.id)).toEqual(['B3', 'B2', 'B1'])
  })
}
