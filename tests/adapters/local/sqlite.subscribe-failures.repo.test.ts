import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDb } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteSubscribeFailureRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.subscribe-failures.repo'
import { jsonLogger } from '../../../cloudfunctions/_core/runtime/logger'
import { createLocalRuntime, type LocalRuntime } from '../../../cloudfunctions/_core/wiring/local'
import { createStaffHandler } from '../../../cloudfunctions/staff/src/handler'

/**
 * Failed subscribe sends on the local cloud: counted per template, errcode and hour in SQLite
 * (sqlite.subscribe-failures.repo.ts) by the sender the local wiring hands every service (in
 * front of the subscribe sandbox), and shown by `staff health` for the last 24 hours.
 */
let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-subscribe-failures-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

it('counts failures per template, errcode and hour, the same bucket incremented in place', async () => {
  const db = openDb(path.join(dir, 'cloud.db'))
  try {
    const repo = sqliteSubscribeFailureRepo(db)
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repo.record({ templateKey: 'invoiceIssued', errcode: 43101, errmsg: `refuse ${i}`, at: new Date(Date.UTC(2026, 2, 1, 8, i)).toISOString() }),
      ),
    )
    await repo.record({ templateKey: 'invoiceIssued', errcode: 45009, errmsg: 'api limit', at: '2026-03-01T08:30:00.000Z' })
    await repo.record({ templateKey: 'afterSalesUpdate', errcode: 43101, errmsg: 'refuse', at: '2026-03-01T09:05:00.000Z' })
    await repo.record({ templateKey: 'afterSalesUpdate', errcode: 43101, errmsg: 'old', at: '2026-02-27T09:05:00.000Z' })
    expect((db.prepare('SELECT COUNT(*) AS n FROM subscribe_failures').get() as { n: number }).n).toBe(4)
    const since = await repo.since('2026-03-01T08')
    expect(since.map((b) => [b.templateKey, b.errcode, b.hour, b.count])).toEqual(
      [
        ['afterSalesUpdate', 43101, '2026-03-01T09', 1],
        ['invoiceIssued', 43101, '2026-03-01T08', 20],
        ['invoiceIssued', 45009, '2026-03-01T08', 1],
      ].sort((a, b) => String(a[2]).localeCompare(String(b[2])) || String(a[0]).localeCompare(String(b[0]))),
    )
    expect(since.find((b) => b.errcode === 43101 && b.templateKey === 'invoiceIssued')).toMatchObject({
      lastAt: '2026-03-01T08:19:00.000Z',
      lastErrmsg: 'refuse 19',
    })
    // two weeks on, the old hours are dropped as new failures come in
    await repo.record({ templateKey: 'invoiceIssued', errcode: 43101, errmsg: 'refuse', at: '2026-03-20T00:00:00.000Z' })
    expect((await repo.since('2000-01-01T00')).map((b) => b.hour)).toEqual(['2026-03-20T00'])
  } finally {
    db.close()
  }
})

describe('on the local wiring', () => {
  let runtime: LocalRuntime
  beforeEach(() => {
    runtime = createLocalRuntime({
      dataDir: dir,
      env: {},
      baseUrl: () => 'http://127.0.0.1:1',
      now: () => new Date(),
      deliverPayCallback: async () => ({ errcode: 0 }),
      log: jsonLogger(() => undefined),
      smtp: { host: '127.0.0.1', port: 1 },
    })
  })
  afterEach(() => runtime.close())

  it('counts what the subscribe sandbox refuses, and staff health shows it for the last 24 hours', async () => {
    const msg = {
      openid: 'oAlice0000000000000000000001',
      templateKey: 'invoiceIssued' as const,
      templateId: 'local-invoice-issued',
      page: 'pages/index/index',
      data: { thing1: { value: '发票已开具' } },
    }
    runtime.subscribe.failNext(2, 43101)
    expect(await runtime.deps.subscribe.send(msg)).toMatchObject({ ok: false, errcode: 43101 })
    expect(await runtime.deps.subscribe.send(msg)).toMatchObject({ ok: false, errcode: 43101 })
    expect(await runtime.deps.subscribe.send(msg)).toEqual({ ok: true })
    // a template id missing from the console configuration: 40037
    expect(await runtime.deps.subscribe.send({ ...msg, templateKey: 'afterSalesUpdate', templateId: '' })).toMatchObject({ ok: false, errcode: 40037 })

    const staff = createStaffHandler(runtime.deps)
    const r = (await staff({ action: 'health', operator: '张三' }, { openid: null, source: 'external', requestId: 'r1', clientIp: '127.0.0.1' })) as {
      ok: true
      data: any
    }
    expect(r.ok).toBe(true)
    expect(r.data.subscribe).toMatchObject({ failures: 3, lastErrorAt: expect.any(String) })
    expect(r.data.subscribe.templates).toEqual([
      expect.objectContaining({ templateKey: 'invoiceIssued', failures: 2, noQuota: 2, byErrcode: { '43101': 2 } }),
      expect.objectContaining({ templateKey: 'afterSalesUpdate', failures: 1, noQuota: 0, byErrcode: { '40037': 1 }, lastErrcode: 40037 }),
    ])
  })
})
