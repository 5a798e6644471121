import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDb, type Db } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteOutboxRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.invoice.repo'
import type { OutboxItem, OutboxRepo } from '../../../cloudfunctions/_core/ports/invoice.repo'

/** The guarantees of the SQLite mail outbox, on a database file on disk. */
let file: string
let db: Db
let outbox: OutboxRepo
beforeEach(() => {
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-outbox-')), 'cloud.db')
  db = openDb(file)
  outbox = sqliteOutboxRepo(db)
})
afterEach(() => db.close())

let seq = 0
const item = (over: Partial<OutboxItem> = {}): OutboxItem => ({
  id: `INV1-${++seq}`,
  invoiceId: 'INV1',
  openid: 'o1',
  to: 'a@example.com',
  kind: 'resend',
  status: 'pending',
  attempts: 0,
  nextAttemptAt: '2026-03-02T00:00:00.000Z',
  lastError: null,
  createdAt: '2026-03-02T00:00:00.000Z',
  sentAt: null,
  ...over,
})

describe('sqliteOutboxRepo.claim', () => {
  it('gives an item to exactly one of two claimers that read the same attempts count, on two connections', async () => {
    const it1 = item()
    await outbox.add(it1)
    const other = openDb(file)
    try {
      const results = [await outbox.claim(it1.id, 0, '2026-03-02T00:02:00.000Z'), await sqliteOutboxRepo(other).claim(it1.id, 0, '2026-03-02T00:02:00.000Z')]
      expect(results.filter(Boolean)).toHaveLength(1)
    } finally {
      other.close()
    }
    expect(db.prepare('SELECT attempts, next_attempt_at AS at FROM mail_outbox WHERE id = ?').get(it1.id)).toEqual({
      attempts: 1,
      at: '2026-03-02T00:02:00.000Z',
    })
  })

  it('refuses a claim made with a stale attempts count, and an item no longer pending', async () => {
    const it1 = item()
    await outbox.add(it1)
    expect(await outbox.claim(it1.id, 1, '2026-03-02T00:02:00.000Z')).toBe(false)
    await outbox.markSent(it1.id, '2026-03-02T00:01:00.000Z')
    expect(await outbox.claim(it1.id, 0, '2026-03-02T00:02:00.000Z')).toBe(false)
  })
})

describe('the first-mail unique index', () => {
  it("refuses a second 'issued' item for the same invoice (add answers false), while re-sends may repeat", async () => {
    expect(await outbox.add(item({ id: 'INV1-issued', kind: 'issued' }))).toBe(true)
    expect(await outbox.add(item({ id: 'INV1-issued-twice', kind: 'issued' }))).toBe(false)
    expect(await outbox.add(item())).toBe(true)
    expect(await outbox.add(item())).toBe(true)
    expect(await outbox.add(item({ id: 'INV2-issued', invoiceId: 'INV2', kind: 'issued' }))).toBe(true)
    expect(db.prepare(`SELECT invoice_id AS invoiceId FROM mail_outbox WHERE kind = 'issued' ORDER BY invoice_id`).all()).toEqual([
      { invoiceId: 'INV1' },
      { invoiceId: 'INV2' },
    ])
  })
})
