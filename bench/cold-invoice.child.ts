/**
 * One cold process of bench/cold.bench.ts (bundled by esbuild and run by a plain `node`, as a
 * function instance would start): with the deployed bundles of <root>/cloudfunctions and
 * wx-server-sdk answered by the in-memory fake of its interface, prepares a paid top-up and a
 * title through the card, topup, payNotify and profile bundles, then times
 *   - cold: require the invoice bundle + its FIRST invoice request (issued inline: provider
 *     sandbox, PDF + XML rendered, stored, e-mailed to a loopback SMTP sink);
 *   - warm: a second invoice in the same process.
 * Prints one JSON line {coldMs, warmMs, requireMs, coldCpuMs} (coldCpuMs: CPU of this process
 * during the cold part, the libuv pool's threads included).
 *
 * Usage: node cold-invoice.js <root>
 */
import net from 'node:net'
import Module, { createRequire } from 'node:module'
import path from 'node:path'
import { WX_INDEXES } from '../cloudfunctions/_core/adapters/wx/wx.indexes'
import { FakeWxCloud } from '../tests/fakes/wx-cloud.fake'

type Main = (event: unknown, context: unknown) => Promise<any>
const root = process.argv[2]
const fake = new FakeWxCloud({ indexes: WX_INDEXES })
const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string; _cache: Record<string, unknown> }
const resolve = M._resolveFilename
M._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'wx-server-sdk' ? 'wx-server-sdk' : resolve.call(this, request, ...rest)
}
M._cache['wx-server-sdk'] = { id: 'wx-server-sdk', filename: 'wx-server-sdk', loaded: true, exports: fake }

/** Accepts every mail (RFC 5321 happy path): enough for nodemailer. */
function smtpSink(): Promise<number> {
  const server = net.createServer((socket) => {
    let data = false
    let buf = ''
    socket.write('220 bench ESMTP\r\n')
    socket.on('data', (chunk) => {
      buf += chunk.toString('latin1')
      let i: number
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 2)
        if (data) {
          if (line === '.') {
            data = false
            socket.write('250 queued\r\n')
          }
          continue
        }
        const cmd = line.slice(0, 4).toUpperCase()
        if (cmd === 'EHLO' || cmd === 'HELO') socket.write('250-bench\r\n250 8BITMIME\r\n')
        else if (cmd === 'DATA') {
          data = true
          socket.write('354 go\r\n')
        } else if (cmd === 'QUIT') socket.end('221 bye\r\n')
        else socket.write('250 ok\r\n')
      }
    })
  })
  server.unref()
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as net.AddressInfo).port)))
}

const load = (name: string): Main => (createRequire(__filename)(path.join(root, 'cloudfunctions', name, 'index.js')) as { main: Main }).main
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6

async function main() {
  const port = await smtpSink()
  Object.assign(process.env, {
    PAY_SUB_MCH_ID: '1900000109',
    CLOUD_ENV_ID: 'prod-1a2b3c',
    PROVIDER_SANDBOX_LATENCY_MS: '0',
    INVOICE_INLINE_WAIT_MS: '5000',
    INVOICE_ALLOW_SANDBOX: 'true',
    SELLER_NAME: '武汉城市一卡通有限公司',
    SELLER_TAX_ID: '91420100177682811E',
    SELLER_ADDRESS: '武汉市江岸区沿江大道 100 号',
    SELLER_PHONE: '027-85551234',
    SELLER_BANK_NAME: '招商银行武汉分行营业部',
    SELLER_BANK_ACCOUNT: '127900012310001',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(port),
    SMTP_SECURE: 'false',
    MAIL_FROM: '武汉通电子发票 <invoice@example.com>',
  })
  const [card, topup, payNotify, profile] = ['card', 'topup', 'payNotify', 'profile'].map(load)
  const user = { OPENID: 'oBenchCold000000000000000001', SOURCE: 'wx_client', CLIENTIP: '10.0.0.1' }
  fake.wxContext = user
  const bound = await card({ action: 'bind', cardNo: '3104000012345673' }, {})
  const orders: string[] = []
  for (const tok of ['tok-bench-0001', 'tok-bench-0002']) {
    const o = await topup({ action: 'createOrder', cardId: bound.data.card.id, amountFen: 5000, clientToken: tok }, {})
    const paid = fake.cloudPay.pay(o.data.order.id, { transactionId: `42000${tok.slice(-4)}`, timeEnd: '20261128120000' })
    fake.wxContext = { SOURCE: 'wx_paycallback' }
    const n = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: o.data.order.id,
      transactionId: paid.transactionId,
      totalFee: 5000,
      timeEnd: paid.timeEnd,
    }
    await payNotify(n, {})
    fake.wxContext = user
    orders.push(o.data.order.id)
  }
  const title = await profile({ action: 'saveTitle', kind: 'enterprise', name: '武汉光谷某某科技有限公司', taxId: '91420100177682811E' }, {})
  if (!title.ok) throw new Error(`saveTitle: ${JSON.stringify(title.error)}`)
  const request = (invoice: Main, orderId: string, tok: string) =>
    invoice({ action: 'request', orderIds: [orderId], titleId: title.data.title.id, email: 'bench@example.com', clientToken: tok }, {})

  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const invoice = load('invoice')
  const requireMs = ms(t0)
  const first = await request(invoice, orders[0], 'tok-bench-inv1')
  const coldMs = ms(t0)
  const c1 = process.cpuUsage(c0)
  const coldCpuMs = (c1.user + c1.system) / 1000
  const t1 = process.hrtime.bigint()
  const second = await request(invoice, orders[1], 'tok-bench-inv2')
  const warmMs = ms(t1)
  for (const r of [first, second])
    if (r.data?.invoice?.status !== 'issued') throw new Error(`not issued: ${JSON.stringify(r.error ?? r.data?.invoice?.status)}`)
  process.stdout.write(JSON.stringify({ coldMs, warmMs, requireMs, coldCpuMs }) + '\n')
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
    process.exit(1)
  },
)
