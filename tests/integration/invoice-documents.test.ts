import crypto from 'node:crypto'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * The documents of issue 7 through the local cloud, as a person meets them: a title named with a
 * rare character (王𪚥) is saved and invoiced, the stored PDF prints it (fallback font embedded)
 * and carries the 数电票 QR payload a scanner reads (zbarimg); names with emoji or direction
 * controls are refused with the reason, zero-width characters are removed.
 */
let cloud: TestCloud
let dir: string
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inv-docs-'))
}, 30_000)
afterAll(async () => {
  await cloud.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const token = () => crypto.randomBytes(10).toString('hex')
let seq = 0
const login = () => cloud.login(`生僻字${++seq}`)

async function paidOrder(me: Client, amountFen: number): Promise<string> {
  const cardId = (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: token() })
  await fetch(`${cloud.url}/sandbox/pay/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
  })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  return order.id
}

const out = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })

it('a personal title 王𪚥 is invoiced: the PDF prints it and its QR reads 01,32,,<number>,<amount>,<date>,,<check>', async () => {
  const me = await login()
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '\u200b王𪚥\ufeff' })).title
  expect(title.name).toBe('王𪚥') // zero-width characters removed
  const orderId = await paidOrder(me, 24690)
  const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: title.id, clientToken: token() })
  const issued = await eventually(async () => {
    const { invoice: now } = await me.ok('invoice', 'get', { invoiceId: invoice.id })
    return now.status === 'issued' ? now : null
  })
  const files = await me.ok('invoice', 'files', { invoiceId: issued.id })
  const res = await fetch(files.pdfUrl, { headers: { Authorization: `Bearer ${me.token}` } })
  expect(res.status).toBe(200)
  const file = path.join(dir, `${issued.invoiceNo}.pdf`)
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()))

  const text = out('/usr/bin/pdftotext', '-layout', '-enc', 'UTF-8', file, '-')
  expect(text).toContain('名称：王𪚥')
  expect(text).toContain('贰佰肆拾陆圆玖角整')
  expect(out('/usr/bin/pdffonts', file)).toMatch(/\+HanaMinB\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)

  out('/usr/bin/pdftoppm', '-png', '-r', '150', '-f', '1', '-l', '1', '-singlefile', file, path.join(dir, 'page'))
  const scanned = out('/usr/bin/zbarimg', '--raw', '-q', path.join(dir, 'page.png')).trim()
  const ymd = new Date(Date.parse(issued.issuedAt) + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')
  expect(scanned).toMatch(new RegExp(`^01,32,,${issued.invoiceNo},246\\.90,${ymd},,[0-9A-F]{4}$`))
})

it('refuses names with emoji or direction controls with TITLE.NAME_INVALID and says why; nothing is saved', async () => {
  const me = await login()
  const emoji = await me.call('profile', { action: 'saveTitle', kind: 'personal', name: '张三😀' })
  expect(emoji.body.error).toEqual({ code: 'TITLE.NAME_INVALID', message: '姓名不能含表情符号（😀），请按登记的名称填写' })
  const rlo = await me.call('profile', { action: 'saveTitle', kind: 'enterprise', name: '武汉\u202e司公限有', taxId: '91420100MA4K0000XJ' })
  expect(rlo.body.error.code).toBe('TITLE.NAME_INVALID')
  expect(rlo.body.error.message).toContain('文字方向控制符')
  const beyond = await me.call('profile', { action: 'saveTitle', kind: 'personal', name: `王${String.fromCodePoint(0x30000)}` })
  expect(beyond.body.error.code).toBe('TITLE.NAME_INVALID')
  expect(beyond.body.error.message).toContain('U+30000')
  expect((await me.ok('profile', 'listTitles')).titles).toEqual([])
})

it('a stored title that cannot be printed (saved under an older rule) is refused at request time; no invoice is created', async () => {
  const me = await login()
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
  // as an older version accepted it: an emoji in the stored name
  cloud.runtime.db.prepare('UPDATE invoice_titles SET name = ? WHERE id = ?').run('张三😀', title.id)
  const orderId = await paidOrder(me, 1000)
  const refused = await me.call('invoice', { action: 'request', orderIds: [orderId], titleId: title.id, clientToken: token() })
  expect(refused.body.error.code).toBe('TITLE.NAME_INVALID')
  expect(refused.body.error.message).toContain('请先修改该抬头再开票')
  expect((await me.ok('invoice', 'forOrder', { orderId })).invoice).toBeNull()
})
