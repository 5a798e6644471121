import { openDb } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteInvoiceRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.invoice.repo'
import { sqliteOrderRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.order.repo'
import { WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxInvoiceRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.invoice.repo'
import { wxOrderRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.order.repo'
import { newInvoiceRecord } from '../../../cloudfunctions/_core/app/invoice-record'
import { PAYABLE_FROM } from '../../../cloudfunctions/_core/domain/order'
import type { InvoiceRepo } from '../../../cloudfunctions/_core/ports/invoice.repo'
import type { OrderRepo, StoredOrder } from '../../../cloudfunctions/_core/ports/order.repo'
import type { TitleSnapshot } from '../../../types/domain'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

/**
 * The 已开票 filters of issue 8 in both adapters: by the cards of a group (any of several card
 * numbers) and by a title as printed (name and tax ID, a personal title's tax ID null).
 */
const ALICE = 'oAlice0000000000000000000001'
const CARD_A = '3104000012345673'
const CARD_B = '3104000087654321'
const CARD_C = '3104000011112223'
const COMPANY: TitleSnapshot = {
  kind: 'enterprise',
  name: '武汉某某科技有限公司',
  taxId: '91420100MA4K0000XJ',
  address: null,
  phone: null,
  bankName: null,
  bankAccount: null,
}
const PERSON: TitleSnapshot = { kind: 'personal', name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null }

const stores: [string, () => { invoices: InvoiceRepo; orders: OrderRepo }][] = [
  [
    'sqlite',
    () => {
      const db = openDb(':memory:')
      return { invoices: sqliteInvoiceRepo(db), orders: sqliteOrderRepo(db) }
    },
  ],
  [
    'wx',
    () => {
      const db = new FakeWxCloud({ indexes: WX_INDEXES }).database()
      const log = { error: () => undefined }
      return { invoices: wxInvoiceRepo(db, { log }), orders: wxOrderRepo(db, { log }) }
    },
  ],
]

describe.each(stores)('%s invoice list filters', (_name, make) => {
  let invoices: InvoiceRepo
  let orders: OrderRepo
  let seq = 0
  beforeEach(() => {
    ;({ invoices, orders } = make())
  })

  async function invoiced(cardNos: string[], title: TitleSnapshot, id: string) {
    const os: StoredOrder[] = []
    for (const cardNo of cardNos) {
      const n = String(++seq).padStart(6, '0')
      const o: StoredOrder = {
        id: `WT20260301080000000000${n}`,
        openid: ALICE,
        clientToken: `order-token-${n}`,
        cardId: `card-${cardNo}`,
        cardNo,
        cardNickname: '卡',
        amountFen: 1000,
        status: 'created',
        createdAt: '2026-03-01T00:00:00.000Z',
        expiresAt: '2026-03-01T00:30:00.000Z',
        paidAt: null,
        closedAt: null,
        transactionId: null,
        invoiceId: null,
        autoInvoice: null,
      }
      await orders.insert(o)
      await orders.markPaid(o.id, PAYABLE_FROM, { transactionId: `42000${n}`, paidAt: '2026-03-01T00:05:00.000Z', cashFen: 1000, via: 'notify' })
      os.push(o)
    }
    const inv = newInvoiceRecord({
      id,
      openid: ALICE,
      clientToken: `tok-${id}`,
      source: 'single',
      title,
      email: null,
      amountFen: 1000 * os.length,
      orderIds: os.map((o) => o.id),
      cards: os.map((o) => ({ cardNo: o.cardNo, nickname: '卡' })),
      requestedAt: `2026-03-02T00:00:0${id.slice(-1)}.000Z`,
    })
    await invoices.create(
      inv,
      os.map((o) => ({ orderId: o.id, cardNo: o.cardNo })),
    )
  }

  const ids = async (filter: Parameters<InvoiceRepo['list']>[1]) => (await invoices.list(ALICE, filter, { limit: 10 })).map((i) => i.id)

  it('keeps the invoices on any card of a group, and of a title as printed', async () => {
    await invoiced([CARD_A], COMPANY, 'INV1')
    await invoiced([CARD_B, CARD_C], COMPANY, 'INV2')
    await invoiced([CARD_C], PERSON, 'INV3')
    expect(await ids({ cardNos: [CARD_A, CARD_B] })).toEqual(['INV2', 'INV1'])
    expect(await ids({ cardNos: [CARD_C] })).toEqual(['INV3', 'INV2'])
    expect(await ids({ cardNos: [] })).toEqual([])
    expect(await ids({ title: { name: COMPANY.name, taxId: COMPANY.taxId } })).toEqual(['INV2', 'INV1'])
    expect(await ids({ title: { name: '张三', taxId: null } })).toEqual(['INV3'])
    expect(await ids({ title: { name: COMPANY.name, taxId: null } })).toEqual([])
    expect(await ids({ title: { name: COMPANY.name, taxId: COMPANY.taxId }, cardNos: [CARD_C] })).toEqual(['INV2'])
  })

  it('lists 待开票 top-ups of a group of cards only', async () => {
    await invoiced([CARD_A], COMPANY, 'INV1')
    const pending = async (cardNos?: string[]) =>
      (await orders.listUninvoiced(ALICE, '2026-01-01T00:00:00.000Z', { limit: 10 }, cardNos ? { cardNos } : undefined)).map((o) => o.cardNo)
    // three more paid top-ups, not invoiced: one per card (the helper invoices them, so make them by hand)
    for (const cardNo of [CARD_A, CARD_B, CARD_C]) {
      const n = String(++seq).padStart(6, '0')
      await orders.insert({
        id: `WT20260301080000000000${n}`,
        openid: ALICE,
        clientToken: `order-token-${n}`,
        cardId: `card-${cardNo}`,
        cardNo,
        cardNickname: '卡',
        amountFen: 1000,
        status: 'created',
        createdAt: '2026-03-01T00:00:00.000Z',
        expiresAt: '2026-03-01T00:30:00.000Z',
        paidAt: null,
        closedAt: null,
        transactionId: null,
        invoiceId: null,
        autoInvoice: null,
      })
      await orders.markPaid(`WT20260301080000000000${n}`, PAYABLE_FROM, {
        transactionId: `42000${n}`,
        paidAt: `2026-03-01T00:0${seq % 10}:00.000Z`,
        cashFen: 1000,
        via: 'notify',
      })
    }
    expect((await pending()).sort()).toEqual([CARD_A, CARD_B, CARD_C].sort())
    expect((await pending([CARD_A, CARD_C])).sort()).toEqual([CARD_A, CARD_C].sort())
    expect(await pending([])).toEqual([])
  })
})
