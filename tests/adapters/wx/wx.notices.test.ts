import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxMain } from '../../../cloudfunctions/_core/wiring/wx'
import { createProfileHandler } from '../../../cloudfunctions/profile/src/handler'
import { createStaffHandler } from '../../../cloudfunctions/staff/src/handler'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

const PERSON = 'oPerson000000000000000000001'

/**
 * Emergency notices on the WeChat-cloud wiring, over the fake SDK: the console sets one through
 * the staff function, a person reads it with profile.notices, ending it takes it away; the
 * `notices` collection keeps every notice (ended ones carry endedAt).
 */
beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true) // the JSON logger's lines
})
afterEach(() => jest.restoreAllMocks())

it('sets a notice from the console, shows it to people on its pages, and ends it', async () => {
  const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  const staff = wxMain(createStaffHandler, { load: () => cloud })
  const profile = wxMain(createProfileHandler, { load: () => cloud })
  const until = new Date(Date.now() + 3600_000).toISOString()

  cloud.wxContext = { SOURCE: '' }
  const set = (await staff(
    { action: 'setNotice', operator: '张三', level: 'critical', text: '开票服务故障，发票将延迟开具', until, pages: 'invoice', reason: '供应商故障' },
    {},
  )) as any
  expect(set).toMatchObject({ ok: true, data: { notice: { level: 'critical', pages: ['invoice'], endedAt: null, createdBy: '张三' } } })
  const later = (await staff(
    {
      action: 'setNotice',
      operator: '张三',
      level: 'info',
      text: '明晚维护',
      from: until,
      until: new Date(Date.now() + 7200_000).toISOString(),
      pages: 'all',
      reason: '维护预告',
    },
    {},
  )) as any
  expect(later.ok).toBe(true)

  cloud.wxContext = { OPENID: PERSON, SOURCE: 'wx_client' }
  const notice = { id: set.data.notice.id, level: 'critical', text: '开票服务故障，发票将延迟开具', pages: ['invoice'] }
  expect(await profile({ action: 'notices', page: 'invoice' }, {})).toEqual({ ok: true, data: { notices: [notice] } })
  expect(await profile({ action: 'notices', page: 'home' }, {})).toEqual({ ok: true, data: { notices: [] } })

  cloud.wxContext = { SOURCE: '' }
  expect(await staff({ action: 'endNotice', operator: '张三', noticeId: set.data.notice.id, reason: '已恢复' }, {})).toMatchObject({ ok: true })
  cloud.wxContext = { OPENID: PERSON, SOURCE: 'wx_client' }
  expect(await profile({ action: 'notices' }, {})).toEqual({ ok: true, data: { notices: [] } })

  const stored = cloud.db.docs(WX_COLLECTIONS.siteNotices)
  expect(stored.map((d) => [d._id, typeof d.endedAt === 'string'])).toEqual(
    expect.arrayContaining([
      [set.data.notice.id, true],
      [later.data.notice.id, false],
    ]),
  )
  expect(stored).toHaveLength(2)
  expect(cloud.db.docs(WX_COLLECTIONS.audit).map((d) => d.action)).toEqual(['notice.set', 'notice.set', 'notice.end'])
})
