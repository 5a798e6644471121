import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDb, type Db } from '../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteOutboxRepo } from '../../cloudfunctions/_core/adapters/local/sqlite.invoice.repo'
import { WX_INDEXES } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxOutboxRepo } from '../../cloudfunctions/_core/adapters/wx/wx.invoice.repo'
import type { OutboxItem, OutboxRepo } from '../../cloudfunctions/_core/ports/invoice.repo'
import { FakeWxCloud } from '../fakes/wx-cloud.fake'

/** latestFor(invoiceId, to): the re-send cooldown is per address, in both clouds. */
let db: Db | null = null
afterEach(() => {
  db?.close()
  db = null
})

const adapters: [string, () => OutboxRepo][] = [
  [
    'sqlite',
    () => {
      db = openDb(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-outbox-to-')), 'cloud.db'))
      return sqliteOutboxRepo(db)
    },
  ],
  ['wx', () => wxOutboxRepo(new FakeWxCloud({ indexes: WX_INDEXES }).database())],
]

const item = (id: string, to: string, createdAt: string, invoiceId = 'INV1'): OutboxItem => ({
  id,
  invoiceId,
  openid: 'o1',
  to,
  kind: 'resend',
  status: 'sent',
  attempts: 1,
  nextAttemptAt: createdAt,
  lastError: null,
  createdAt,
  sentAt: createdAt,
})

describe.each(adapters)('%s outbox latestFor(invoiceId, to)', (_name, make) => {
  it("finds the address's latest mail of that invoice, ignoring case, and nothing for a new address", async () => {
    const outbox = make()
    await outbox.add(item('M1', 'a@example.com', '2026-06-01T00:00:00.000Z'))
    await outbox.add(item('M2', 'b@example.com', '2026-06-01T00:05:00.000Z'))
    await outbox.add(item('M3', 'A@Example.com', '2026-06-01T00:03:00.000Z'))
    await outbox.add(item('M4', 'a@example.com', '2026-06-01T00:09:00.000Z', 'INV2'))

    expect((await outbox.latestFor('INV1', 'a@example.com'))?.id).toBe('M3')
    expect((await outbox.latestFor('INV1', 'B@EXAMPLE.COM'))?.id).toBe('M2')
    expect(await outbox.latestFor('INV1', 'c@example.com')).toBeNull()
    expect((await outbox.latestFor('INV1'))?.id).toBe('M2')
  })
})
