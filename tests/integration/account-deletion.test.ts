import crypto from 'node:crypto'
import { ACCOUNT_DELETE_PHRASE } from '../../types/api'
import { maskOpenid } from '../../cloudfunctions/_core/domain/staff'
import { CARD_A, CARD_B, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * 设置 → 删除个人数据 over the local cloud (HTTP, SQLite on disk, the pay and invoice sandboxes):
 * the person's own records go, the invoices and the orders they cover stay (and download), a
 * repeated call deletes nothing more, another person is untouched, and work in flight refuses.
 */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
}, 30_000)
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/provider', { failureRate: 0 })
  await cloud.dev('/dev/api/clock', { offsetMs: 0 })
})

let seq = 0
const uniqueName = (base: string) => `${base}${++seq}${crypto.randomBytes(2).toString('hex')}`
const token = () => crypto.randomBytes(10).toString('hex')
const randomPhone = () => `139${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`

async function paidOrder(me: Client, cardNo: string, amountFen = 5000): Promise<string> {
  const cards = (await me.ok('card', 'list')).cards as { id: string; cardNo: string }[]
  const cardId = cards.find((c) => c.cardNo === cardNo)?.id ?? (await me.ok('card', 'bind', { cardNo })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: token() })
  await fetch(`${cloud.url}/sandbox/pay/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
  })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  return order.id
}

/** A person with every kind of personal record and one issued invoice. */
async function fullAccount(name: string) {
  const me = await cloud.login(uniqueName(name))
  const orderId = await paidOrder(me, CARD_A)
  await me.ok('card', 'bind', { cardNo: CARD_B })
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
  await me.ok('profile', 'updateSettings', { autoInvoice: true, defaultEmail: 'zhangsan@example.com' })
  await me.ok('profile', 'smsBindWechat', { code: `sandbox-${randomPhone()}` })
  await me.ok('profile', 'recordSubscriptions', { results: { invoiceIssued: 'accept', invoiceReminder: 'accept' } })
  const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })
  await eventually(async () => (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.status === 'issued', 15_000)
  return { me, orderId, invoiceId: invoice.id as string }
}

const rows = (table: string, openid: string) => (cloud.runtime.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE openid = ?`).get(openid) as { n: number }).n
const personalRows = (openid: string) =>
  Object.fromEntries(['cards', 'invoice_titles', 'user_settings', 'sms_contacts', 'subscribe_quota'].map((t) => [t, rows(t, openid)]))
const deleteData = (me: Client, confirm: string = ACCOUNT_DELETE_PHRASE) => me.call('profile', { action: 'deleteAccountData', confirm })

describe('profile.deleteAccountData', () => {
  it('deletes cards, titles, settings, the SMS contact and quota; keeps the invoice (still downloadable) and its order', async () => {
    const { me, orderId, invoiceId } = await fullAccount('删除')
    const other = await fullAccount('旁人')
    expect(personalRows(me.openid)).toEqual({ cards: 2, invoice_titles: 1, user_settings: 1, sms_contacts: 1, subscribe_quota: 2 })

    const r = await deleteData(me)
    expect(r.body).toMatchObject({ ok: true, data: { deleted: { cards: 2, titles: 1, settings: 1, smsContacts: 1, subscribeQuota: 2 }, keptInvoices: 1 } })
    expect(personalRows(me.openid)).toEqual({ cards: 0, invoice_titles: 0, user_settings: 0, sms_contacts: 0, subscribe_quota: 0 })

    // what the person sees now: nothing of their own, settings back to the defaults
    expect((await me.ok('card', 'list')).cards).toEqual([])
    expect((await me.ok('profile', 'listTitles')).titles).toEqual([])
    expect((await me.ok('profile', 'getSettings')).settings).toMatchObject({ autoInvoice: false, defaultEmail: null })
    expect(await me.ok('profile', 'smsSettings')).toMatchObject({ phoneMasked: null, optIn: false })

    // the invoice and its order stay, and the files still download
    expect((await me.ok('invoice', 'get', { invoiceId })).invoice).toMatchObject({ id: invoiceId, status: 'issued' })
    expect((await me.ok('topup', 'getOrder', { orderId })).order.status).toBe('paid')
    const files = await me.ok('invoice', 'files', { invoiceId })
    const pdf = await fetch(files.pdfUrl, { headers: { Authorization: `Bearer ${me.token}` } })
    expect(pdf.status).toBe(200)
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-')

    // audited once as a user action, naming the person by the masked openid only
    const audited = () =>
      cloud.runtime.db.prepare("SELECT role, operator FROM staff_audit WHERE action = 'account.delete' AND target = ?").all(`account:${maskOpenid(me.openid)}`)
    expect(audited()).toEqual([{ role: 'user', operator: 'user' }])

    // a second call (a retry, or finishing a run cut short) deletes nothing more and adds no record
    expect((await deleteData(me)).body).toMatchObject({
      ok: true,
      data: { deleted: { cards: 0, titles: 0, settings: 0, smsContacts: 0, subscribeQuota: 0 }, keptInvoices: 1 },
    })
    expect(audited()).toHaveLength(1)

    // the other person is untouched
    expect(personalRows(other.me.openid)).toEqual({ cards: 2, invoice_titles: 1, user_settings: 1, sms_contacts: 1, subscribe_quota: 2 })
  }, 60_000)

  it('refuses without the typed phrase, and deletes nothing', async () => {
    const me = await cloud.login(uniqueName('确认'))
    await me.ok('card', 'bind', { cardNo: CARD_A })
    for (const wrong of ['', '删除', '确认']) {
      expect((await deleteData(me, wrong)).body.error).toMatchObject({
        code: 'PROFILE.DELETE_CONFIRM_MISMATCH',
        message: expect.stringContaining(ACCOUNT_DELETE_PHRASE),
      })
    }
    expect((await me.call('profile', { action: 'deleteAccountData' })).body.error.code).toBe('COMMON.BAD_REQUEST')
    expect(rows('cards', me.openid)).toBe(1)
  })

  it('refuses while an invoice is not yet issued (failed, waiting for its retry: PROFILE.DELETE_BUSY), then works once it is issued', async () => {
    const me = await cloud.login(uniqueName('开具中'))
    const orderId = await paidOrder(me, CARD_A)
    const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '李四' })).title
    // the invoice platform is down: the invoice waits for its retry
    await cloud.dev('/dev/api/provider', { failureRate: 1 })
    const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })
    const refused = await deleteData(me)
    expect((await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.status).toBe('failed')
    expect(refused.body.error).toMatchObject({ code: 'PROFILE.DELETE_BUSY', message: expect.stringContaining('发票正在开具'), details: { invoicesIssuing: 1 } })
    expect(rows('invoice_titles', me.openid)).toBe(1)

    await cloud.dev('/dev/api/provider', { failureRate: 0 })
    await cloud.dev('/dev/api/clock', { offsetMs: 3600_000 })
    await cloud.dev('/dev/api/triggers/invoiceWorker', {})
    await eventually(async () => (await me.ok('invoice', 'get', { invoiceId: invoice.id })).invoice.status === 'issued', 15_000)
    expect((await deleteData(me)).body).toMatchObject({ ok: true, data: { deleted: { titles: 1, cards: 1 }, keptInvoices: 1 } })
  }, 60_000)
})
