import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxStaffQueryRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.staff.repo'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

const NOW = '2026-03-02T08:00:00.000Z'
const SINCE = '2026-03-01T08:00:00.000Z'

let cloud: FakeWxCloud
beforeEach(() => {
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
})

/** only the fields the health counts read, plus the unique keys the indexes ask for */
const batchJob = (id: string, f: { status: string; leaseUntil: string | null; createdAt: string; updatedAt: string; failed: number }) =>
  cloud
    .database()
    .collection(WX_COLLECTIONS.batchJobs)
    .add({ data: { _id: id, openid: 'oOwner', clientToken: id, ...f } })
const exportJob = (id: string, f: { status: string; finishedAt: string | null }) =>
  cloud
    .database()
    .collection(WX_COLLECTIONS.exportJobs)
    .add({ data: { _id: id, openid: 'oOwner', clientToken: id, createdAt: '2026-03-02T07:00:00.000Z', ...f } })

describe('wxStaffQueryRepo.jobsHealth', () => {
  it('is all zero and null on an empty environment', async () => {
    expect(await wxStaffQueryRepo(cloud.database()).jobsHealth(NOW, SINCE)).toEqual({
      batch: { running: 0, oldestRunningSince: null, unheldRunning: 0, failedItemsLast24h: 0 },
      exports: { queued: 0, running: 0, failedLast24h: 0 },
    })
  })

  it('counts running batch jobs, those nobody holds, recent failures and open or failed exports', async () => {
    // held: lease in the future; unheld: no lease, or a lease run out
    await batchJob('B1', { status: 'running', leaseUntil: '2026-03-02T08:05:00.000Z', createdAt: '2026-03-02T06:00:00.000Z', updatedAt: NOW, failed: 1 })
    await batchJob('B2', { status: 'running', leaseUntil: null, createdAt: '2026-03-02T05:00:00.000Z', updatedAt: NOW, failed: 0 })
    await batchJob('B3', { status: 'running', leaseUntil: '2026-03-02T07:59:00.000Z', createdAt: '2026-03-02T07:00:00.000Z', updatedAt: NOW, failed: 0 })
    await batchJob('B4', { status: 'done', leaseUntil: null, createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-02T01:00:00.000Z', failed: 2 })
    // failures of a job last touched before the window are not counted
    await batchJob('B5', { status: 'done', leaseUntil: null, createdAt: '2026-02-01T00:00:00.000Z', updatedAt: '2026-02-01T01:00:00.000Z', failed: 7 })
    await exportJob('E1', { status: 'queued', finishedAt: null })
    await exportJob('E2', { status: 'running', finishedAt: null })
    await exportJob('E3', { status: 'failed', finishedAt: '2026-03-02T02:00:00.000Z' })
    await exportJob('E4', { status: 'failed', finishedAt: '2026-02-20T02:00:00.000Z' })
    await exportJob('E5', { status: 'done', finishedAt: '2026-03-02T02:00:00.000Z' })
    expect(await wxStaffQueryRepo(cloud.database()).jobsHealth(NOW, SINCE)).toEqual({
      batch: { running: 3, oldestRunningSince: '2026-03-02T05:00:00.000Z', unheldRunning: 2, failedItemsLast24h: 3 },
      exports: { queued: 1, running: 1, failedLast24h: 1 },
    })
  })
})
