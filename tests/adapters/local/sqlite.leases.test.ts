import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDb, type Db } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteInvoiceRepo, sqliteOutboxRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.invoice.repo'
import { LEASE_OWNER } from '../../../cloudfunctions/_core/adapters/local/sqlite.leases'
import { newInvoiceRecord } from '../../../cloudfunctions/_core/app/invoice-record'

/** The SQLite repos record which process holds a lease (what a restart needs to release a dead one). */
let db: Db
beforeEach(() => {
  db = openDb(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-leases-')), 'cloud.db'))
})
afterEach(() => db.close())

const owner = (table: string, id: string) => (db.prepare(`SELECT lease_owner AS owner FROM ${table} WHERE id = ?`).get(id) as { owner: string | null }).owner

it("records this process as an invoice's lease owner when a lease is taken and clears it when the lease is given back", async () => {
  const repo = sqliteInvoiceRepo(db)
  const inv = newInvoiceRecord({
    id: 'INV1',
    openid: 'o1',
    clientToken: 'tok-INV1',
    source: 'single',
    title: { kind: 'personal', name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
    email: null,
    amountFen: 5000,
    orderIds: ['O1'],
    cards: [{ cardNo: '3104000012345673', nickname: '卡' }],
    requestedAt: '2026-06-01T00:00:00.000Z',
  })
  await repo.create(inv, [{ orderId: 'O1', cardNo: '3104000012345673' }])

  await repo.update('INV1', ['requested'], { status: 'issuing', leaseUntil: '2026-06-01T00:01:00.000Z' })
  const taken = owner('invoices', 'INV1')
  await repo.update('INV1', ['issuing'], { status: 'failed', leaseUntil: null })

  expect(taken).toBe(LEASE_OWNER)
  expect(owner('invoices', 'INV1')).toBeNull()
})

it('records this process as the owner of a claimed mail and clears it when the mail is sent or put back for a retry', async () => {
  const outbox = sqliteOutboxRepo(db)
  const item = (id: string) => ({
    id,
    invoiceId: id,
    openid: 'o1',
    to: 'a@example.com',
    kind: 'issued' as const,
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: '2026-06-01T00:00:00.000Z',
    lastError: null,
    createdAt: '2026-06-01T00:00:00.000Z',
    sentAt: null,
  })
  await outbox.add(item('M1'))
  await outbox.add(item('M2'))
  await outbox.claim('M1', 0, '2026-06-01T00:02:00.000Z')
  await outbox.claim('M2', 0, '2026-06-01T00:02:00.000Z')
  const claimed = [owner('mail_outbox', 'M1'), owner('mail_outbox', 'M2')]

  await outbox.markSent('M1', '2026-06-01T00:00:05.000Z')
  await outbox.markRetry('M2', 1, '2026-06-01T00:01:00.000Z', 'smtp down', false)

  expect(claimed).toEqual([LEASE_OWNER, LEASE_OWNER])
  expect([owner('mail_outbox', 'M1'), owner('mail_outbox', 'M2')]).toEqual([null, null])
})
