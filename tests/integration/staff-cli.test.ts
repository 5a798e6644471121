import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runStaffCli } from '../../scripts/staff-cli/cli'
import { cloudInvoker, type CloudApp } from '../../scripts/staff-cli/invoker'
import { WX_COLLECTIONS, WX_INDEXES } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxMain } from '../../cloudfunctions/_core/wiring/wx'
import { createStaffHandler } from '../../cloudfunctions/staff/src/handler'
import { FakeNodeSdkApp } from '../fakes/node-sdk-app.fake'
import { FakeWxCloud } from '../fakes/wx-cloud.fake'
import { CARD_B, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * `npm run staff` (scripts/staff-cli): against a real local cloud over HTTP (POST
 * /dev/api/staff, the console door of the staff function: SQLite on disk, the provider sandbox),
 * and the WeChat cloud door through @cloudbase/node-sdk's callFunction with a fake app (for
 * audit:verify, a fake node-sdk app whose `staff` is the real function over the wx fake).
 */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_RESEND_COOLDOWN_SECONDS: '0', INVOICE_INLINE_WAIT_MS: '3000' } })
}, 30_000)
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/provider', { latencyMs: 0, failureRate: 0 })
})

const token = () => crypto.randomBytes(10).toString('hex')
let seq = 0
const EMAIL = 'carol.cli@example.com'

/** runs the CLI as `npm run staff -- ...args` would, against the test cloud */
async function staff(args: string[], env: Record<string, string> = { STAFF_OPERATOR: '值班张三' }) {
  const out: string[] = []
  const err: string[] = []
  const code = await runStaffCli(args, { env: { LOCAL_CLOUD_URL: cloud.url, ...env }, out: (s) => out.push(s), err: (s) => err.push(s) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}
const json = async (args: string[]) => {
  const r = await staff([...args, '--json'])
  return { code: r.code, body: JSON.parse(r.out) as { ok: boolean; data?: any; error?: { code: string } } }
}

async function paidOrder(me: Client, amountFen: number): Promise<string> {
  const cards = (await me.ok('card', 'list')).cards as { id: string }[]
  const cardId = cards[0]?.id ?? (await me.ok('card', 'bind', { cardNo: CARD_B })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: token() })
  await fetch(`${cloud.url}/sandbox/pay/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
  })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  return order.id
}

/** a person with an e-mail and one invoice in the given final status */
async function person(status: 'issued' | 'failed') {
  const me = await cloud.login(`CLI市民${++seq}`)
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '王小红' })).title
  await me.ok('profile', 'updateSettings', { defaultEmail: EMAIL })
  const orderId = await paidOrder(me, 2500)
  if (status === 'failed') await cloud.dev('/dev/api/provider', { latencyMs: 0, failureRate: 1 })
  const requested = (await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })).invoice
  const invoice = await eventually(async () => {
    const i = (await me.ok('invoice', 'get', { invoiceId: requested.id })).invoice
    return i.status === status ? i : null
  }, 15_000)
  return { me, orderId, invoice }
}

describe('staff CLI against the local cloud', () => {
  it('finds a case by order, invoice id, invoice number and card number', async () => {
    const { orderId, invoice } = await person('issued')
    for (const [by, value] of [
      ['order', orderId],
      ['invoice', invoice.id],
      ['invoice', invoice.invoiceNo],
      ['card', CARD_B.replace(/(\d{4})(?=\d)/g, '$1 ')],
    ]) {
      const { code, body } = await json(['find', by, value])
      expect([by, code]).toEqual([by, 0])
      expect([by, body.data.items.map((i: any) => i.id)]).toEqual([by, expect.arrayContaining(by === 'invoice' ? [invoice.id] : [orderId, invoice.id])])
    }
    const text = await staff(['find', 'card', CARD_B])
    expect(text.out).toContain(invoice.id)
    expect(text.out).not.toContain(CARD_B)
  })

  it('shows a case masked, and in full only with a reason that is audited', async () => {
    const { invoice } = await person('issued')
    const masked = await staff(['show', 'invoice', invoice.id])
    expect(masked.code).toBe(0)
    expect(masked.out).toContain('王*红')
    expect(masked.out).not.toContain('王小红')
    expect(masked.out).not.toContain(EMAIL)
    const full = await json(['show', 'invoice', invoice.id, '--reason', '用户来电核对'])
    expect(full.body.data.case.unmasked).toBe(true)
    const audit = await json(['audit', '--target', `invoice:${invoice.id}`])
    expect(audit.body.data.items.map((r: any) => [r.action, r.operator, r.reason])).toEqual([['case.unmask', '值班张三', '用户来电核对']])
  })

  it('reports health: queue depths, the oldest stuck invoice and the mail backlog', async () => {
    const { invoice } = await person('failed')
    const { code, body } = await json(['health'])
    expect(code).toBe(0)
    expect(body.data.queues.invoices).toBeGreaterThanOrEqual(1)
    expect(body.data.oldestStuckInvoice).toMatchObject({ status: 'failed' })
    expect(Object.keys(body.data.mail).sort()).toEqual(['oldestAgeMinutes', 'oldestCreatedAt', 'pending'])
    expect(body.data.mail.pending).toEqual(expect.any(Number))
    expect(body.data.subscribe).toMatchObject({ failures: expect.any(Number), templates: expect.any(Array) })
    const text = await staff(['health'])
    expect(text.out).toContain('oldestStuckInvoice')
    // the batch jobs and exports part, printed like the rest
    expect(body.data.jobs.batch).toMatchObject({ running: expect.any(Number), unheldRunning: expect.any(Number) })
    expect(text.out).toMatch(/unheldRunning: \d+/)
    expect(text.out).toMatch(/failedLast24h: \d+/)
    // the invoice is retried once the provider is back
    await cloud.dev('/dev/api/provider', { latencyMs: 0, failureRate: 0 })
    const retried = await json(['retry', invoice.id, '--reason', '开票服务已恢复'])
    expect(retried.code).toBe(0)
    expect(['issuing', 'issued']).toContain(retried.body.data.invoice.status)
  })

  it('sets, lists and ends a notice, each audited under the operator', async () => {
    const until = new Date(Date.now() + 3600_000).toISOString()
    const set = await json([
      'notice',
      'set',
      '--level',
      'warning',
      '--text',
      '开票服务繁忙，发票可能延迟送达。',
      '--until',
      until,
      '--pages',
      'home,invoice',
      '--reason',
      '演练',
    ])
    expect(set.code).toBe(0)
    const id = set.body.data.notice.id as string
    const listed = await staff(['notice', 'list'])
    expect(listed.out).toContain(id)
    expect(listed.out).toContain('开票服务繁忙')
    expect((await staff(['notice', 'end', id, '--reason', '演练结束'])).code).toBe(0)
    expect((await staff(['notice', 'list'])).out).not.toContain(id)
    const audit = await json(['audit', '--target', `notice:${id}`])
    expect(audit.body.data.items.map((r: any) => [r.action, r.operator])).toEqual([
      ['notice.end', '值班张三'],
      ['notice.set', '值班张三'],
    ])
  })

  it('exits 1 printing the code and message on an error envelope', async () => {
    const { invoice } = await person('issued')
    const r = await staff(['retry', invoice.id, '--reason', '试试'])
    expect(r.code).toBe(1)
    expect(r.err).toContain('COMMON.BAD_REQUEST')
    expect(r.err).toContain('已开具')
    const none = await staff(['show', 'invoice', 'NONE-0000'])
    expect([none.code, none.err.includes('INVOICE.NOT_FOUND')]).toEqual([1, true])
  })

  it('backs up the running local cloud and verifies the newest snapshot', async () => {
    await person('issued')
    const backups = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-cli-backups-'))
    try {
      const env = { LOCAL_CLOUD_DATA_DIR: cloud.dataDir, LOCAL_BACKUP_DIR: backups }
      expect((await staff(['backup'], env)).code).toBe(0)
      const [snapshot] = fs.readdirSync(backups).filter((n) => n.startsWith('wt-backup-'))
      const verified = await staff(['backup:verify'], env)
      expect(verified.code).toBe(0)
      expect(verified.out).toContain(snapshot)
      expect((await staff(['backup', '--cloud'], env)).code).toBe(1)
    } finally {
      fs.rmSync(backups, { recursive: true, force: true })
    }
  }, 60_000)

  it('refuses to run without an operator, and names the flag', async () => {
    const r = await staff(['health'], {})
    expect(r.code).toBe(1)
    expect(r.err).toContain('STAFF_OPERATOR')
    expect((await staff(['health', '--operator', '李四'], {})).code).toBe(0)
  })
})

describe('staff CLI against a WeChat cloud environment', () => {
  it("calls the staff function through node-sdk's callFunction and prints its envelope", async () => {
    const calls: { name: string; data: unknown }[] = []
    const app: CloudApp = {
      callFunction: async (o) => {
        calls.push(o)
        return { requestId: 'req-1', result: { ok: true, data: { notices: [] } } }
      },
    }
    const r = await runStaffCli(['notice', 'list', '--cloud', '--json'], {
      env: { STAFF_OPERATOR: '值班张三' },
      invoker: cloudInvoker(app),
      out: () => {},
      err: () => {},
    })
    expect(r).toBe(0)
    expect(calls).toEqual([{ name: 'staff', data: { action: 'listNotices', operator: '值班张三' } }])
  })

  it('exits 1 on an error envelope and on a failed call', async () => {
    const err: string[] = []
    const io = (app: CloudApp) => ({ env: { STAFF_OPERATOR: '值班张三' }, invoker: cloudInvoker(app), out: () => {}, err: (s: string) => err.push(s) })
    const refused = await runStaffCli(
      ['health', '--cloud'],
      io({ callFunction: async () => ({ result: { ok: false, error: { code: 'STAFF.ROLE_INSUFFICIENT', message: '不行' } } }) }),
    )
    const failed = await runStaffCli(
      ['health', '--cloud'],
      io({
        callFunction: async () => {
          throw Object.assign(new Error('function not found'), { code: 'FUNCTIONS_NOT_FOUND' })
        },
      }),
    )
    expect([refused, failed]).toEqual([1, 1])
    expect(err.join('\n')).toContain('STAFF.ROLE_INSUFFICIENT')
    expect(err.join('\n')).toContain('FUNCTIONS_NOT_FOUND')
  })

  it('verifies the audit chain through the staff function (audit:verify), and exits 1 when a record was edited', async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true) // the functions' JSON log lines
    const wx = new FakeWxCloud({ indexes: WX_INDEXES })
    const app = new FakeNodeSdkApp(wx, { staff: wxMain(createStaffHandler, { load: () => wx }) })
    const cli = async (args: string[]) => {
      const out: string[] = []
      const err: string[] = []
      const code = await runStaffCli(args, {
        env: { STAFF_OPERATOR: '值班张三' },
        invoker: cloudInvoker(app),
        out: (s) => out.push(s),
        err: (s) => err.push(s),
      })
      return { code, out: out.join('\n'), err: err.join('\n') }
    }
    const until = new Date(Date.now() + 3600_000).toISOString()
    for (const name of ['李一', '李二', '李三']) {
      const set = await cli(['notice', 'set', '--text', `${name}演练公告`, '--until', until, '--reason', '演练', '--cloud'])
      expect([set.code, set.err]).toEqual([0, ''])
    }
    const whole = await cli(['audit:verify', '--cloud'])
    expect(whole.code).toBe(0)
    expect(whole.out).toContain('审计记录：3 条')
    expect(whole.out).toContain('OK')
    expect(app.calls.at(-1)).toEqual({ name: 'staff', data: { action: 'auditVerify', operator: '值班张三' } })

    await wx
      .database()
      .collection(WX_COLLECTIONS.audit)
      .where({ _id: 'AUD000000000002' })
      .update({ data: { operator: '别人' } })
    const broken = await cli(['audit:verify', '--cloud'])
    expect(broken.code).toBe(1)
    expect(broken.out).toContain('断裂 seq 2（AUD000000000002）：hash')
    expect(broken.out).toContain('FAILED：第一处断裂在 seq 2')
    jest.restoreAllMocks()
  })

  it('runs backup and backup:verify for the WeChat-cloud environment through the backup scripts', async () => {
    const runs: { script: string; args: string[] }[] = []
    const io = {
      env: { STAFF_OPERATOR: '值班张三', LOCAL_BACKUP_DIR: '/tmp/wt-cli-cloud-backups' },
      out: () => {},
      err: () => {},
      runScript: (script: string, args: string[]) => (runs.push({ script, args }), 0),
    }
    expect(await runStaffCli(['backup', '--cloud'], io)).toBe(0)
    expect(await runStaffCli(['backup:verify', '--cloud'], io)).toBe(0)
    expect(await runStaffCli(['backup:verify', '/tmp/some-snapshot', '--cloud'], io)).toBe(0)
    expect(runs).toEqual([
      { script: 'backup', args: ['--cloud', '--out', '/tmp/wt-cli-cloud-backups'] },
      { script: 'backup:verify', args: ['--cloud', '--out', '/tmp/wt-cli-cloud-backups'] },
      { script: 'backup:verify', args: ['--cloud', '--out', '/tmp/wt-cli-cloud-backups', '/tmp/some-snapshot'] },
    ])
  })

  it('names the missing credentials instead of calling', async () => {
    const err: string[] = []
    const r = await runStaffCli(['health', '--cloud'], { env: { STAFF_OPERATOR: '值班张三' }, out: () => {}, err: (s) => err.push(s) })
    expect(r).toBe(1)
    expect(err.join('\n')).toContain('CLOUD_ENV_ID')
  })
})
