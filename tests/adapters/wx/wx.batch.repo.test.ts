import { wxBatchRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.batch.repo'
import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { DuplicateKeyError } from '../../../cloudfunctions/_core/ports/errors'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'
import { batchRepoContract, itemsOf, job } from '../../helpers/batch-repo.contract'

let cloud: FakeWxCloud
describe('wxBatchRepo (the BatchRepo contract)', () => {
  batchRepoContract(() => {
    cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    return wxBatchRepo(cloud.database())
  })
})

describe('wxBatchRepo documents', () => {
  beforeEach(() => {
    cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  })

  it('keeps 100 planned invoices to a page document, written before the job', async () => {
    const repo = wxBatchRepo(cloud.database())
    const j = job({ invoiceCount: 250 })
    await repo.create(j, itemsOf(j))
    expect(cloud.db.docs(WX_COLLECTIONS.batchItemPages).map((d) => [d._id, (d.items as unknown[]).length])).toEqual([
      ['B1:0', 100],
      ['B1:1', 100],
      ['B1:2', 50],
    ])
    // a losing twin leaves only pages under its own id, never a second job
    await expect(repo.create(job({ id: 'B2', invoiceCount: 1 }), itemsOf(job({ id: 'B2', invoiceCount: 1 })))).rejects.toBeInstanceOf(DuplicateKeyError)
    expect(cloud.db.docs(WX_COLLECTIONS.batchJobs).map((d) => d._id)).toEqual(['B1'])
  })

  it('records an item in one transaction: a failed page write moves no counter', async () => {
    const repo = wxBatchRepo(cloud.database())
    const j = job({ invoiceCount: 2 })
    await repo.create(j, itemsOf(j))
    const before = cloud.db.transactions.rolledBack
    await expect(
      cloud.db.runTransaction(async (tx) => {
        await tx
          .collection(WX_COLLECTIONS.batchJobs)
          .doc('B1')
          .update({ data: { nextIndex: 1 } })
        throw new Error('crash inside the transaction')
      }),
    ).rejects.toThrow('crash')
    expect(cloud.db.transactions.rolledBack).toBe(before + 1)
    expect((await repo.findById('B1'))!.nextIndex).toBe(0)
    expect(await repo.recordItem('B1', 0, { status: 'requested', invoiceId: 'I', reason: null, ordersInvoiced: 1, ordersSkipped: 0 }, 'x')).toBe(true)
    expect((await repo.findById('B1'))!.nextIndex).toBe(1)
  })
})
