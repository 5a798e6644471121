import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDb } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteInvoiceRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.invoice.repo'
import { newInvoiceRecord } from '../../../cloudfunctions/_core/app/invoice-record'

/** The OFD original's columns: a migration appended to an existing database, and the update whitelist. */
const OFD = { ofdFileId: 'cloud://local.local-bucket/users/o1/invoices/26421000000000000001.ofd', ofdSha256: 'cd'.repeat(32), ofdBytes: 2048 }

const invoice = () =>
  newInvoiceRecord({
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

it('adds the OFD columns to a database made before them, keeping its invoices (read as no OFD)', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-ofd-')), 'cloud.db')
  // a database at the version before the OFD migration, holding an issued invoice
  let db = openDb(file)
  const current = db.pragma('user_version', { simple: true }) as number
  const repo = sqliteInvoiceRepo(db)
  await repo.create(invoice(), [{ orderId: 'O1', cardNo: '3104000012345673' }])
  expect(await repo.update('INV1', ['requested'], { status: 'issued', invoiceNo: '26421000000000000001', pdfSha256: 'ab'.repeat(32) })).toBe(true)
  // undo what the migrations after the OFD one added (notices; lease owners), newest first
  const later = [
    'DROP TABLE subscribe_failures',
    'DROP TABLE batch_items; DROP TABLE batch_jobs; ALTER TABLE cards DROP COLUMN group_label',
    'DROP INDEX invoices_ofd_sha256; DROP INDEX invoices_xml_sha256; DROP INDEX invoices_pdf_sha256; DROP TABLE rate_counters; DROP TABLE export_jobs',
    'DROP TABLE sms_outbox; DROP TABLE sms_codes; DROP TABLE sms_contacts; DROP TABLE invoice_reminders',
    'ALTER TABLE mail_outbox DROP COLUMN lease_owner; ALTER TABLE invoices DROP COLUMN lease_owner',
    'DROP TABLE notices',
  ]
  for (const undo of later) db.exec(undo)
  for (const col of ['ofd_file_id', 'ofd_sha256', 'ofd_bytes']) db.exec(`ALTER TABLE invoices DROP COLUMN ${col}`)
  db.pragma(`user_version = ${current - 1 - later.length}`)
  db.close()

  db = openDb(file)
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(current)
    const cols = (db.prepare('PRAGMA table_info(invoices)').all() as { name: string }[]).map((c) => c.name)
    expect(cols).toEqual(expect.arrayContaining(['ofd_file_id', 'ofd_sha256', 'ofd_bytes']))
    const again = sqliteInvoiceRepo(db)
    expect(await again.findById('INV1')).toMatchObject({
      status: 'issued',
      invoiceNo: '26421000000000000001',
      ofdFileId: null,
      ofdSha256: null,
      ofdBytes: null,
    })

    // the OFD fields may be written like the PDF's and XML's, conditionally on the status
    expect(await again.update('INV1', ['issuing'], OFD)).toBe(false)
    expect(await again.update('INV1', ['issued'], OFD)).toBe(true)
    expect(await again.findById('INV1')).toMatchObject(OFD)
    await expect(again.update('INV1', ['issued'], { openid: 'o2' })).rejects.toThrow(/openid cannot be updated/)
  } finally {
    db.close()
  }
})
