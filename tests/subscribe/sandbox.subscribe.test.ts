import { SubscribeSandbox } from '../../cloudfunctions/_core/adapters/local/sandbox.subscribe'
import { openDb } from '../../cloudfunctions/_core/adapters/local/sqlite.db'
import { invoiceIssuedMessage } from '../../cloudfunctions/_core/domain/subscribe'
import type { SubscribeMessage } from '../../cloudfunctions/_core/ports/subscribe.port'

const db = openDb(':memory:')
afterAll(() => db.close())

const message = (over: Partial<SubscribeMessage> = {}): SubscribeMessage => ({
  openid: 'oAlice0000000000000000000000',
  templateKey: 'invoiceIssued',
  templateId: 'local-invoice-issued',
  page: 'pages/invoice/detail?id=inv1',
  data: invoiceIssuedMessage({
    title: { name: '张三' },
    amountFen: 5000,
    invoiceNo: '26421000000000000123',
    issuedAt: '2026-11-28T04:30:00Z',
    email: 'zhangsan@qq.com',
  }),
  ...over,
})

describe('subscribe-message sandbox', () => {
  const sandbox = new SubscribeSandbox(db, { now: () => new Date('2026-11-28T04:31:00Z') })

  it('accepts a payload built by our builders and records it', async () => {
    expect(await sandbox.send(message())).toEqual({ ok: true })
    const [row] = sandbox.list({ openid: 'oAlice0000000000000000000000' })
    expect(row).toMatchObject({
      templateKey: 'invoiceIssued',
      templateId: 'local-invoice-issued',
      page: 'pages/invoice/detail?id=inv1',
      sentAt: '2026-11-28T04:31:00.000Z',
      result: 'ok',
      errmsg: null,
    })
    expect(row.data.amount2).toEqual({ value: '¥50.00' })
  })

  it('answers 47003 for a 21-character thing, like WeChat, and records the refusal', async () => {
    const data = { ...message().data, thing1: { value: '一'.repeat(21) } }
    const r = await sandbox.send(message({ openid: 'oBob00000000000000000000000000', data }))
    expect(r).toMatchObject({ ok: false, errcode: 47003 })
    expect(!r.ok && r.errmsg).toContain('thing1')
    expect(sandbox.list({ openid: 'oBob00000000000000000000000000' })[0]).toMatchObject({ result: '47003' })
  })

  it('answers 47003 for a value that is not a string', async () => {
    const data = { ...message().data, amount2: { value: 5000 as unknown as string } }
    expect(await sandbox.send(message({ data }))).toMatchObject({ ok: false, errcode: 47003 })
  })

  it('answers 40037 when the template id is not configured', async () => {
    expect(await sandbox.send(message({ templateId: '' }))).toMatchObject({ ok: false, errcode: 40037 })
  })

  it('can be told to refuse the next send with 43101 (test hook)', async () => {
    sandbox.failNext(1)
    expect(await sandbox.send(message())).toMatchObject({ ok: false, errcode: 43101 })
    expect(await sandbox.send(message())).toEqual({ ok: true })
  })

  it('lists newest first, across users or for one', () => {
    const all = sandbox.list()
    expect(all.length).toBeGreaterThanOrEqual(6)
    expect(all[0].seq).toBeGreaterThan(all[1].seq)
    expect(sandbox.list({ openid: 'oBob00000000000000000000000000' })).toHaveLength(1)
  })
})
