import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { PAYABLE_FROM } from '../../../cloudfunctions/_core/domain/order'
import type { StoredOrder } from '../../../cloudfunctions/_core/ports/order.repo'
import type { Deps } from '../../../cloudfunctions/_core/runtime/deps'
import { buildWxDeps } from '../../../cloudfunctions/_core/wiring/wx'
import { createRemindersHandler } from '../../../cloudfunctions/reminders/src/handler'
import { uninvoicedSummary, withInvoiceStates } from '../../../cloudfunctions/_core/app/reminder.service'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

/**
 * The reminders timer and the per-order invoice state in the WeChat-cloud wiring (buildWxDeps over
 * the fake of wx-server-sdk, which enforces the declared unique indexes and _id): the same
 * never-twice behaviour as the local cloud, the reminder keys stored as _id in invoice_reminders.
 */
const ALICE = 'oAlice0000000000000000000001'
const DAY = 86400_000
const PAID_AT = '2026-03-01T02:00:00.000Z'

let cloud: FakeWxCloud
let deps: Deps
let now: Date
beforeEach(async () => {
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  const base = buildWxDeps(cloud, { INVOICE_WINDOW_DAYS: '60', SUBSCRIBE_TEMPLATE_INVOICE_REMINDER: 'tpl-reminder' })
  now = new Date(PAID_AT)
  deps = { ...base, clock: { now: () => now } }
  const order: StoredOrder = {
    id: 'WT20260301100000AAAAAAAAAAAA',
    openid: ALICE,
    clientToken: 'token-0001',
    cardId: 'card1',
    cardNo: '3104000012345673',
    cardNickname: '通勤卡',
    amountFen: 5000,
    status: 'created',
    createdAt: PAID_AT,
    expiresAt: PAID_AT,
    paidAt: null,
    closedAt: null,
    transactionId: null,
    invoiceId: null,
    autoInvoice: null,
  }
  await deps.orders.insert(order)
  await deps.orders.markPaid(order.id, PAYABLE_FROM, { transactionId: '4200000001', paidAt: PAID_AT, cashFen: 5000, via: 'notify' })
  await deps.quota.add(ALICE, 'invoiceReminder', 1)
})

const trigger = (d: Deps) => createRemindersHandler(d)({}, { openid: null, source: 'wx_trigger', requestId: 'r', clientIp: '127.0.0.1' })

it('shows the order as 未开票 with its days left and counts it', async () => {
  now = new Date(Date.parse(PAID_AT) + 10 * DAY)
  const [row] = await withInvoiceStates(deps, [(await deps.orders.findById('WT20260301100000AAAAAAAAAAAA'))!])
  expect(row.invoice).toMatchObject({ state: 'none', daysLeft: 50 })
  expect(await uninvoicedSummary(deps, ALICE)).toMatchObject({ count: 1, soonestDaysLeft: 50 })
})

it('sends the 30-day reminder once through cloud.openapi, within the quota, keyed by _id; reruns send nothing', async () => {
  now = new Date(Date.parse(PAID_AT) + 30 * DAY)
  expect(await trigger(deps)).toMatchObject({ ok: true, data: { sent: 1, subscribe: 1 } })
  expect(await trigger(deps)).toMatchObject({ ok: true, data: { sent: 0, subscribe: 0 } })
  const sent = cloud.openapi.sent.filter((m) => m.templateId === 'tpl-reminder')
  expect(sent).toHaveLength(1)
  expect(sent[0]).toMatchObject({ touser: ALICE, page: 'pages/invoice/index' })
  const keyDocs = () => cloud.db.docs(WX_COLLECTIONS.reminders).filter((d) => !String(d._id).includes(':day:'))
  expect(keyDocs().map((d) => [d._id, d.status])).toEqual([[`${ALICE}:30:2026-04-30`, 'sent']])
  // and the day's claim that keeps overlapping runs to one reminder
  expect(cloud.db.docs(WX_COLLECTIONS.reminders).map((d) => d._id)).toContain(`${ALICE}:day:2026-03-31`)
  // the 7-day mark: no quota left, so no message; the claim still keeps it from ever going twice
  now = new Date(Date.parse(PAID_AT) + 53 * DAY)
  await trigger(deps)
  await trigger(deps)
  expect(cloud.openapi.sent.filter((m) => m.templateId === 'tpl-reminder')).toHaveLength(1)
  expect(keyDocs()).toHaveLength(2)
})

it('refuses any caller but the timer', async () => {
  const r = await createRemindersHandler(deps)({}, { openid: ALICE, source: 'wx_client', requestId: 'r', clientIp: '1.2.3.4' })
  expect(r).toMatchObject({ ok: false, error: { code: 'COMMON.FORBIDDEN' } })
})
