import fs from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { WX_INDEXES } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { FakeWxCloud } from '../fakes/wx-cloud.fake'

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

it('only the invoice-issuing functions carry the renderer and its font; the others stay small', () => {
  for (const name of ['invoice', 'invoiceWorker', 'reconcile', 'aftersales']) {
    expect([name, fs.existsSync(path.join(root, 'cloudfunctions', name, 'fonts', 'NotoSansSC-Regular.ttf'))]).toEqual([name, true])
  }
  // payNotify hands issuing to invoiceWorker (issue 7): no renderer, a fast cold start for the callback
  for (const name of ['card', 'topup', 'profile', 'payNotify']) {
    expect([name, fs.readFileSync(bundle(name), 'utf8').includes('PDFDocument'), fs.statSync(bundle(name)).size < 300 * 1024]).toEqual([name, false, true])
  }
})
