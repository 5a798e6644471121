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

describe('the staff function shows its own misconfiguration with the queues', () => {
  /** A complete WeChat-cloud environment for staff (诺诺, real-looking seller, SMTP, templates). */
  const COMPLETE: Record<string, string> = {
    SELLER_NAME: '武汉城市一卡通有限公司',
    SELLER_TAX_ID: '91420100177682811E',
    SELLER_ADDRESS: '武汉市江岸区沿江大道 100 号',
    SELLER_PHONE: '027-85551234',
    SELLER_BANK_NAME: '招商银行武汉分行营业部',
    SELLER_BANK_ACCOUNT: '127900012310001',
    SMTP_HOST: 'smtp.example.com',
    SMTP_USER: 'invoice@example.com',
    SMTP_PASS: 'smtp-app-password-0001',
    INVOICE_PROVIDER: 'nuonuo',
    NUONUO_APP_KEY: 'SD63236305',
    NUONUO_APP_SECRET: 'SDDED2523BED4643',
    NUONUO_ACCESS_TOKEN: 'token-of-the-seller-0001',
    SUBSCRIBE_TEMPLATE_INVOICE_ISSUED: 'tpl-issued',
    SUBSCRIBE_TEMPLATE_INVOICE_FAILED: 'tpl-failed',
    SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE: 'tpl-aftersales',
    SUBSCRIBE_TEMPLATE_INVOICE_REMINDER: 'tpl-reminder',
    INVOICE_FALLBACK_FONT_FILE_IDS: 'cloud://prod-1a2b3c.7072-prod/fonts/NotoSansSC-Regular.ttf,cloud://prod-1a2b3c.7072-prod/fonts/HanaMinB.ttf',
  }
  const saved = { ...process.env }
  let out: string[]
  beforeEach(() => {
    out = []
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true))
  })
  afterEach(() => {
    process.env = { ...saved }
  })

  /** A new container of the deployed staff function (index.ts: guard report) with this environment. */
  function container(env: Record<string, string>) {
    process.env = { ...saved, ...env }
    delete process.env.LOG_FILE // the platform's lines to stdout, where WeChat cloud reads them
    const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
    cloud.wxContext = { SOURCE: '' }
    return wxMain(createStaffHandler, { load: () => cloud, guard: { fn: 'staff', mode: 'report' } })
  }

  it('keeps answering, with every problem of its environment: key, level and reason, never a value', async () => {
    const misconfigured = {
      ...COMPLETE,
      SELLER_TAX_ID: '91420100MA4K0000XJ', // the example seller of .env.example
      NUONUO_APP_SECRET: '', // 诺诺 without its secret
      NUONUO_BASE_URL: 'http://open.nuonuo.example/open/v1/services',
      SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE: '',
    }
    const staff = container(misconfigured)
    const answer = (await staff({ action: 'queues', operator: '张三' }, {})) as { ok: boolean; data: { counts: object; config: { problems: unknown[] } } }
    expect(answer).toMatchObject({ ok: true, data: { counts: { applications: 0, tickets: 0, paper: 0, invoices: 0, payments: 0, corrections: 0 } } })
    expect(answer.data.config.problems).toEqual([
      { key: 'SELLER_TAX_ID', level: 'error', message: expect.stringContaining('example value') },
      { key: 'NUONUO_APP_SECRET', level: 'error', message: expect.stringContaining('required') },
      { key: 'NUONUO_BASE_URL', level: 'error', message: expect.stringContaining('https') },
      { key: 'SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE', level: 'warning', message: expect.stringContaining('never sent') },
    ])
    const text = JSON.stringify(answer)
    for (const value of [COMPLETE.SMTP_PASS, COMPLETE.NUONUO_ACCESS_TOKEN, COMPLETE.NUONUO_APP_KEY, misconfigured.NUONUO_BASE_URL])
      expect(text).not.toContain(value)
    // the container's start logged the same problems once, and staff ran regardless (report mode)
    const logged = out.filter((l) => l.includes('staff refuses to start'))
    expect(logged).toHaveLength(1)
    for (const key of ['SELLER_TAX_ID', 'NUONUO_APP_SECRET', 'NUONUO_BASE_URL']) expect(logged[0]).toContain(key)

    // a queue of its own still carries the configuration
    expect(await staff({ action: 'queues', operator: '张三', queue: 'tickets' }, {})).toMatchObject({
      ok: true,
      data: { items: [], config: { problems: expect.any(Array) } },
    })
  })

  it('warnings only (the sandbox, explicitly allowed), and nothing once the environment is complete', async () => {
    const sandbox = container({ ...COMPLETE, INVOICE_PROVIDER: 'sandbox', INVOICE_ALLOW_SANDBOX: 'true' })
    expect(await sandbox({ action: 'queues', operator: '张三' }, {})).toMatchObject({
      ok: true,
      data: { config: { problems: [{ key: 'INVOICE_PROVIDER', level: 'warning', message: expect.stringContaining('测试样张') }] } },
    })
    const fixed = container(COMPLETE)
    expect(await fixed({ action: 'queues', operator: '张三' }, {})).toMatchObject({ ok: true, data: { config: { problems: [] } } })
  })
})
