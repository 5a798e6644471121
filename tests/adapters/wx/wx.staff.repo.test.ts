import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxOutboxRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.invoice.repo'
import { wxAuditRepo, wxStaffQueryRepo, wxStaffRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.staff.repo'
import { appendAudit, listAudit, verifyAuditChain } from '../../../cloudfunctions/_core/app/staff.service'
import { consoleActor } from '../../../cloudfunctions/_core/domain/staff'
import { DuplicateKeyError } from '../../../cloudfunctions/_core/ports/errors'
import type { Deps } from '../../../cloudfunctions/_core/runtime/deps'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

const ALICE = 'oAlice0000000000000000000001'
const BOB = 'oBob00000000000000000000000002'

let cloud: FakeWxCloud
beforeEach(() => {
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
})

const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined }
/** the part of Deps the audit functions use, over the fake */
const auditDeps = () => ({ audit: wxAuditRepo(cloud.database()), clock: { now: () => new Date('2026-03-01T08:00:00.000Z') }, log: quietLog }) as unknown as Deps

describe('wxStaffRepo', () => {
  it('grants, changes and revokes a role, one document per openid', async () => {
    const staff = wxStaffRepo(cloud.database())
    expect(await staff.find(ALICE)).toBeNull()
    await staff.put({ openid: ALICE, name: '李客服', role: 'viewer', grantedBy: '张三', grantedAt: '2026-03-01T00:00:00.000Z' })
    await staff.put({ openid: ALICE, name: '李客服', role: 'agent', grantedBy: '张三', grantedAt: '2026-03-02T00:00:00.000Z' })
    await staff.put({ openid: BOB, name: '王管理', role: 'admin', grantedBy: '张三', grantedAt: '2026-03-02T00:00:00.000Z' })
    expect(await staff.find(ALICE)).toEqual({ openid: ALICE, name: '李客服', role: 'agent', grantedBy: '张三', grantedAt: '2026-03-02T00:00:00.000Z' })
    expect(
      cloud.db
        .docs(WX_COLLECTIONS.staff)
        .map((d) => d._id)
        .sort(),
    ).toEqual([ALICE, BOB])
    expect((await staff.list()).map((m) => m.name)).toEqual(['李客服', '王管理'])
    // the same grant again is not an error
    await staff.put({ openid: BOB, name: '王管理', role: 'admin', grantedBy: '张三', grantedAt: '2026-03-02T00:00:00.000Z' })
    expect(await staff.remove(ALICE)).toBe(true)
    expect(await staff.remove(ALICE)).toBe(false)
    expect(await staff.find(ALICE)).toBeNull()
  })

  it('grants nothing for a role it does not know (a hand edit in the console)', async () => {
    await cloud
      .database()
      .collection(WX_COLLECTIONS.staff)
      .add({ data: { _id: ALICE, name: 'x', role: 'root' } })
    expect(await wxStaffRepo(cloud.database()).find(ALICE)).toBeNull()
  })

  it('two first grants at once end with one document', async () => {
    const staff = wxStaffRepo(cloud.database())
    await Promise.all(['viewer', 'agent'].map((role) => staff.put({ openid: ALICE, name: '李', role: role as 'viewer', grantedBy: 'x', grantedAt: 't' })))
    expect(cloud.db.docs(WX_COLLECTIONS.staff)).toHaveLength(1)
  })
})

describe('wxAuditRepo', () => {
  it('only ever adds: the chain place is the _id, a second writer on the same place is refused', async () => {
    const audit = wxAuditRepo(cloud.database())
    const rec = {
      seq: 1,
      id: 'AUD000000000001',
      at: '2026-03-01T00:00:00.000Z',
      operator: '张三',
      via: 'console',
      role: 'admin' as const,
      action: 'staff.grant',
      target: 'staff:x',
      reason: '入职',
      beforeDigest: null,
      afterDigest: 'abcdef0123456789',
      prevHash: '0'.repeat(64),
      hash: 'h1',
    }
    await audit.append(rec)
    await expect(audit.append({ ...rec, hash: 'h2' })).rejects.toBeInstanceOf(DuplicateKeyError)
    expect(cloud.db.writes.filter((w) => w.collection === WX_COLLECTIONS.audit).map((w) => w.op)).toEqual(['add'])
    expect(await audit.head()).toEqual({ seq: 1, hash: 'h1' })
    expect(Object.keys(audit).sort()).toEqual(['append', 'chain', 'head', 'list']) // reads, and one way to write: add
  })

  it('chains records written at the same time into one line, and the chain verifies', async () => {
    const deps = auditDeps()
    const actor = consoleActor('张三')
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        appendAudit(deps, actor, { action: 'ticket.reply', target: `ticket:T${i % 3}`, reason: null, before: { n: i }, after: { n: i + 1 } }),
      ),
    )
    const docs = cloud.db.docs(WX_COLLECTIONS.audit)
    expect(docs.map((d) => d.seq).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(new Set(docs.map((d) => d.prevHash)).size).toBe(8)
    expect(await verifyAuditChain(deps)).toEqual({ ok: true, checked: 8, brokenAt: null })
  })

  it('shows a record changed behind its back as a broken chain', async () => {
    const deps = auditDeps()
    const actor = consoleActor('张三')
    for (let i = 0; i < 3; i++)
      await appendAudit(deps, actor, { action: 'case.unmask', target: 'invoice:INV1', reason: '核对抬头', before: { i }, after: { i } })
    // someone with console access edits the reason of the second record
    await cloud
      .database()
      .collection(WX_COLLECTIONS.audit)
      .where({ _id: 'AUD000000000002' })
      .update({ data: { reason: '随便看看' } })
    expect(await verifyAuditChain(deps)).toEqual({ ok: false, checked: 3, brokenAt: 'AUD000000000002' })
  })

  it('lists newest first, keyset-paged, filtered by target, with openids masked', async () => {
    const deps = auditDeps()
    for (let i = 0; i < 5; i++) {
      const actor = i % 2 ? { name: '李客服', role: 'agent' as const, via: 'miniprogram' as const, viaId: ALICE } : consoleActor('张三')
      await appendAudit(deps, actor, { action: 'ticket.reply', target: `ticket:T${i % 2}`, reason: null, before: { i }, after: { i: i + 1 } })
    }
    const first = await listAudit(deps, { limit: 2 })
    expect(first.items.map((r) => r.id)).toEqual(['AUD000000000005', 'AUD000000000004'])
    expect(first.items[1].via).toBe('oAli****0001')
    expect(first.items[0].via).toBe('console')
    const second = await listAudit(deps, { limit: 2, cursor: first.nextCursor! })
    expect(second.items.map((r) => r.id)).toEqual(['AUD000000000003', 'AUD000000000002'])
    const third = await listAudit(deps, { limit: 2, cursor: second.nextCursor! })
    expect(third).toMatchObject({ items: [{ id: 'AUD000000000001' }], nextCursor: null })
    const t1 = await listAudit(deps, { target: 'ticket:T1' })
    expect(t1.items.map((r) => r.id)).toEqual(['AUD000000000004', 'AUD000000000002'])
    await expect(listAudit(deps, { cursor: 'bm9wZQ' })).rejects.toMatchObject({ code: 'COMMON.BAD_REQUEST' })
  })
})

describe('wxStaffQueryRepo', () => {
  it('finds failed and stuck invoices, oldest first, and never the issued or recent ones', async () => {
    const db = cloud.database()
    const inv = (id: string, status: string, requestedAt: string, phase = 'live') =>
      db.collection(WX_COLLECTIONS.invoices).add({ data: { _id: id, openid: ALICE, clientToken: `tok-${id}`, status, requestedAt, phase } })
    await inv('I1', 'failed', '2026-03-01T09:59:00.000Z')
    await inv('I2', 'issuing', '2026-03-01T09:00:00.000Z')
    await inv('I3', 'issuing', '2026-03-01T09:55:00.000Z') // recent: not stuck yet
    await inv('I4', 'issued', '2026-03-01T08:00:00.000Z')
    await inv('I5', 'requested', '2026-03-01T08:30:00.000Z')
    await inv('I6', 'failed', '2026-03-01T08:00:00.000Z', 'void') // being undone
    const q = wxStaffQueryRepo(db)
    expect(await q.stuckInvoices('2026-03-01T09:50:00.000Z', 10)).toEqual({ count: 3, ids: ['I5', 'I2', 'I1'] })
    expect(await q.stuckInvoices('2026-03-01T09:50:00.000Z', 1)).toEqual({ count: 3, ids: ['I5'] })
  })

  it('finds top-ups with an anomaly, newest first', async () => {
    const db = cloud.database()
    const order = (id: string, createdAt: string, anomaly: string | null) =>
      db.collection(WX_COLLECTIONS.orders).add({ data: { _id: id, openid: ALICE, clientToken: `tok-${id}`, createdAt, anomaly } })
    await order('O1', '2026-03-01T08:00:00.000Z', '回调金额 1000 与订单 2000 不符')
    await order('O2', '2026-03-01T09:00:00.000Z', null)
    await order('O3', '2026-03-01T10:00:00.000Z', '关闭后到账')
    await db.collection(WX_COLLECTIONS.orders).add({ data: { _id: 'O4', openid: ALICE, clientToken: 'tok-O4', createdAt: '2026-03-01T11:00:00.000Z' } })
    expect(await wxStaffQueryRepo(db).orderAnomalies(10)).toEqual({
      count: 2,
      items: [
        { id: 'O3', detail: '关闭后到账' },
        { id: 'O1', detail: '回调金额 1000 与订单 2000 不符' },
      ],
    })
  })

  it("finds an invoice by number, a card's top-ups of every owner newest first, and the unsent mail with its oldest", async () => {
    const db = cloud.database()
    await db.collection(WX_COLLECTIONS.invoices).add({ data: { _id: 'I1', openid: ALICE, clientToken: 'tok-I1', invoiceNo: '24420000000000000001' } })
    await db.collection(WX_COLLECTIONS.invoices).add({ data: { _id: 'I2', openid: ALICE, clientToken: 'tok-I2', invoiceNo: null } })
    const order = (id: string, openid: string, cardNo: string, createdAt: string) =>
      db.collection(WX_COLLECTIONS.orders).add({ data: { _id: id, openid, clientToken: `tok-${id}`, cardNo, createdAt } })
    await order('O1', ALICE, '3104000012345673', '2026-03-01T08:00:00.000Z')
    await order('O2', BOB, '3104000012345673', '2026-03-01T09:00:00.000Z')
    await order('O3', BOB, '3104000098765430', '2026-03-01T10:00:00.000Z')
    const q = wxStaffQueryRepo(db)
    expect(await q.invoiceIdsByNumber('24420000000000000001', 5)).toEqual(['I1'])
    expect(await q.invoiceIdsByNumber('24420000000000000009', 5)).toEqual([])
    expect(await q.orderIdsByCard('3104000012345673', 5)).toEqual(['O2', 'O1'])
    expect(await q.mailBacklog()).toEqual({ pending: 0, oldestCreatedAt: null })
    const outbox = wxOutboxRepo(db)
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
  openid: ALICE,
  to: 'a@example.com',
  kind: 'resend' as const,
  status: 'pending' as const,
  attempts: 0,
  nextAttemptAt: createdAt,
  lastError: null,
  createdAt,
  sentAt: null,
})
