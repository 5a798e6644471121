import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sqliteCorrectionRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.correction.repo'
import { openDb, type Db } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteInvoiceRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.invoice.repo'
import type { StoredCorrection } from '../../../cloudfunctions/_core/ports/correction.repo'
import { DuplicateKeyError } from '../../../cloudfunctions/_core/ports/errors'
import type { InvoiceRepo, StoredInvoice } from '../../../cloudfunctions/_core/ports/invoice.repo'
import { newInvoiceRecord } from '../../../cloudfunctions/_core/app/invoice-record'

/** The SQLite side of 换开: step 3 in one transaction, and the correction's unique keys. */
let db: Db
let invoices: InvoiceRepo
beforeEach(() => {
  db = openDb(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-corr-')), 'cloud.db'))
  invoices = sqliteInvoiceRepo(db)
})
afterEach(() => db.close())

const title = { kind: 'personal' as const, name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null }

function invoice(over: Partial<StoredInvoice>): StoredInvoice {
  return newInvoiceRecord({
    id: 'INV1',
    openid: 'o1',
    clientToken: `tok-${over.id ?? 'INV1'}`,
    source: 'single',
    title,
    email: null,
    amountFen: 7050,
    orderIds: ['O1', 'O2'],
    cards: [],
    requestedAt: '2026-06-01T00:00:00.000Z',
    ...over,
  })
}

const claims = () => db.prepare('SELECT order_id, invoice_id FROM invoice_orders ORDER BY order_id').all()

async function issuedBlueAndRed() {
  await invoices.create(invoice({}), [
    { orderId: 'O1', cardNo: '3104000012345673' },
    { orderId: 'O2', cardNo: '3104000012345673' },
  ])
  await invoices.update('INV1', ['requested'], { status: 'issued', invoiceNo: '26421000000000000001' })
  await invoices.create(
    invoice({ id: 'COR1-R', color: 'red', source: 'correction', originalId: 'INV1', correctionId: 'COR1', confirmationNo: '26429000000000000001' }),
    [],
  )
}

describe('sqliteInvoiceRepo.replace', () => {
  it('reverses the old invoice, creates the new one and moves every claim, in one step; a repeat answers already', async () => {
    await issuedBlueAndRed()
    expect(claims()).toEqual([
      { order_id: 'O1', invoice_id: 'INV1' },
      { order_id: 'O2', invoice_id: 'INV1' },
    ])
    const replacement = invoice({
      id: 'COR1-N',
      source: 'correction',
      originalId: 'INV1',
      correctionId: 'COR1',
      correctionCount: 1,
      title: { ...title, name: '李四' },
    })
    const input = { oldId: 'INV1', redId: 'COR1-R', replacement, correctionId: 'COR1', at: '2026-06-01T01:00:00.000Z' }
    expect(await invoices.replace(input)).toBe('replaced')
    expect(claims()).toEqual([
      { order_id: 'O1', invoice_id: 'COR1-N' },
      { order_id: 'O2', invoice_id: 'COR1-N' },
    ])
    expect(await invoices.findById('INV1')).toMatchObject({ reversedById: 'COR1-R', replacedById: 'COR1-N' })
    expect(await invoices.findById('COR1-N')).toMatchObject({ color: 'blue', correctionCount: 1, originalId: 'INV1', title: { name: '李四' } })
    expect((await invoices.findByOrderId('O1'))?.id).toBe('COR1-N')
    expect(await invoices.replace(input)).toBe('already')
    expect((await invoices.events('INV1')).filter((e) => e.type === 'reversed')).toHaveLength(1)
    await expect(invoices.replace({ ...input, redId: 'OTHER-R' })).rejects.toThrow(/reversed by/)
  })

  it('changes nothing when any part fails (the claims stay on the old invoice)', async () => {
    await issuedBlueAndRed()
    // a replacement that does not carry exactly the old invoice's orders is refused mid-way
    const wrong = invoice({ id: 'COR1-N', orderIds: ['O1'], source: 'correction' })
    await expect(
      invoices.replace({ oldId: 'INV1', redId: 'COR1-R', replacement: wrong, correctionId: 'COR1', at: '2026-06-01T01:00:00.000Z' }),
    ).rejects.toThrow()
    expect(await invoices.findById('INV1')).toMatchObject({ reversedById: null, replacedById: null })
    expect(await invoices.findById('COR1-N')).toBeNull()
    expect(claims()).toEqual([
      { order_id: 'O1', invoice_id: 'INV1' },
      { order_id: 'O2', invoice_id: 'INV1' },
    ])
  })

  it('never reverses an invoice that is not issued', async () => {
    await invoices.create(invoice({}), [{ orderId: 'O1', cardNo: '3104000012345673' }])
    const replacement = invoice({ id: 'COR1-N', orderIds: ['O1'] })
    await expect(invoices.replace({ oldId: 'INV1', redId: 'COR1-R', replacement, correctionId: 'COR1', at: '2026-06-01T01:00:00.000Z' })).rejects.toThrow(
      /cannot be reversed/,
    )
    expect(await invoices.findById('COR1-N')).toBeNull()
  })
})

describe('sqliteCorrectionRepo', () => {
  const correction = (over: Partial<StoredCorrection>): StoredCorrection => ({
    id: 'COR1',
    openid: 'o1',
    invoiceId: 'INV1',
    clientToken: 'tok-1',
    status: 'requested',
    activeKey: 'INV1',
    reasonCode: '01',
    oldTitle: title,
    newTitle: { ...title, name: '李四' },
    email: null,
    buyerBooked: true,
    by: 'staff',
    confirmationNo: null,
    confirmDeadline: null,
    redInvoiceId: null,
    newInvoiceId: null,
    failure: null,
    nextCheckAt: null,
    requestedAt: '2026-06-01T00:00:00.000Z',
    updatedAt: '2026-06-01T00:00:00.000Z',
    ...over,
  })

  it('keeps one correction in progress per invoice and one per clientToken', async () => {
    const repo = sqliteCorrectionRepo(db)
    await repo.create(correction({}))
    await expect(repo.create(correction({ id: 'COR2', clientToken: 'tok-2' }))).rejects.toEqual(new DuplicateKeyError('activeKey'))
    await expect(repo.create(correction({ id: 'COR3', invoiceId: 'INV9', activeKey: 'INV9' }))).rejects.toEqual(new DuplicateKeyError('clientToken'))
    expect(await repo.findById('COR1')).toMatchObject({ buyerBooked: true, by: 'staff', newTitle: { name: '李四' } })
    expect(await repo.update('COR1', ['requested'], { status: 'awaiting_buyer', nextCheckAt: '2026-06-01T00:10:00.000Z' })).toBe(true)
    expect(await repo.due('2026-06-01T00:05:00.000Z', 10)).toEqual([])
    expect((await repo.due('2026-06-01T00:10:00.000Z', 10)).map((c) => c.id)).toEqual(['COR1'])
    expect(await repo.update('COR1', ['requested'], { status: 'refused' })).toBe(false)
    expect(await repo.update('COR1', ['awaiting_buyer'], { status: 'refused', activeKey: 'COR1' })).toBe(true)
    expect(await repo.findActive('INV1')).toBeNull()
    await repo.create(correction({ id: 'COR2', clientToken: 'tok-2' }))
    expect((await repo.listByStatus(['refused', 'requested'], 10)).map((c) => c.id).sort()).toEqual(['COR1', 'COR2'])
  })
})
