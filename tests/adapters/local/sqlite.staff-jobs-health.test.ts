import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDb, type Db } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteStaffQueryRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.staff.repo'

const NOW = '2026-03-02T08:00:00.000Z'
const SINCE = '2026-03-01T08:00:00.000Z'

let db: Db
let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-staff-jobs-'))
  db = openDb(path.join(dir, 'cloud.db'))
})
afterEach(() => {
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** rows with only what the health counts read filled in meaningfully */
function batchJob(id: string, status: string, leaseUntil: string | null, createdAt: string, updatedAt: string, failed: number) {
  db.prepare(
    `INSERT INTO batch_jobs (id, openid, client_token, status, spec, title_name, mode, period_label, cards_label, order_count, total_fen, invoice_count, failed, lease_until, created_at, updated_at)
     VALUES (?, 'oOwner', ?, ?, '{}', '武汉示例科技有限公司', 'mixed', '2026-03', '全部卡', 1, 1000, 1, ?, ?, ?, ?)`,
  ).run(id, id, status, failed, leaseUntil, createdAt, updatedAt)
}
function exportJob(id: string, status: string, finishedAt: string | null) {
  db.prepare(
    `INSERT INTO export_jobs (id, openid, client_token, status, selection, created_at, finished_at) VALUES (?, 'oOwner', ?, ?, '{}', '2026-03-02T07:00:00.000Z', ?)`,
  ).run(id, id, status, finishedAt)
}

describe('sqliteStaffQueryRepo.jobsHealth', () => {
  it('is all zero and null on an empty database', async () => {
    expect(await sqliteStaffQueryRepo(db).jobsHealth(NOW, SINCE)).toEqual({
      batch: { running: 0, oldestRunningSince: null, unheldRunning: 0, failedItemsLast24h: 0 },
      exports: { queued: 0, running: 0, failedLast24h: 0 },
    })
  })

  it('counts running batch jobs, those nobody holds, recent failures and open or failed exports', async () => {
    batchJob('B1', 'running', '2026-03-02T08:05:00.000Z', '2026-03-02T06:00:00.000Z', NOW, 1)
    batchJob('B2', 'running', null, '2026-03-02T05:00:00.000Z', NOW, 0)
    batchJob('B3', 'running', '2026-03-02T07:59:00.000Z', '2026-03-02T07:00:00.000Z', NOW, 0)
    batchJob('B4', 'done', null, '2026-03-01T00:00:00.000Z', '2026-03-02T01:00:00.000Z', 2)
    batchJob('B5', 'done', null, '2026-02-01T00:00:00.000Z', '2026-02-01T01:00:00.000Z', 7)
    exportJob('E1', 'queued', null)
    exportJob('E2', 'running', null)
    exportJob('E3', 'failed', '2026-03-02T02:00:00.000Z')
    exportJob('E4', 'failed', '2026-02-20T02:00:00.000Z')
    exportJob('E5', 'done', '2026-03-02T02:00:00.000Z')
    expect(await sqliteStaffQueryRepo(db).jobsHealth(NOW, SINCE)).toEqual({
      batch: { running: 3, oldestRunningSince: '2026-03-02T05:00:00.000Z', unheldRunning: 2, failedItemsLast24h: 3 },
      exports: { queued: 1, running: 1, failedLast24h: 1 },
    })
  })
})
