/**
 * Runs under WeChat cloud's Node (18.15, see scripts/fetch-node18.sh), not under jest: loads every
 * deployed bundle (cloudfunctions/<name>/index.js) with wx-server-sdk answered by the in-memory
 * fake of its interface, and makes one real call of each function, plus a whole paid top-up
 * invoiced through the renderer and storage. Writes what each call answered to a JSON file.
 *
 * Usage: node tests-build/harness.js <repo root> <result.json>
 */
import fs from 'node:fs'
import net from 'node:net'
import Module, { createRequire } from 'node:module'
import path from 'node:path'
import { WX_INDEXES } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { FakeWxCloud } from '../fakes/wx-cloud.fake'

type Main = (event: unknown, context: unknown) => Promise<any>

const [root, out] = process.argv.slice(2)
const fake = new FakeWxCloud({ indexes: WX_INDEXES })

// wx-server-sdk is every bundle's one external: resolve it to the fake.
const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string; _cache: Record<string, unknown> }
const resolve = M._resolveFilename
M._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'wx-server-sdk' ? 'wx-server-sdk' : resolve.call(this, request, ...rest)
}
M._cache['wx-server-sdk'] = { id: 'wx-server-sdk', filename: 'wx-server-sdk', loaded: true, exports: fake }

/** A minimal SMTP server (RFC 5321 happy path), enough for nodemailer to deliver one mail. */
function smtpSink(): Promise<{ port: number; mails: string[] }> {
  const mails: string[] = []
  const server = net.createServer((socket) => {
    let data = false
    let buf = ''
    let body = ''
    socket.write('220 smoke ESMTP\r\n')
    socket.on('data', (chunk) => {
      buf += chunk.toString('latin1')
      let i: number
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 2)
        if (data) {
          if (line === '.') {
            data = false
            mails.push(body)
            body = ''
            socket.write('250 queued\r\n')
          } else body += line + '\n'
          continue
        }
        const cmd = line.slice(0, 4).toUpperCase()
        if (cmd === 'EHLO' || cmd === 'HELO') socket.write('250-smoke\r\n250 8BITMIME\r\n')
        else if (cmd === 'DATA') {
          data = true
          socket.write('354 go\r\n')
        } else if (cmd === 'QUIT') socket.end('221 bye\r\n')
        else socket.write('250 ok\r\n')
      }
    })
  })
  server.unref()
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ port: (server.address() as net.AddressInfo).port, mails })))
}

Object.assign(process.env, { PAY_SUB_MCH_ID: '1900000109', CLOUD_ENV_ID: 'prod-1a2b3c', PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_INLINE_WAIT_MS: '5000' })
// what the functions' startup check (runtime/startup-check.ts) asks of a test environment: the
// sandbox explicitly allowed, and seller data that are not the examples of the defaults
Object.assign(process.env, {
  INVOICE_ALLOW_SANDBOX: 'true',
  SELLER_NAME: '武汉城市一卡通有限公司',
  SELLER_TAX_ID: '91420100177682811E',
  SELLER_ADDRESS: '武汉市江岸区沿江大道 100 号',
  SELLER_PHONE: '027-85551234',
  SELLER_BANK_NAME: '招商银行武汉分行营业部',
  SELLER_BANK_ACCOUNT: '127900012310001',
})
// the platform's JSON log lines would mix with nothing here, but keep the run quiet
process.stdout.write = () => true

const load = (name: string): Main => (createRequire(__filename)(path.join(root, 'cloudfunctions', name, 'index.js')) as { main: Main }).main
const as = (ctx: Record<string, unknown>) => {
  fake.wxContext = ctx
}
const USER = { OPENID: 'oSmokeUser000000000000000001', SOURCE: 'wx_client', CLIENTIP: '10.0.0.1' }

async function run(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = { node: process.version }
  const smtp = await smtpSink()
  Object.assign(process.env, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', MAIL_FROM: '武汉通电子发票 <invoice@example.com>' })
  const fns = Object.fromEntries(
    ['card', 'topup', 'payNotify', 'reconcile', 'profile', 'invoice', 'invoiceWorker', 'aftersales', 'staff'].map((n) => [n, load(n)]),
  )

  as(USER)
  results.card = await fns.card({ action: 'list' }, { request_id: 's1' })
  results.topup = await fns.topup({ action: 'config' }, {})
  results.profile = await fns.profile({ action: 'getSettings' }, {})
  results.invoice = await fns.invoice({ action: 'caps' }, {})
  results.aftersales = await fns.aftersales({ action: 'summary' }, {})
  as({ SOURCE: '' })
  results.staff = await fns.staff({ action: 'whoami', operator: '部署检查' }, {})
  as({ SOURCE: 'wx_trigger' })
  results.reconcile = await fns.reconcile({ Type: 'Timer' }, {})
  results.invoiceWorker = await fns.invoiceWorker({ Type: 'Timer' }, {})

  // A paid top-up invoiced end to end: pdfkit, the font, qrcode and storage under this Node.
  as(USER)
  const card = await fns.card({ action: 'bind', cardNo: '3104000012345673', nickname: '检查' }, {})
  const order = await fns.topup({ action: 'createOrder', cardId: card.data.card.id, amountFen: 5000, clientToken: 'tok-smoke-0001' }, {})
  const paid = fake.cloudPay.pay(order.data.order.id, { transactionId: '4200000001', timeEnd: '20261128120000' })
  as({ SOURCE: 'wx_paycallback' })
  results.payNotify = await fns.payNotify(
    {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: order.data.order.id,
      transactionId: paid.transactionId,
      totalFee: 5000,
      cashFee: 5000,
      timeEnd: paid.timeEnd,
    },
    {},
  )
  as(USER)
  const title = await fns.profile({ action: 'saveTitle', kind: 'personal', name: '张三' }, {})
  const issued = await fns.invoice(
    { action: 'request', orderIds: [order.data.order.id], titleId: title.data.title.id, email: 'smoke@example.com', clientToken: 'tok-smoke-inv1' },
    {},
  )
  results.issued = { ok: issued.ok, status: issued.data?.invoice?.status, pdfBytes: issued.data?.invoice?.pdf?.bytes ?? 0, error: issued.error ?? null }
  // nodemailer over a socket, under this Node: the mail with both files reached the server
  results.mails = smtp.mails.map((m) => ({ bytes: m.length, pdf: /filename\*?=?[^\n]*\.pdf/i.test(m) || m.includes('application/pdf') }))
  return results
}

run()
  .then((r) => {
    fs.writeFileSync(out, JSON.stringify(r, null, 2))
    process.exit(0)
  })
  .catch((e) => {
    fs.writeFileSync(out, JSON.stringify({ crashed: String(e && (e as Error).stack ? (e as Error).stack : e) }))
    process.exit(1)
  })
