import { WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxInvoiceRepo, wxOutboxRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.invoice.repo'
import { wxOrderRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.order.repo'
import { newInvoiceRecord } from '../../../cloudfunctions/_core/app/invoice-record'
import { PAYABLE_FROM } from '../../../cloudfunctions/_core/domain/order'
import type { InvoiceRepo, OutboxKind, OutboxRepo } from '../../../cloudfunctions/_core/ports/invoice.repo'
import type { OrderRepo } from '../../../cloudfunctions/_core/ports/order.repo'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

/** The sweep for a crash between marking an invoice issued and queueing its first e-mail, on the wx fake. */
const ALICE = 'oAlice0000000000000000000001'
const SINCE = '2026-03-01T00:00:00.000Z'
const BEFORE = '2026-03-03T00:00:00.000Z'

let repo: InvoiceRepo
let outbox: OutboxRepo
let orders: OrderRepo
beforeEach(() => {
  const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  repo = wxInvoiceRepo(cloud.database())
  outbox = wxOutboxRepo(cloud.database())
  orders = wxOrderRepo(cloud.database())
})

let seq = 0
/** An invoice over one paid order, moved to `status` (issued at `issuedAt`). */
async function invoiceOf(opts: { email: string | null; issuedAt?: string; status?: 'issued' | 'requested' }): Promise<string> {
  const n = String(++seq).padStart(6, '0')
  const orderId = `WT20260301080000000000${n}`
  await orders.insert({
    id: orderId,
    openid: ALICE,
    clientToken: `order-token-${n}`,
    cardId: 'card0001',
    cardNo: '3104000012345673',
    cardNickname: '通勤卡',
    amountFen: 5000,
    status: 'created',
    createdAt: '2026-03-01T00:00:00.000Z',
    expiresAt: '2026-03-01T00:30:00.000Z',
    paidAt: null,
    closedAt: null,
    transactionId: null,
    invoiceId: null,
    autoInvoice: null,
  })
  await orders.markPaid(orderId, PAYABLE_FROM, { transactionId: `42000${n}`, paidAt: '2026-03-01T00:05:00.000Z', cashFen: 5000, via: 'notify' })
  const inv = newInvoiceRecord({
    id: `INV${n}`,
    openid: ALICE,
    clientToken: `inv-token-${n}`,
    source: 'single',
    title: { kind: 'personal', name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
    email: opts.email,
    amountFen: 5000,
    orderIds: [orderId],
    cards: [{ cardNo: '3104000012345673', nickname: '通勤卡' }],
    requestedAt: '2026-03-01T01:00:00.000Z',
  })
  await repo.create(inv, [{ orderId, cardNo: '3104000012345673' }])
  if (opts.status !== 'requested') {
    await repo.update(inv.id, ['requested'], { status: 'issued', issuedAt: opts.issuedAt ?? '2026-03-02T00:00:00.000Z', invoiceNo: `2642${n}` })
  }
  return inv.id
}

const queue = (invoiceId: string, kind: OutboxKind) =>
  outbox.add({
    id: kind === 'issued' ? `${invoiceId}-issued` : `${invoiceId}-r${++seq}`,
    invoiceId,
    openid: ALICE,
    to: 'a@example.com',
    kind,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: '2026-03-02T00:00:00.000Z',
    lastError: null,
    createdAt: '2026-03-02T00:00:00.000Z',
    sentAt: null,
  })

describe('wxInvoiceRepo.issuedWithoutFirstMail', () => {
  it('finds issued invoices with an e-mail in the window whose first delivery was never queued, oldest first', async () => {
    const missed = await invoiceOf({ email: 'a@example.com', issuedAt: '2026-03-02T05:00:00.000Z' })
    const resentOnly = await invoiceOf({ email: 'a@example.com', issuedAt: '2026-03-02T01:00:00.000Z' })
    await queue(resentOnly, 'resend')
    const queued = await invoiceOf({ email: 'a@example.com' })
    await queue(queued, 'issued')
    await invoiceOf({ email: null })
    await invoiceOf({ email: 'a@example.com', status: 'requested' })
    await invoiceOf({ email: 'a@example.com', issuedAt: '2026-02-28T00:00:00.000Z' })
    await invoiceOf({ email: 'a@example.com', issuedAt: '2026-03-03T00:00:01.000Z' })

    const found = await repo.issuedWithoutFirstMail(SINCE, BEFORE, 10)

    expect(found.map((i) => i.id)).toEqual([resentOnly, missed])
  })

  it('looks past a page of invoices whose mail was queued and stops at the limit', async () => {
    for (let i = 0; i < 120; i++) await queue(await invoiceOf({ email: 'a@example.com', issuedAt: '2026-03-02T00:00:00.000Z' }), 'issued')
    const late = [
      await invoiceOf({ email: 'a@example.com', issuedAt: '2026-03-02T10:00:00.000Z' }),
      await invoiceOf({ email: 'a@example.com', issuedAt: '2026-03-02T11:00:00.000Z' }),
    ]

    expect((await repo.issuedWithoutFirstMail(SINCE, BEFORE, 10)).map((i) => i.id)).toEqual(late)
    expect((await repo.issuedWithoutFirstMail(SINCE, BEFORE, 1)).map((i) => i.id)).toEqual([late[0]])
  })
})
