import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxMain } from '../../../cloudfunctions/_core/wiring/wx'
import { createCardHandler } from '../../../cloudfunctions/card/src/handler'
import { createStaffHandler } from '../../../cloudfunctions/staff/src/handler'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

const AGENT = 'oAgent0000000000000000000001'
const PERSON = 'oPerson000000000000000000001'

/**
 * The staff function's entry on the WeChat-cloud wiring, over the fake SDK: what the cloud
 * console's test panel sends (no OPENID, a SOURCE without wx_ or none at all) is an admin
 * named by `operator`; a mini-program caller needs a role in staff_members.
 */
beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true) // the JSON logger's lines
})
afterEach(() => jest.restoreAllMocks())

it('lets the console in by operator, and a mini-program staff member by role', async () => {
  const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  const staff = wxMain(createStaffHandler, { load: () => cloud })

  for (const SOURCE of [undefined, '', 'tcb_console', 'cli']) {
    cloud.wxContext = { SOURCE }
    expect(await staff({ action: 'whoami', operator: '张三' }, {})).toEqual({ ok: true, data: { operator: '张三', role: 'admin', via: 'console' } })
    expect(await staff({ action: 'whoami' }, {})).toMatchObject({ ok: false, error: { code: 'STAFF.OPERATOR_REQUIRED' } })
  }
  for (const SOURCE of ['wx_unknown', 'wx_trigger', 'wx_client,scf', 'scf']) {
    cloud.wxContext = { SOURCE }
    expect(await staff({ action: 'whoami', operator: '张三' }, {})).toMatchObject({ ok: false, error: { code: 'COMMON.FORBIDDEN' } })
  }

  cloud.wxContext = { OPENID: AGENT, SOURCE: 'wx_client' }
  expect(await staff({ action: 'whoami' }, {})).toMatchObject({ ok: false, error: { code: 'COMMON.FORBIDDEN' } })
  cloud.wxContext = { SOURCE: '' }
  expect(await staff({ action: 'grant', operator: '张三', openid: AGENT, name: '李客服', role: 'agent', reason: '新入职' }, {})).toMatchObject({ ok: true })
  cloud.wxContext = { OPENID: AGENT, SOURCE: 'wx_client' }
  expect(await staff({ action: 'whoami', operator: '冒名' }, {})).toEqual({ ok: true, data: { operator: '李客服', role: 'agent', via: 'miniprogram' } })
  expect(await staff({ action: 'audit' }, {})).toMatchObject({ ok: false, error: { code: 'STAFF.ROLE_INSUFFICIENT' } })
  expect(await staff({ action: 'queues' }, {})).toMatchObject({
    ok: true,
    data: { counts: { applications: 0, tickets: 0, paper: 0, invoices: 0, payments: 0, corrections: 0 } },
  })

  // the grant is in the audit collection, which only ever grew
  expect(cloud.db.docs(WX_COLLECTIONS.audit)).toEqual([
    expect.objectContaining({ _id: 'AUD000000000001', action: 'staff.grant', operator: '张三', via: 'console', reason: '新入职' }),
  ])
  expect(cloud.db.writes.filter((w) => w.collection === WX_COLLECTIONS.audit).map((w) => w.op)).toEqual(['add'])
})

it('user functions refuse a call from outside WeChat', async () => {
  const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  const card = wxMain(createCardHandler, { load: () => cloud })
  cloud.wxContext = { SOURCE: '' }
  expect(await card({ action: 'list' }, {})).toMatchObject({ ok: false, error: { code: 'COMMON.FORBIDDEN' } })
  cloud.wxContext = { OPENID: PERSON, SOURCE: 'wx_client' }
  expect(await card({ action: 'list' }, {})).toMatchObject({ ok: true })
})
