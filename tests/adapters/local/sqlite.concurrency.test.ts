import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { openDb } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteOrderRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.order.repo'

const run = promisify(execFile)

/**
 * The guarantees hold in the database itself, not in one process's event loop: several
 * processes on the same SQLite file (WAL) race to settle one payment and to invoice one order.
 */
it('across processes, one order is paid once and claimed by one invoice', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-race-')), 'cloud.db')
  const db = openDb(file)
  const now = new Date().toISOString()
  await sqliteOrderRepo(db).insert({
    id: 'WT20261128000000RACE00000001',
    openid: 'o1',
    clientToken: 'tok',
    cardId: 'c',
    cardNo: '3104000012345673',
    cardNickname: '卡',
    amountFen: 2000,
    status: 'created',
    createdAt: now,
    expiresAt: now,
    paidAt: null,
    closedAt: null,
    transactionId: null,
    invoiceId: null,
    autoInvoice: null,
  })
  const startAt = Date.now() + 2500 // every child is up and waiting by then
  const child = path.join(__dirname, '../../helpers/mark-paid.child.ts')
  const results = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      run(process.execPath, ['--import', 'tsx', child, file, 'WT20261128000000RACE00000001', String(startAt), `p${i}`], {
        cwd: path.resolve(__dirname, '../../..'),
      }),
    ),
  )
  const answers = results.map((r) => JSON.parse(r.stdout) as { paid: boolean; claimed: boolean })
  expect(answers.filter((a) => a.paid)).toHaveLength(1)
  expect(answers.filter((a) => a.claimed)).toHaveLength(1)
  expect(db.prepare("SELECT COUNT(*) n FROM topup_order_events WHERE type = 'paid'").get()).toEqual({ n: 1 })
  expect(db.prepare('SELECT COUNT(*) n FROM invoices').get()).toEqual({ n: 1 })
  expect(db.prepare('SELECT COUNT(*) n FROM invoice_orders').get()).toEqual({ n: 1 })
  db.close()
}, 60_000)
