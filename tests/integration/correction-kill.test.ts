import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startSmtpCapture } from '../../scripts/local-cloud/smtp-capture'
import { invariantViolations } from '../helpers/invariant'
import { CARD_A, eventually, startTestCloud } from '../helpers/local-cloud'

/**
 * 换开 under kill -9: a separate process drives the correction on the local cloud's files and is
 * killed (SIGKILL, no clean-up) at random moments, again and again, each new process retrying
 * with the same clientToken, until one finishes; then the invoice worker of a fresh local cloud
 * on the same files has nothing left to repair. Whatever the moment of the kill: one chain,
 * one red, one new blue, orders claimed by exactly one live blue invoice, money to the fen.
 */
const ROOT = path.resolve(__dirname, '../..')
const CHILD = path.join(__dirname, '../helpers/correction.child.ts')
const token = () => crypto.randomBytes(10).toString('hex')

const invariant = invariantViolations

/** Runs the child; kills it killAfterMs after it said "go" (or lets it finish when null). */
function runChild(args: string[], killAfterMs: number | null): Promise<'done' | 'killed'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (b: Buffer) => {
      const before = out
      out += b.toString()
      if (!before.includes('go\n') && out.includes('go\n') && killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    })
    child.stderr.on('data', (b: Buffer) => (err += b.toString()))
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') return resolve(out.includes('done ') ? 'done' : 'killed')
      if (code === 0 && out.includes('done ')) return resolve('done')
      reject(new Error(`child exited ${code}: ${err.slice(0, 2000)}`))
    })
  })
}

it('keeps one complete chain whatever moment a process driving the correction is killed with SIGKILL', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-kill-'))
  // the person, two paid top-ups, an issued invoice, the right title: made through the HTTP API
  const setup = await startTestCloud({ dataDir, env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
  const me = await setup.login('被中断的换开')
  const cardId = (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const orderIds: string[] = []
  for (const amountFen of [5000, 2050]) {
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: token() })
    await setup.dev('/sandbox/pay/confirm', { prepayId: payment.package.replace('prepay_id=', '') })
    await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
    orderIds.push(order.id)
  }
  const person = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
  const { invoice } = await me.ok('invoice', 'request', { orderIds, titleId: person.id, clientToken: token() })
  expect(invoice.status).toBe('issued')
  await setup.close()

  const smtp = await startSmtpCapture({ dir: path.join(dataDir, 'kill-mail'), host: '127.0.0.1', port: 0 })
  const newTitle = {
    kind: 'enterprise',
    name: '武汉示例科技有限公司',
    taxId: '91420100MA4K0000XJ',
    address: null,
    phone: null,
    bankName: null,
    bankAccount: null,
  }
  const args = [dataDir, me.openid, invoice.id, JSON.stringify(newTitle), token(), String(smtp.port)]
  const outcomes: string[] = []
  try {
    // kill at spread-out moments after the process starts its work; then one run to the end
    for (const ms of [3, 10, 20, 30, 45, 60, 80, 100, 130, 170, 220, 300]) {
      const outcome = await runChild(args, ms + Math.floor(Math.random() * 10))
      outcomes.push(outcome)
      if (outcome === 'done') break
    }
    if (!outcomes.includes('done')) outcomes.push(await runChild(args, null))
  } finally {
    await smtp.close()
  }
  expect(outcomes.filter((o) => o === 'killed').length).toBeGreaterThan(0)

  const after = await startTestCloud({ dataDir, env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
  try {
    await after.dev('/dev/api/triggers/invoiceWorker', {})
    const db = after.runtime.db
    const corrections = db.prepare('SELECT id, status, red_invoice_id, new_invoice_id FROM invoice_corrections WHERE invoice_id = ?').all(invoice.id) as Record<
      string,
      string
    >[]
    expect(corrections).toHaveLength(1)
    expect(corrections[0].status).toBe('done')
    const chain = db.prepare('SELECT id, color, status FROM invoices WHERE original_id = ? ORDER BY color').all(invoice.id) as Record<string, string>[]
    expect(chain).toEqual([
      { id: corrections[0].new_invoice_id, color: 'blue', status: 'issued' },
      { id: corrections[0].red_invoice_id, color: 'red', status: 'issued' },
    ])
    const claims = db.prepare('SELECT order_id, invoice_id FROM invoice_orders ORDER BY order_id').all() as { order_id: string; invoice_id: string }[]
    expect(claims).toEqual([...orderIds].sort().map((order_id) => ({ order_id, invoice_id: corrections[0].new_invoice_id })))
    expect(invariant(after)).toEqual([])
  } finally {
    await after.close()
  }
}, 120_000)
