import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDb, type Db } from '../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteLedgerRepo } from '../../cloudfunctions/_core/adapters/local/sqlite.ledger.repo'
import { WX_INDEXES } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxLedgerRepo } from '../../cloudfunctions/_core/adapters/wx/wx.ledger.repo'
import { takeResendAllowance } from '../../cloudfunctions/_core/app/invoice.service'
import { loadConfig } from '../../cloudfunctions/_core/config'
import type { LedgerRepo } from '../../cloudfunctions/_core/ports/ledger.repo'
import { FakeWxCloud } from '../fakes/wx-cloud.fake'

/** The daily re-send caps hold under concurrent requests in both clouds (atomic counters, not a count of mails). */
let db: Db | null = null
afterEach(() => {
  db?.close()
  db = null
})

const adapters: [string, () => LedgerRepo][] = [
  [
    'sqlite',
    () => {
      db = openDb(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-resend-cap-')), 'cloud.db'))
      return sqliteLedgerRepo(db)
    },
  ],
  ['wx', () => wxLedgerRepo(new FakeWxCloud({ indexes: WX_INDEXES }).database())],
]

const config = loadConfig({ INVOICE_RESEND_MAX_PER_INVOICE_PER_DAY: '3', INVOICE_RESEND_MAX_PER_USER_PER_DAY: '4' })
// 2026-06-01 23:30 in China time: half an hour before the caps open again
const lateEvening = new Date('2026-06-01T15:30:00.000Z')
const nextMorning = new Date('2026-06-01T16:10:00.000Z')

const outcome = (p: Promise<void>) =>
  p.then(
    () => 'ok',
    (e: { code?: string; details?: { retryAfterSeconds?: number } }) => `${e.code}:${e.details?.retryAfterSeconds}`,
  )

describe.each(adapters)('%s re-send caps', (_name, make) => {
  it('lets exactly the per-invoice number through when all come at once, until the China-time day turns', async () => {
    const deps = { ledger: make(), config }
    const all = await Promise.all(Array.from({ length: 7 }, () => outcome(takeResendAllowance(deps, { id: 'INV1', openid: 'o1' }, lateEvening))))

    expect(all.filter((o) => o === 'ok')).toHaveLength(3)
    expect(all.filter((o) => o !== 'ok')).toEqual(Array(4).fill('INVOICE.RESEND_LIMIT:1800'))
    expect(await outcome(takeResendAllowance(deps, { id: 'INV1', openid: 'o1' }, nextMorning))).toBe('ok')
  })

  it("caps a person's re-sends across invoices and leaves another person alone", async () => {
    const deps = { ledger: make(), config }
    const mine = await Promise.all(
      ['INV1', 'INV1', 'INV2', 'INV2', 'INV3', 'INV3'].map((id) => outcome(takeResendAllowance(deps, { id, openid: 'o1' }, lateEvening))),
    )

    expect(mine.filter((o) => o === 'ok')).toHaveLength(4)
    expect(await outcome(takeResendAllowance(deps, { id: 'INV9', openid: 'o2' }, lateEvening))).toBe('ok')
  })
})
