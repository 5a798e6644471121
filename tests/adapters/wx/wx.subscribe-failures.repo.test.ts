import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxSubscribeFailureRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.subscribe-failures.repo'
import { buildWxDeps, wxMain } from '../../../cloudfunctions/_core/wiring/wx'
import { createStaffHandler } from '../../../cloudfunctions/staff/src/handler'
import { FakeSdkError, FakeWxCloud } from '../../fakes/wx-cloud.fake'

/**
 * Failed subscribe sends on WeChat cloud: counted per template, errcode and hour in
 * `subscribe_failures` (wx.subscribe-failures.repo.ts) by the sender the wiring hands every
 * service, and shown by `staff health` for the last 24 hours.
 */
const ALICE = 'oAlice0000000000000000000001'
let cloud: FakeWxCloud
beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true) // the JSON logger's lines
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
})
afterEach(() => jest.restoreAllMocks())

const message = (templateKey: 'invoiceIssued' | 'afterSalesUpdate') => ({
  openid: ALICE,
  templateKey,
  templateId: `tpl-${templateKey}`,
  page: 'pages/index/index',
  data: { thing1: { value: 'v' } },
})

it('counts concurrent failures of one bucket exactly, one document per template, errcode and hour', async () => {
  const repo = wxSubscribeFailureRepo(cloud.database())
  const at = (m: number) => new Date(Date.UTC(2026, 2, 1, 8, m)).toISOString()
  await Promise.all(Array.from({ length: 20 }, (_, i) => repo.record({ templateKey: 'invoiceIssued', errcode: 43101, errmsg: 'user refuse', at: at(i) })))
  await repo.record({ templateKey: 'invoiceIssued', errcode: 45009, errmsg: 'api limit', at: at(30) })
  await repo.record({ templateKey: 'afterSalesUpdate', errcode: 43101, errmsg: 'user refuse', at: '2026-03-01T09:05:00.000Z' })
  await repo.record({ templateKey: 'afterSalesUpdate', errcode: 43101, errmsg: 'old', at: '2026-02-27T09:05:00.000Z' })
  expect(cloud.db.docs(WX_COLLECTIONS.subscribeFailures)).toHaveLength(4)
  const since = await repo.since('2026-03-01T08')
  expect(since.map((b) => [b.templateKey, b.errcode, b.hour, b.count])).toEqual([
    ['invoiceIssued', 43101, '2026-03-01T08', 20],
    ['invoiceIssued', 45009, '2026-03-01T08', 1],
    ['afterSalesUpdate', 43101, '2026-03-01T09', 1],
  ])
})

it('counts the failed sends every service makes, and staff health shows them per template with the last error time', async () => {
  const deps = buildWxDeps(cloud, {})
  // no quota (refused / used up), twice; the daily API limit (a code the adapter throws on); one sent
  cloud.openapi.answerNext(new FakeSdkError(43101, 'openapi.subscribeMessage.send:fail user refuse to accept the msg'))
  cloud.openapi.answerNext(new FakeSdkError(43101, 'openapi.subscribeMessage.send:fail user refuse to accept the msg'))
  cloud.openapi.answerNext(new FakeSdkError(45009, 'openapi.subscribeMessage.send:fail reach max api daily quota limit'))
  expect(await deps.subscribe.send(message('invoiceIssued'))).toMatchObject({ ok: false, errcode: 43101 })
  expect(await deps.subscribe.send(message('invoiceIssued'))).toMatchObject({ ok: false, errcode: 43101 })
  await expect(deps.subscribe.send(message('afterSalesUpdate'))).rejects.toThrow(/45009|quota/)
  expect(await deps.subscribe.send(message('afterSalesUpdate'))).toEqual({ ok: true })

  cloud.wxContext = { SOURCE: '' }
  const staff = wxMain(createStaffHandler, { load: () => cloud })
  const health = (await staff({ action: 'health', operator: '张三' }, {})) as { ok: true; data: any }
  expect(health.ok).toBe(true)
  const s = health.data.subscribe
  expect(s).toMatchObject({ failures: 3, lastErrorAt: expect.any(String) })
  expect(s.templates).toEqual([
    expect.objectContaining({ templateKey: 'invoiceIssued', failures: 2, noQuota: 2, byErrcode: { '43101': 2 }, lastErrcode: 43101 }),
    expect.objectContaining({ templateKey: 'afterSalesUpdate', failures: 1, noQuota: 0, byErrcode: { '45009': 1 }, lastErrcode: 45009 }),
  ])
  expect(Date.now() - Date.parse(s.lastErrorAt)).toBeLessThan(3600_000)
})

it('never lets counting change what the caller sees', async () => {
  const deps = buildWxDeps(cloud, {})
  cloud.db.failNext(WX_COLLECTIONS.subscribeFailures, 'update', new Error('database down'))
  cloud.openapi.answerNext(new FakeSdkError(43101, 'user refuse'))
  expect(await deps.subscribe.send(message('invoiceIssued'))).toMatchObject({ ok: false, errcode: 43101 })
})
