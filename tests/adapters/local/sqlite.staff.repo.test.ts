import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDb, type Db } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteOutboxRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.invoice.repo'
import { sqliteAuditRepo, sqliteStaffQueryRepo, sqliteStaffRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.staff.repo'
import { appendAudit, staffAuditVerify, verifyAuditChain } from '../../../cloudfunctions/_core/app/staff.service'
import { consoleActor } from '../../../cloudfunctions/_core/domain/staff'
import type { Deps } from '../../../cloudfunctions/_core/runtime/deps'

let db: Db
let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-staff-'))
  db = openDb(path.join(dir, 'cloud.db'))
})
afterEach(() => {
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined }
const auditDeps = () => ({ audit: sqliteAuditRepo(db), clock: { now: () => new Date('2026-03-01T08:00:00.000Z') }, log: quietLog }) as unknown as Deps

describe('sqliteStaffRepo', () => {
  it('grants, changes and revokes one role per openid', async () => {
    const staff = sqliteStaffRepo(db)
    await staff.put({ openid: 'o1', name: '李客服', role: 'viewer', grantedBy: '张三', grantedAt: 't1' })
    await staff.put({ openid: 'o1', name: '李客服', role: 'admin', grantedBy: '王五', grantedAt: 't2' })
    expect(await staff.find('o1')).toEqual({ openid: 'o1', name: '李客服', role: 'admin', grantedBy: '王五', grantedAt: 't2' })
    expect(await staff.list()).toHaveLength(1)
    expect(await staff.remove('o1')).toBe(true)
    expect(await staff.remove('o1')).toBe(false)
    expect(await staff.find('o1')).toBeNull()
  })
})

describe('sqliteAuditRepo', () => {
  it('refuses to change or delete a record, whoever holds the database file', async () => {
    const deps = auditDeps()
    await appendAudit(deps, consoleActor('张三'), { action: 'staff.grant', target: 'staff:o1', reason: '入职', before: null, after: { role: 'agent' } })
    expect(() => db.prepare("UPDATE staff_audit SET reason = '改了'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM staff_audit').run()).toThrow(/append-only/)
    expect(db.prepare('SELECT reason FROM staff_audit').get()).toEqual({ reason: '入职' })
  })

  it('keeps concurrent appends in one chain that verifies', async () => {
    const deps = auditDeps()
    const actor = consoleActor('张三')
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        appendAudit(deps, actor, { action: 'ticket.reply', target: `ticket:T${i}`, reason: null, before: { i }, after: { i: i + 1 } }),
      ),
    )
    const rows = db.prepare('SELECT seq, prev_hash, hash FROM staff_audit ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[]
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash)
    expect(await verifyAuditChain(deps)).toEqual({ ok: true, checked: 10, brokenAt: null })
  })

  it('auditVerify walks the chain in pages in storage order, and finds an edit and a removal by someone with the file', async () => {
    const deps = auditDeps()
    for (let i = 0; i < 205; i++)
      await appendAudit(deps, consoleActor('张三'), { action: 'case.unmask', target: `invoice:I${i}`, reason: '核对', before: null, after: null })
    const pages: number[] = []
    const repo = sqliteAuditRepo(db)
    for (let after: string | null = null, first = true; first || after !== null; first = false) {
      const page = await repo.chain({ after, limit: 100 })
      pages.push(page.records.length)
      after = page.next
    }
    expect(pages).toEqual([100, 100, 5])
    expect(await staffAuditVerify(deps)).toMatchObject({ ok: true, checked: 205, head: { seq: 205 }, problems: [] })
    db.exec('DROP TRIGGER staff_audit_no_update; DROP TRIGGER staff_audit_no_delete')
    db.prepare("UPDATE staff_audit SET reason = '随便看看' WHERE seq = 150").run()
    db.prepare('DELETE FROM staff_audit WHERE seq = 180').run()
    const v = await staffAuditVerify(deps)
    expect(v).toMatchObject({ ok: false, checked: 204, firstBadSeq: 150 })
    expect(v.problems.map((p) => [p.seq, p.kind])).toEqual([
      [150, 'hash'],
      [181, 'gap'],
      [181, 'link'],
    ])
  })

  it('records digests of the state before and after, 16 hex each, and none where there was no state', async () => {
    const rec = await appendAudit(auditDeps(), consoleActor('张三'), {
      action: 'staff.grant',
      target: 'staff:o1',
      reason: '入职',
      before: null,
      after: { b: 1, a: 2 },
    })
    expect(rec).toMatchObject({ beforeDigest: null, afterDigest: expect.stringMatching(/^[0-9a-f]{16}$/) })
    const same = await appendAudit(auditDeps(), consoleActor('张三'), { action: 'x', target: 't', reason: null, before: { a: 2, b: 1 }, after: { a: 2, b: 1 } })
    expect(same!.beforeDigest).toBe(rec!.afterDigest)
    expect(same!.afterDigest).toBe(rec!.afterDigest)
  })

  it('writes nothing for a retried action that changed nothing', async () => {
    const deps = auditDeps()
    expect(
      await appendAudit(deps, consoleActor('张三'), { action: 'x', target: 't', reason: null, before: { s: 1 }, after: { s: 1 }, onlyIfChanged: true }),
    ).toBeNull()
    expect(db.prepare('SELECT COUNT(*) AS n FROM staff_audit').get()).toEqual({ n: 0 })
  })
})

describe('sqliteStaffQueryRepo', () => {
  it('counts and lists stuck invoices and order anomalies by id', async () => {
    const q = sqliteStaffQueryRepo(db)
    expect(await q.stuckInvoices('2026-03-01T09:50:00.000Z', 10)).toEqual({ count: 0, ids: [] })
    expect(await q.orderAnomalies(10)).toEqual({ count: 0, items: [] })
  })

  it('counts the unsent invoice e-mails and names the oldest', async () => {
    const q = sqliteStaffQueryRepo(db)
    expect(await q.mailBacklog()).toEqual({ pending: 0, oldestCreatedAt: null })
    const outbox = sqliteOutboxRepo(db)
    await outbox.add(mailItem('M1', '2026-03-01T09:00:00.000Z'))
    await outbox.add(mailItem('M2', '2026-03-01T08:00:00.000Z'))
    await outbox.add(mailItem('M3', '2026-03-01T07:00:00.000Z'))
    await outbox.markSent('M3', '2026-03-01T07:01:00.000Z')
    expect(await q.mailBacklog()).toEqual({ pending: 2, oldestCreatedAt: '2026-03-01T08:00:00.000Z' })
  })
})

const mailItem = (id: string, createdAt: string) => ({
  id,
  invoiceId: `INV-${id}`,
  openid: 'oAlice0000000000000000000001',
  to: 'a@example.com',
  kind: 'resend' as const,
  status: 'pending' as const,
  attempts: 0,
  nextAttemptAt: createdAt,
  lastError: null,
  createdAt,
  sentAt: null,
})
