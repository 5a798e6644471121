import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDb, type Db } from '../../cloudfunctions/_core/adapters/local/sqlite.db'
import { QUOTA_MAX, sqliteQuotaRepo } from '../../cloudfunctions/_core/adapters/local/sqlite.quota.repo'

const tick = () => new Promise<void>((r) => setImmediate(r))
const dbs: Db[] = []
const open = (file = ':memory:') => {
  const db = openDb(file)
  dbs.push(db)
  return db
}
afterAll(() => dbs.forEach((d) => d.close()))

describe('subscribe quota in SQLite: one accept = one message', () => {
  it('starts at zero for every template and counts accepts per template', async () => {
    const q = sqliteQuotaRepo(open())
    expect(await q.get('oUser1')).toEqual({ invoiceIssued: 0, invoiceFailed: 0, afterSalesUpdate: 0, invoiceReminder: 0 })
    expect(await q.add('oUser1', 'invoiceIssued', 2)).toBe(2)
    expect(await q.add('oUser1', 'invoiceIssued', 1)).toBe(3)
    expect(await q.add('oUser1', 'invoiceFailed', 1)).toBe(1)
    expect(await q.get('oUser1')).toEqual({ invoiceIssued: 3, invoiceFailed: 1, afterSalesUpdate: 0, invoiceReminder: 0 })
    expect(await q.get('oSomeoneElse')).toEqual({ invoiceIssued: 0, invoiceFailed: 0, afterSalesUpdate: 0, invoiceReminder: 0 })
  })

  it('takes one message at a time and answers false when none is left', async () => {
    const q = sqliteQuotaRepo(open())
    expect(await q.take('oUser1', 'invoiceIssued')).toBe(false)
    await q.add('oUser1', 'invoiceIssued', 1)
    expect(await q.take('oUser1', 'invoiceIssued')).toBe(true)
    expect(await q.take('oUser1', 'invoiceIssued')).toBe(false)
    expect((await q.get('oUser1')).invoiceIssued).toBe(0)
  })

  it('never goes below zero under 50 concurrent takes from two connections', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-quota-')), 'cloud.db')
    const a = sqliteQuotaRepo(open(file))
    const b = sqliteQuotaRepo(open(file))
    await a.add('oBusy', 'invoiceIssued', 7)
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await tick()
        return (i % 2 ? a : b).take('oBusy', 'invoiceIssued')
      }),
    )
    expect(results.filter(Boolean)).toHaveLength(7)
    expect((await a.get('oBusy')).invoiceIssued).toBe(0)
  })

  it('gives back one message when the send failed before WeChat used it', async () => {
    const q = sqliteQuotaRepo(open())
    await q.add('oUser1', 'invoiceIssued', 1)
    expect(await q.take('oUser1', 'invoiceIssued')).toBe(true)
    await q.giveBack('oUser1', 'invoiceIssued')
    expect((await q.get('oUser1')).invoiceIssued).toBe(1)
  })

  it('clears a template after WeChat answered 43101, leaving the others', async () => {
    const q = sqliteQuotaRepo(open())
    await q.add('oUser1', 'invoiceIssued', 5)
    await q.add('oUser1', 'invoiceFailed', 2)
    await q.clear('oUser1', 'invoiceIssued')
    expect(await q.get('oUser1')).toEqual({ invoiceIssued: 0, invoiceFailed: 2, afterSalesUpdate: 0, invoiceReminder: 0 })
    await q.clear('oNobody', 'invoiceIssued')
    expect(await q.take('oUser1', 'invoiceIssued')).toBe(false)
  })

  it('caps accumulated quota, also for give-backs', async () => {
    const q = sqliteQuotaRepo(open())
    expect(await q.add('oUser1', 'invoiceIssued', 40)).toBe(40)
    expect(await q.add('oUser1', 'invoiceIssued', 40)).toBe(QUOTA_MAX)
    await q.giveBack('oUser1', 'invoiceIssued')
    expect((await q.get('oUser1')).invoiceIssued).toBe(QUOTA_MAX)
    const small = sqliteQuotaRepo(open(), { max: 3 })
    expect(await small.add('oUser1', 'invoiceFailed', 10)).toBe(3)
  })

  it('refuses nonsense counts and unknown templates', async () => {
    const q = sqliteQuotaRepo(open())
    await expect(q.add('oUser1', 'invoiceIssued', -1)).rejects.toThrow()
    await expect(q.add('oUser1', 'invoiceIssued', 1.5)).rejects.toThrow()
    await expect(q.add('oUser1', 'nope' as never, 1)).rejects.toThrow()
    await expect(q.take('', 'invoiceIssued')).rejects.toThrow()
  })

  it('keeps the quota in the shared database file across reopen', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-quota-')), 'cloud.db')
    const first = open(file)
    await sqliteQuotaRepo(first).add('oUser1', 'invoiceIssued', 2)
    first.close()
    dbs.splice(dbs.indexOf(first), 1)
    expect((await sqliteQuotaRepo(open(file)).get('oUser1')).invoiceIssued).toBe(2)
  })
})
