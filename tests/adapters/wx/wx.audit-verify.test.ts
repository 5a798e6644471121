import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { appendAudit } from '../../../cloudfunctions/_core/app/staff.service'
import { consoleActor } from '../../../cloudfunctions/_core/domain/staff'
import { buildWxDeps, wxMain } from '../../../cloudfunctions/_core/wiring/wx'
import { createStaffHandler } from '../../../cloudfunctions/staff/src/handler'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

/**
 * staff `auditVerify` on the WeChat-cloud wiring: the whole audit collection walked oldest
 * first, a page at a time, through domain/audit.ts. An intact chain is ok; a record edited or
 * removed behind the function's back (console access to the collection) is found, and where.
 */
const AGENT = 'oAgent0000000000000000000001'
let cloud: FakeWxCloud
let staff: (event: Record<string, unknown>, ctx: Record<string, unknown>) => Promise<any>

beforeEach(async () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true) // the JSON logger's lines
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  staff = wxMain(createStaffHandler, { load: () => cloud }) as typeof staff
  // 230 records: more than two pages of the 100 the server answers at most
  const deps = buildWxDeps(cloud, {})
  for (let i = 0; i < 230; i++) {
    await appendAudit(deps, consoleActor('张三'), { action: 'case.unmask', target: `invoice:INV${i}`, reason: '核对抬头', before: { i }, after: { i } })
  }
})
afterEach(() => jest.restoreAllMocks())

const verify = async () => {
  cloud.wxContext = { SOURCE: '' }
  return staff({ action: 'auditVerify', operator: '张三' }, {})
}

it('walks an intact chain page by page and says ok, with its head', async () => {
  const r = await verify()
  expect(r).toEqual({
    ok: true,
    data: { ok: true, checked: 230, head: { seq: 230, id: 'AUD000000000230', hash: expect.stringMatching(/^[0-9a-f]{64}$/) }, problemCount: 0, problems: [] },
  })
  // verifying reads, and writes nothing (not even an audit record of its own)
  expect(cloud.db.docs(WX_COLLECTIONS.audit)).toHaveLength(230)
})

it('finds a record edited in the console, at that record', async () => {
  await cloud
    .database()
    .collection(WX_COLLECTIONS.audit)
    .where({ _id: 'AUD000000000157' })
    .update({ data: { reason: '随便看看' } })
  const r = (await verify()).data
  expect(r).toMatchObject({ ok: false, checked: 230, firstBadSeq: 157, problemCount: 1 })
  expect(r.problems).toEqual([{ seq: 157, id: 'AUD000000000157', kind: 'hash', detail: 'content does not match its hash' }])
})

it('finds a record removed, at the record after it', async () => {
  await cloud.database().collection(WX_COLLECTIONS.audit).where({ _id: 'AUD000000000101' }).remove()
  const r = (await verify()).data
  expect(r).toMatchObject({ ok: false, checked: 229, firstBadSeq: 102 })
  expect(r.problems.map((p: { kind: string }) => p.kind).sort()).toEqual(['gap', 'link'])
})

it('finds an edited seq (a record moved to hide a removal) by its id', async () => {
  await cloud.database().collection(WX_COLLECTIONS.audit).where({ _id: 'AUD000000000050' }).remove()
  await cloud
    .database()
    .collection(WX_COLLECTIONS.audit)
    .where({ _id: 'AUD000000000051' })
    .update({ data: { seq: 50 } })
  const r = (await verify()).data
  expect(r).toMatchObject({ ok: false, firstBadSeq: 50 })
  expect(r.problems.map((p: { kind: string }) => p.kind)).toEqual(expect.arrayContaining(['id', 'link', 'hash']))
})

it('is for admins only', async () => {
  cloud.wxContext = { SOURCE: '' }
  await staff({ action: 'grant', operator: '张三', openid: AGENT, name: '李客服', role: 'agent', reason: '新入职' }, {})
  cloud.wxContext = { OPENID: AGENT, SOURCE: 'wx_client' }
  expect(await staff({ action: 'auditVerify' }, {})).toMatchObject({ ok: false, error: { code: 'STAFF.ROLE_INSUFFICIENT' } })
})
