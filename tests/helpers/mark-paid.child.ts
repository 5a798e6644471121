/**
 * One competitor in the cross-process race of sqlite.concurrency.test.ts: opens the shared
 * database file, waits for the start time, tries to move the order to paid and to claim it
 * for an invoice, and reports what it won.
 */
import { newInvoiceRecord } from '../../cloudfunctions/_core/app/invoice-record'
import { sqliteInvoiceRepo } from '../../cloudfunctions/_core/adapters/local/sqlite.invoice.repo'
import { openDb } from '../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteOrderRepo } from '../../cloudfunctions/_core/adapters/local/sqlite.order.repo'
import { PAYABLE_FROM } from '../../cloudfunctions/_core/domain/order'
import { DuplicateKeyError } from '../../cloudfunctions/_core/ports/errors'

const [file, orderId, startAt, who] = process.argv.slice(2)
const db = openDb(file)
const orders = sqliteOrderRepo(db)
const invoices = sqliteInvoiceRepo(db)

async function race() {
  while (Date.now() < Number(startAt)) await new Promise((r) => setImmediate(r))
  const paid = await orders.markPaid(orderId, PAYABLE_FROM, { transactionId: `tx-${who}`, paidAt: new Date().toISOString(), cashFen: 2000, via: 'notify' })
  let claimed = false
  try {
    await invoices.create(
      newInvoiceRecord({
        id: `INV-${who}`,
        openid: 'o1',
        clientToken: `tok-${who}`,
        source: 'single',
        title: { kind: 'personal', name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
        email: null,
        amountFen: 2000,
        orderIds: [orderId],
        cards: [],
        requestedAt: new Date().toISOString(),
      }),
      [{ orderId, cardNo: '3104000012345673' }],
    )
    claimed = true
  } catch (e) {
    if (!(e instanceof DuplicateKeyError)) throw e
  }
  process.stdout.write(JSON.stringify({ paid, claimed }))
  db.close()
}
race().catch((e) => {
  process.stderr.write(String(e))
  process.exit(1)
})
