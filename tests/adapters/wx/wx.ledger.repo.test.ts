import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDb } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteInvoiceRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.invoice.repo'
import { sqliteLedgerRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.ledger.repo'
import { FsStorage } from '../../../cloudfunctions/_core/adapters/local/fs.storage'
import { wxInvoiceRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.invoice.repo'
import { WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxLedgerRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.ledger.repo'
import { wxStorage } from '../../../cloudfunctions/_core/adapters/wx/wx.storage'
import { newInvoiceRecord } from '../../../cloudfunctions/_core/app/invoice-record'
import { DuplicateKeyError } from '../../../cloudfunctions/_core/ports/errors'
import type { InvoiceRepo } from '../../../cloudfunctions/_core/ports/invoice.repo'
import type { LedgerRepo, StoredExport } from '../../../cloudfunctions/_core/ports/ledger.repo'
import type { StoragePort } from '../../../cloudfunctions/_core/ports/storage.port'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

/**
 * The ledger repository (export jobs, rate-limit counters, the SHA-256 lookup of 验真) and the
 * storage's streamed upload, the same contract over both clouds: SQLite on disk and the
 * WeChat-cloud adapter over the fake (which enforces the unique indexes of wx.indexes.ts).
 */
const job = (over: Partial<StoredExport> = {}): StoredExport => ({
  id: 'EXP1',
  openid: 'o1',
  clientToken: 'tok-1',
  status: 'queued',
  selection: { kind: 'ids', invoiceIds: ['INV1'] },
  email: null,
  total: 1,
  done: 0,
  zipFileId: null,
  zipBytes: null,
  zipSha256: null,
  mail: null,
  error: null,
  attempts: 0,
  createdAt: '2026-06-01T00:00:00.000Z',
  finishedAt: null,
  leaseUntil: null,
  ...over,
})

const invoice = (id: string) =>
  newInvoiceRecord({
    id,
    openid: 'o1',
    clientToken: `tok-${id}`,
    source: 'single',
    title: { kind: 'personal', name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
    email: null,
    amountFen: 5000,
    orderIds: [`O-${id}`],
    cards: [{ cardNo: '3104000012345673', nickname: '卡' }],
    requestedAt: '2026-06-01T00:00:00.000Z',
  })

interface Cloud {
  ledger: LedgerRepo
  invoices: InvoiceRepo
  storage: StoragePort
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-ledger-repo-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))
let n = 0

const clouds: [string, () => Cloud][] = [
  [
    'SQLite',
    () => {
      const db = openDb(path.join(tmp, `c${++n}.db`))
      const storage = new FsStorage(path.join(tmp, `s${n}`), { envId: 'local', baseUrl: () => 'http://x', secret: Buffer.from('s') })
      return { ledger: sqliteLedgerRepo(db), invoices: sqliteInvoiceRepo(db), storage }
    },
  ],
  [
    'WeChat cloud (fake)',
    () => {
      const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
      const db = cloud.database()
      return { ledger: wxLedgerRepo(db), invoices: wxInvoiceRepo(db), storage: wxStorage(cloud) }
    },
  ],
]

describe.each(clouds)('ledger repository over %s', (_name, make) => {
  let c: Cloud
  beforeEach(() => {
    c = make()
  })

  it('keeps one export per owner and clientToken, and finds it again', async () => {
    await c.ledger.createExport(job())
    await expect(c.ledger.createExport(job({ id: 'EXP2' }))).rejects.toEqual(new DuplicateKeyError('clientToken'))
    await c.ledger.createExport(job({ id: 'EXP3', openid: 'o2' })) // another person may use the same token
    expect(await c.ledger.findExportByToken('o1', 'tok-1')).toEqual(job())
    expect(await c.ledger.findExport('EXP2')).toBeNull()
    await c.ledger.createExport(job({ id: 'EXP4', clientToken: 'tok-2', createdAt: '2026-06-02T00:00:00.000Z' }))
    expect((await c.ledger.listExports('o1', 10)).map((j) => j.id)).toEqual(['EXP4', 'EXP1'])
  })

  it('moves a job only from the given states and only when no live lease holds it', async () => {
    await c.ledger.createExport(job())
    const at = '2026-06-01T00:00:00.000Z'
    expect(await c.ledger.updateExport('EXP1', ['queued'], { status: 'running', leaseUntil: '2026-06-01T00:02:00.000Z' }, { leaseFreeAt: at })).toBe(true)
    // a second runner, while the lease lives
    expect(
      await c.ledger.updateExport('EXP1', ['running'], { status: 'running', attempts: 2, leaseUntil: '2026-06-01T00:04:00.000Z' }, { leaseFreeAt: at }),
    ).toBe(false)
    // after it ran out
    expect(
      await c.ledger.updateExport(
        'EXP1',
        ['running'],
        { status: 'running', attempts: 2, leaseUntil: '2026-06-01T00:06:00.000Z' },
        { leaseFreeAt: '2026-06-01T00:03:00.000Z' },
      ),
    ).toBe(true)
    expect(await c.ledger.updateExport('EXP1', ['queued'], { status: 'failed' })).toBe(false)
    expect(await c.ledger.updateExport('EXP1', ['running'], { status: 'done', done: 1, zipFileId: 'f', zipBytes: 10, zipSha256: 'ab', leaseUntil: null })).toBe(
      true,
    )
    expect(await c.ledger.findExport('EXP1')).toMatchObject({ status: 'done', done: 1, attempts: 2, zipFileId: 'f', zipBytes: 10, leaseUntil: null })
  })

  it('counts calls per key atomically, each key on its own', async () => {
    const counts = await Promise.all(Array.from({ length: 5 }, () => c.ledger.hit('verify|o1|w1', '2026-06-01T00:00:00.000Z')))
    expect([...counts].sort()).toEqual([1, 2, 3, 4, 5])
    expect(await c.ledger.hit('verify|o1|w2', '2026-06-01T01:00:00.000Z')).toBe(1)
  })

  it('finds issued invoices by the SHA-256 of their PDF, XML or OFD', async () => {
    for (const id of ['INV1', 'INV2']) await c.invoices.create(invoice(id), [{ orderId: `O-${id}`, cardNo: '3104000012345673' }])
    await c.invoices.update('INV1', ['requested'], {
      status: 'issued',
      invoiceNo: '26421000000000000001',
      pdfSha256: 'a'.repeat(64),
      xmlSha256: 'b'.repeat(64),
    })
    await c.invoices.update('INV2', ['requested'], { pdfSha256: 'c'.repeat(64) }) // not issued
    expect(await c.ledger.invoiceIdsBySha256('a'.repeat(64), 5)).toEqual(['INV1'])
    expect(await c.ledger.invoiceIdsBySha256('b'.repeat(64), 5)).toEqual(['INV1'])
    expect(await c.ledger.invoiceIdsBySha256('c'.repeat(64), 5)).toEqual([])
    expect(await c.ledger.invoiceIdsBySha256('d'.repeat(64), 5)).toEqual([])
  })

  it('uploads a file from disk as a stream, byte for byte', async () => {
    const file = path.join(tmp, `big${++n}.bin`)
    const content = Buffer.alloc(3 * 1024 * 1024, 7)
    content.write('发票导出', 1000)
    fs.writeFileSync(file, content)
    const { fileID } = await c.storage.uploadFile({ cloudPath: 'users/o1/exports/EXP1.zip', localPath: file })
    expect((await c.storage.download(fileID)).equals(content)).toBe(true)
    await expect(c.storage.uploadFile({ cloudPath: '../x.zip', localPath: file })).rejects.toThrow('STORAGE_INVALID_PATH')
  })
})
