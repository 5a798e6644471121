import { wxApplicationRepo, wxNoticeOutboxRepo, wxPaperRepo, wxTicketRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.aftersales.repo'
import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxOrderRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.order.repo'
import type {
  ApplicationRepo,
  NoticeItem,
  NoticeOutboxRepo,
  PaperRepo,
  StoredApplication,
  StoredPaperRequest,
  StoredTicket,
  TicketRepo,
} from '../../../cloudfunctions/_core/ports/aftersales.repo'
import { DuplicateKeyError } from '../../../cloudfunctions/_core/ports/errors'
import type { StoredOrder } from '../../../cloudfunctions/_core/ports/order.repo'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

const ALICE = 'oAlice0000000000000000000001'
const BOB = 'oBob00000000000000000000000002'

let cloud: FakeWxCloud
let apps: ApplicationRepo
let paper: PaperRepo
let tickets: TicketRepo
let notices: NoticeOutboxRepo
beforeEach(() => {
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  const db = cloud.database()
  apps = wxApplicationRepo(db)
  paper = wxPaperRepo(db)
  tickets = wxTicketRepo(db)
  notices = wxNoticeOutboxRepo(db)
})

let n = 0
const at = (i: number) => new Date(Date.UTC(2026, 2, 1, 0, 0, i)).toISOString()
const TITLE = { kind: 'personal' as const, name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null }

function application(over: Partial<StoredApplication> = {}): StoredApplication {
  const i = ++n
  return {
    id: `APP${String(i).padStart(4, '0')}`,
    openid: ALICE,
    clientToken: `token-${i}`,
    type: 'supplement',
    status: 'submitted',
    titleId: 't1',
    title: TITLE,
    email: null,
    orderIds: [],
    invoiceId: null,
    offPlatform: [{ cardNo: '3104000012345673', date: '2025-01-02', amountFen: 5000, channel: 'machine' }],
    note: null,
    photoFileIds: [],
    contactPhone: '13812345678',
    rejectReason: null,
    approvedOrderIds: [],
    approvedOffPlatform: [],
    resultInvoiceIds: [],
    correctionId: null,
    decidedBy: null,
    timeline: [{ at: at(i), status: 'submitted', text: '已提交', by: 'user' }],
    rev: 0,
    createdAt: at(i),
    updatedAt: at(i),
    ...over,
  }
}

function paperRequest(over: Partial<StoredPaperRequest> = {}): StoredPaperRequest {
  const i = ++n
  return {
    id: `PAP${String(i).padStart(4, '0')}`,
    openid: ALICE,
    clientToken: `ptoken-${i}`,
    invoiceId: 'INV1',
    invoiceNo: '26420000000000000001',
    status: 'requested',
    activeKey: 'INV1',
    address: { recipient: '张三', phone: '13912345678', province: '湖北省', city: '武汉市', district: '江汉区', detail: '建设大道 1 号', postalCode: null },
    carrier: null,
    trackingNo: null,
    returnReason: null,
    timeline: [],
    rev: 0,
    createdAt: at(i),
    updatedAt: at(i),
    ...over,
  }
}

function ticketOf(over: Partial<StoredTicket> = {}): StoredTicket {
  const i = ++n
  return {
    id: `TKT${String(i).padStart(4, '0')}`,
    openid: ALICE,
    clientToken: `ttoken-${i}`,
    category: 'invoice_missing',
    status: 'open',
    orderId: null,
    invoiceId: null,
    contactPhone: null,
    messages: [{ from: 'user', text: '没收到', at: at(i), photoFileIds: [] }],
    rating: null,
    closeReason: null,
    closedBy: null,
    rev: 0,
    createdAt: at(i),
    updatedAt: at(i),
    ...over,
  }
}

describe('wx application repo', () => {
  it('stores a record whole and refuses a reused clientToken', async () => {
    const a = application()
    await apps.insert(a)
    expect(await apps.findById(a.id)).toEqual(a)
    expect(await apps.findByClientToken(ALICE, a.clientToken)).toEqual(a)
    await expect(apps.insert(application({ clientToken: a.clientToken }))).rejects.toEqual(new DuplicateKeyError('clientToken'))
    // the same token of another person is theirs
    await apps.insert(application({ openid: BOB, clientToken: a.clientToken }))
    expect(cloud.db.docs(WX_COLLECTIONS.applications)).toHaveLength(2)
  })

  it('pages a person newest first past 100 documents, and counts by status', async () => {
    for (let i = 0; i < 105; i++) await apps.insert(application({ status: i % 3 === 0 ? 'done' : 'submitted' }))
    await apps.insert(application({ openid: BOB }))
    const first = await apps.listByOwner(ALICE, { limit: 60 })
    const last = first[first.length - 1]
    const second = await apps.listByOwner(ALICE, { limit: 60, cursor: { createdAt: last.createdAt, id: last.id } })
    const all = [...first, ...second]
    expect(all).toHaveLength(105)
    expect(new Set(all.map((a) => a.id)).size).toBe(105)
    expect(all.map((a) => a.createdAt)).toEqual([...all.map((a) => a.createdAt)].sort().reverse())
    expect(await apps.countByOwner(ALICE, ['done'])).toBe(35)
    expect(await apps.countByStatus(['submitted'])).toBe(71)
    const queue = await apps.listByStatus(['submitted'], 150)
    expect(queue).toHaveLength(71)
    expect(queue[0].createdAt <= queue[70].createdAt).toBe(true)
  })

  it('updates conditionally on status and revision: of racing writers from one revision exactly one wins, and the timeline keeps every entry', async () => {
    const a = application()
    await apps.insert(a)
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        apps.update(
          a.id,
          { from: ['submitted'], rev: 0 },
          { status: 'in_review', updatedAt: at(100 + i) },
          { at: at(100 + i), status: 'in_review', text: `审核 ${i}`, by: 'staff' },
        ),
      ),
    )
    expect(results.filter(Boolean)).toHaveLength(1)
    const after = (await apps.findById(a.id))!
    expect(after.rev).toBe(1)
    expect(after.timeline.map((e) => e.status)).toEqual(['submitted', 'in_review'])
    // wrong status or stale revision: nothing changes
    expect(await apps.update(a.id, { from: ['submitted'], rev: 1 }, { status: 'withdrawn' })).toBe(false)
    expect(await apps.update(a.id, { from: ['in_review'], rev: 0 }, { status: 'approved' })).toBe(false)
    // object fields are replaced whole, not merged
    expect(await apps.update(a.id, { from: ['in_review'], rev: 1 }, { status: 'approved', approvedOffPlatform: [], approvedOrderIds: ['OPX'] })).toBe(true)
    const approved = (await apps.findById(a.id))!
    expect(approved).toMatchObject({ status: 'approved', rev: 2, approvedOrderIds: ['OPX'], approvedOffPlatform: [] })
    expect(approved.timeline).toHaveLength(2)
  })
})

describe('wx paper repo', () => {
  it('holds one active request per invoice, whatever the race, and frees the slot when it ends', async () => {
    const racing = await Promise.allSettled(Array.from({ length: 6 }, () => paper.insert(paperRequest())))
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of racing.filter((x) => x.status === 'rejected')) expect(r.reason).toEqual(new DuplicateKeyError('activeKey'))
    const active = (await paper.activeForInvoice('INV1'))!
    expect(active.status).toBe('requested')
    expect(await paper.activeForInvoice('INV2')).toBeNull()
    await expect(paper.insert(paperRequest({ clientToken: active.clientToken, invoiceId: 'INV2', activeKey: 'INV2' }))).rejects.toEqual(
      new DuplicateKeyError('clientToken'),
    )

    expect(
      await paper.update(
        active.id,
        { from: ['requested'], rev: 0 },
        { status: 'cancelled', activeKey: active.id },
        { at: at(1), status: 'cancelled', text: '取消', by: 'user' },
      ),
    ).toBe(true)
    expect(await paper.activeForInvoice('INV1')).toBeNull()
    const next = paperRequest()
    await paper.insert(next)
    expect((await paper.activeForInvoice('INV1'))!.id).toBe(next.id)
    expect(await paper.countByOwner(ALICE, ['requested', 'printed', 'mailed'])).toBe(1)
    expect((await paper.listByStatus(['cancelled'], 10)).map((p) => p.id)).toEqual([active.id])
    expect((await paper.findById(active.id))!.timeline.map((e) => e.status)).toEqual(['cancelled'])
  })
})

describe('wx ticket repo', () => {
  it('appends to the thread under the revision check: two replies from one revision, one lands, the retry lands too', async () => {
    const t = ticketOf()
    await tickets.insert(t)
    const msg = (text: string) => ({ from: 'user' as const, text, at: at(9), photoFileIds: [] })
    const [a, b] = await Promise.all([
      tickets.update(t.id, { from: ['open'], rev: 0 }, { status: 'open' }, msg('一')),
      tickets.update(t.id, { from: ['open'], rev: 0 }, { status: 'open' }, msg('二')),
    ])
    expect([a, b].filter(Boolean)).toHaveLength(1)
    const cur = (await tickets.findById(t.id))!
    expect(await tickets.update(t.id, { from: ['open'], rev: cur.rev }, { status: 'open' }, msg(a ? '二' : '一'))).toBe(true)
    const after = (await tickets.findById(t.id))!
    expect(after.messages.map((m) => m.text).sort()).toEqual(['一', '二', '没收到'].sort())
    expect(after.rev).toBe(2)
    expect(await tickets.update(t.id, { from: ['open', 'answered'], rev: 2 }, { status: 'closed', rating: 5, closedBy: 'user' })).toBe(true)
    expect(await tickets.update(t.id, { from: ['open', 'answered'], rev: 3 }, { status: 'open' }, msg('三'))).toBe(false)
    expect((await tickets.findById(t.id))!).toMatchObject({ status: 'closed', rating: 5, messages: expect.arrayContaining([]) })
    expect(await tickets.countByOwner(ALICE, ['closed'])).toBe(1)
  })
})

describe('wx notice outbox', () => {
  const item = (over: Partial<NoticeItem> = {}): NoticeItem => ({
    id: 'ticket:TKT1:1',
    openid: ALICE,
    to: 'a@example.com',
    subject: 's',
    text: 't',
    html: '<p>t</p>',
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at(0),
    lastError: null,
    createdAt: at(0),
    sentAt: null,
    ...over,
  })

  it('queues a notice once, lets one sender claim it, and retries it later', async () => {
    expect(await notices.add(item())).toBe(true)
    expect(await notices.add(item())).toBe(false)
    expect((await notices.due(at(1), 10)).map((i) => i.id)).toEqual(['ticket:TKT1:1'])
    const claims = await Promise.all([1, 2, 3].map(() => notices.claim('ticket:TKT1:1', 0, at(100))))
    expect(claims.filter(Boolean)).toHaveLength(1)
    expect(await notices.due(at(1), 10)).toEqual([]) // leased
    await notices.markRetry('ticket:TKT1:1', 1, at(50), 'SMTP 451', false)
    expect(await notices.findById('ticket:TKT1:1')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'SMTP 451' })
    expect((await notices.due(at(60), 10)).map((i) => i.attempts)).toEqual([1])
    expect(await notices.claim('ticket:TKT1:1', 1, at(200))).toBe(true)
    await notices.markSent('ticket:TKT1:1', at(61))
    expect(await notices.findById('ticket:TKT1:1')).toMatchObject({ status: 'sent', sentAt: at(61) })
    expect(await notices.due(at(1000), 10)).toEqual([])
  })
})

describe('wx order repo: off-platform top-ups', () => {
  it('writes a paid order once under its derived id, with its events, listed with the person orders', async () => {
    const orders = wxOrderRepo(cloud.database())
    const o: StoredOrder = {
      id: 'OP0123456789ABCDEF0123456789ABCD',
      openid: ALICE,
      clientToken: 'app-APP1-1',
      cardId: 'offline',
      cardNo: '3104000012345673',
      cardNickname: '武汉通5673',
      amountFen: 5000,
      status: 'paid',
      createdAt: at(5),
      expiresAt: at(5),
      paidAt: '2025-01-02T04:00:00.000Z',
      closedAt: null,
      transactionId: null,
      invoiceId: null,
      autoInvoice: null,
    }
    const results = await Promise.all([1, 2, 3].map(() => orders.createOffPlatform(o, 'offline:machine', '补开申请 APP1')))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await orders.findById(o.id)).toEqual(o)
    expect((await orders.events(o.id)).map((e) => e.type)).toEqual(['created', 'paid'])
    expect((await orders.listByOwner(ALICE, { limit: 10 })).map((x) => x.id)).toEqual([o.id])
    expect(cloud.db.docs(WX_COLLECTIONS.orders)[0]).toMatchObject({ paidVia: 'offline:machine', invoiceId: null })
    await expect(orders.createOffPlatform({ ...o, status: 'created', paidAt: null, id: 'OPX' }, 'offline:machine', '')).rejects.toThrow('paid')
  })
})
