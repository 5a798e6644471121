import fs from 'node:fs'
import { builtinModules } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { WX_INDEXES } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { FakeWxCloud } from '../fakes/wx-cloud.fake'
import { build } from 'esbuild'
import { nativeInflate } from '../../scripts/build-functions'

/**
 * The deployable artefacts themselves: each cloudfunctions/<name>/index.js made by
 * `npm run build`, loaded as WeChat cloud would load it, with wx-server-sdk replaced by the
 * fake of its interface (no cloud is reachable here).
 */
const root = path.resolve(__dirname, '../..')
const bundle = (name: string) => path.join(root, 'cloudfunctions', name, 'index.js')

let fake: FakeWxCloud
beforeEach(() => {
  jest.resetModules()
  fake = new FakeWxCloud({ indexes: WX_INDEXES })
  jest.doMock('wx-server-sdk', () => fake, { virtual: true })
  process.env.PAY_SUB_MCH_ID = '1900000109'
  process.env.CLOUD_ENV_ID = 'prod-1a2b3c'
})

const load = (name: string) => {
  if (!fs.existsSync(bundle(name))) throw new Error(`${bundle(name)} missing: run npm run build:functions`)
  return require(bundle(name)) as { main: (event: unknown, context: unknown) => Promise<any> }
}

it.each(['card', 'topup', 'payNotify', 'reconcile', 'profile', 'invoice', 'invoiceWorker', 'aftersales', 'staff'])(
  '%s/index.js bundles the core and needs only wx-server-sdk at run time',
  (name) => {
    const code = fs.readFileSync(bundle(name), 'utf8')
    const requires = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
    const external = requires.filter((r) => !r.startsWith('node:') && !builtinModules.includes(r))
    expect(new Set(external)).toEqual(new Set(['wx-server-sdk']))
    expect(code).not.toContain('better-sqlite3')
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'cloudfunctions', name, 'package.json'), 'utf8'))
    expect(Object.keys(pkg.dependencies)).toEqual(['wx-server-sdk'])
  },
)

it('the deployed card and topup bundles serve a user end to end through the SDK interface', async () => {
  const card = load('card')
  const topup = load('topup')
  fake.wxContext = { OPENID: 'oUser1', SOURCE: 'wx_client', CLIENTIP: '10.0.0.1' }
  const bound = await card.main({ action: 'bind', cardNo: '3104000012345673', nickname: '部署测试' }, { request_id: 'r1' })
  expect(bound).toMatchObject({ ok: true, data: { card: { cardNo: '3104000012345673' } } })
  expect(fake.inits).toHaveLength(1)

  const created = await topup.main({ action: 'createOrder', cardId: bound.data.card.id, amountFen: 2000, clientToken: 'tok-12345678' }, { request_id: 'r2' })
  expect(created.error).toBeUndefined()
  expect(fake.cloudPay.calls[0].params).toMatchObject({
    outTradeNo: created.data.order.id,
    totalFee: 2000,
    functionName: 'payNotify',
    subMchId: '1900000109',
    envId: 'prod-1a2b3c',
  })

  // someone else sees nothing
  fake.wxContext = { OPENID: 'oOther', SOURCE: 'wx_client' }
  expect(await topup.main({ action: 'getOrder', orderId: created.data.order.id }, {})).toMatchObject({ ok: false, error: { code: 'ORDER.NOT_FOUND' } })
})

it('the deployed payNotify bundle settles once and refuses client calls', async () => {
  const card = load('card')
  const topup = load('topup')
  const payNotify = load('payNotify')
  fake.wxContext = { OPENID: 'oPayer', SOURCE: 'wx_client' }
  const { data } = await card.main({ action: 'bind', cardNo: '3104000012345673' }, {})
  const { data: o } = await topup.main({ action: 'createOrder', cardId: data.card.id, amountFen: 5000, clientToken: 'tok-abcdefgh' }, {})
  const n = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: o.order.id, transactionId: '4200001', totalFee: 5000, timeEnd: '20261128120000' }

  expect(await payNotify.main(n, {})).toEqual({ errcode: 403, errmsg: 'FORBIDDEN' })
  fake.wxContext = { SOURCE: 'wx_paycallback' }
  expect(await Promise.all([payNotify.main(n, {}), payNotify.main(n, {}), payNotify.main(n, {})])).toEqual(Array(3).fill({ errcode: 0, errmsg: 'OK' }))
  const stored = fake.db.docs('topup_orders').find((d) => d._id === o.order.id)
  expect(stored).toMatchObject({ status: 'paid', transactionId: '4200001' })
  expect(fake.db.docs('topup_order_events').filter((e) => e.type === 'paid')).toHaveLength(1)
})

const fnDir = (name: string) => path.join(root, 'cloudfunctions', name)
const packed = (name: string) => path.join(fnDir(name), 'lib', 'heavy-libs.js.br')
const ISSUING = ['invoice', 'invoiceWorker', 'reconcile', 'aftersales', 'staff']

/** Bytes of what deploys for a function: its folder less src/ and node_modules (scripts/deploy/config-gen.ts ignore). */
function deployedBytes(dir: string): number {
  let total = 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'src' || e.name === 'node_modules') continue
    const p = path.join(dir, e.name)
    total += e.isDirectory() ? deployedBytes(p) : fs.statSync(p).size
  }
  return total
}

it('the issuing functions ship the font subset and the heavy libraries apart; the others carry neither and stay small', () => {
  for (const name of ISSUING) {
    expect([name, fs.readdirSync(path.join(fnDir(name), 'fonts'))]).toEqual([name, ['NotoSansSC-common.ttf.br']])
    expect([name, fs.existsSync(packed(name))]).toEqual([name, true])
    // pdfkit (its '%PDF-' header) and nodemailer (its EENVELOPE code) are not in index.js: no cost at require
    const code = fs.readFileSync(bundle(name), 'utf8')
    expect([name, code.includes('%PDF-'), code.includes('EENVELOPE')]).toEqual([name, false, false])
  }
  // payNotify hands issuing to invoiceWorker (issue 7): no renderer, a fast cold start for the callback
  for (const name of ['card', 'topup', 'profile', 'payNotify']) {
    expect([
      name,
      fs.existsSync(path.join(fnDir(name), 'fonts')),
      fs.existsSync(path.join(fnDir(name), 'lib')),
      fs.statSync(bundle(name)).size < 300 * 1024,
    ]).toEqual([name, false, false, true])
  }
})

it('no function deploys more than 2 MB, fonts and libraries included (the rare-character fonts are fetched, not shipped)', () => {
  const names = fs.readdirSync(path.join(root, 'cloudfunctions')).filter((n) => fs.existsSync(bundle(n)))
  expect(names).toEqual(expect.arrayContaining([...ISSUING, 'card', 'topup', 'payNotify']))
  for (const name of names) expect([name, deployedBytes(fnDir(name)) <= 2 * 1024 * 1024]).toEqual([name, true])
  for (const name of ISSUING) {
    const fonts = fs.readdirSync(path.join(fnDir(name), 'fonts'))
    expect([name, fonts.some((f) => /HanaMin|NotoSansSC-Regular/.test(f))]).toEqual([name, false])
  }
})

it('the packed libraries and the font are read on the first invoice, not before; the invoice renders through them', async () => {
  // what the startup check asks before an issuing function serves (as in node18-smoke.harness.ts)
  const saved = { ...process.env }
  Object.assign(process.env, {
    INVOICE_ALLOW_SANDBOX: 'true',
    PROVIDER_SANDBOX_LATENCY_MS: '0',
    INVOICE_INLINE_WAIT_MS: '5000',
    SELLER_NAME: '武汉城市一卡通有限公司',
    SELLER_TAX_ID: '91420100177682811E',
    SELLER_ADDRESS: '武汉市江岸区沿江大道 100 号',
    SELLER_PHONE: '027-85551234',
    SELLER_BANK_NAME: '招商银行武汉分行营业部',
    SELLER_BANK_ACCOUNT: '127900012310001',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '9', // discard: refused at once, the mail waits in the outbox (not what this tests)
    SMTP_SECURE: 'false',
  })
  const reads: string[] = []
  const real = jest.requireActual<typeof fs>('node:fs').readFileSync
  const note = (file: unknown) => reads.push(typeof file === 'string' ? file : file instanceof URL ? file.pathname : '(descriptor)')
  const spy = jest.spyOn(fs, 'readFileSync').mockImplementation(function (this: unknown, ...args: Parameters<typeof fs.readFileSync>) {
    note(args[0])
    return real.apply(this, args)
  })
  const realAsync = jest.requireActual<typeof fs>('node:fs').promises.readFile
  const spyAsync = jest.spyOn(fs.promises, 'readFile').mockImplementation(function (this: unknown, ...args: Parameters<typeof fs.promises.readFile>) {
    note(args[0])
    return realAsync.apply(this, args)
  })
  const heavy = () => reads.filter((r) => /heavy-libs\.js\.br|NotoSansSC-common\.ttf\.br/.test(r)).map((r) => path.relative(root, r))
  try {
    const [card, topup, payNotify, profile, invoice] = ['card', 'topup', 'payNotify', 'profile', 'invoice'].map(load)
    const user = { OPENID: 'oColdUser0000000000000000001', SOURCE: 'wx_client', CLIENTIP: '10.0.0.1' }
    fake.wxContext = user
    expect(await invoice.main({ action: 'list' }, {})).toMatchObject({ ok: true })
    const bound = await card.main({ action: 'bind', cardNo: '3104000012345673' }, {})
    const order = await topup.main({ action: 'createOrder', cardId: bound.data.card.id, amountFen: 5000, clientToken: 'tok-cold-0001' }, {})
    const paid = fake.cloudPay.pay(order.data.order.id, { transactionId: '4200000009', timeEnd: '20261128120000' })
    fake.wxContext = { SOURCE: 'wx_paycallback' }
    const n = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: order.data.order.id,
      transactionId: paid.transactionId,
      totalFee: 5000,
      timeEnd: paid.timeEnd,
    }
    expect(await payNotify.main(n, {})).toEqual({ errcode: 0, errmsg: 'OK' })
    fake.wxContext = user
    const title = await profile.main({ action: 'saveTitle', kind: 'personal', name: '张三' }, {})
    expect(heavy()).toEqual([]) // up to here nothing rendered or mailed: neither file was read

    const issued = await invoice.main(
      { action: 'request', orderIds: [order.data.order.id], titleId: title.data.title.id, email: 'cold@example.com', clientToken: 'tok-cold-inv1' },
      {},
    )
    expect([issued.error ?? null, issued.data?.invoice?.status]).toEqual([null, 'issued'])
    expect(new Set(heavy())).toEqual(new Set(['cloudfunctions/invoice/lib/heavy-libs.js.br', 'cloudfunctions/invoice/fonts/NotoSansSC-common.ttf.br']))
    const pdf = [...fake.files.values()].find((b) => b.subarray(0, 5).toString('latin1') === '%PDF-')
    expect(pdf?.length ?? 0).toBeGreaterThan(10_000)
  } finally {
    spy.mockRestore()
    spyAsync.mockRestore()
    process.env = saved
  }
})

it('the packed libraries inflate their Unicode tables natively with the same result as tiny-inflate (line breaks, character classes)', async () => {
  const probe = `
const LineBreaker = require('linebreak')
const up = require('unicode-properties')
const text = '武汉通充值电子发票（普通发票）：¥1,234.50 — Invoice No. 26422000000000012345, 王𪚥 and co. 「备注」。'
const breaks = []
const lb = new LineBreaker(text)
for (let b; (b = lb.nextBreak()); ) breaks.push(b.position + (b.required ? '!' : ''))
const classes = []
for (let cp = 0; cp < 0x30000; cp += 7) classes.push(up.getCategory(cp) + up.getScript(cp))
module.exports = JSON.stringify({ breaks, classes })
`
  // the same probe bundled twice, with the native inflate and with tiny-inflate, each run as a file
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-inflate-'))
  const run = async (name: string, plugins: (typeof nativeInflate)[]) => {
    const outfile = path.join(dir, name)
    await build({
      stdin: { contents: probe, resolveDir: root, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      plugins,
      logLevel: 'silent',
    })
    return { code: fs.readFileSync(outfile, 'utf8'), result: require(outfile) as string }
  }
  try {
    const native = await run('native.js', [nativeInflate])
    const reference = await run('reference.js', [])
    expect([native.code.includes('tinf_uncompress'), reference.code.includes('tinf_uncompress')]).toEqual([false, true])
    expect(JSON.parse(native.result).breaks.length).toBeGreaterThan(10)
    expect(native.result).toBe(reference.result)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
