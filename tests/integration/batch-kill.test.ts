import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startSmtpCapture } from '../../scripts/local-cloud/smtp-capture'
import { invariantViolations } from '../helpers/invariant'
import { CARD_A, CARD_B, eventually, startTestCloud } from '../helpers/local-cloud'

/**
 * Batch invoicing under kill -9: a separate process runs the job on the local cloud's files and is
 * killed (SIGKILL, no clean-up) at spread-out moments, again and again, each new process resuming
 * the same job one lease later, until one finishes. Whatever the moment of the kill: each order
 * on exactly one live invoice, one invoice per planned invoice (a retry finds the one made before
 * the kill by its clientToken), every invoice issued, the job's counters matching the tables.
 */
const ROOT = path.resolve(__dirname, '../..')
const CHILD = path.join(__dirname, '../helpers/batch.child.ts')
const token = () => crypto.randomBytes(10).toString('hex')

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

it('gives each order exactly one invoice whatever moment the process running a batch is killed with SIGKILL', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-batch-kill-'))
  // a company, 16 paid top-ups on two cards, a batch of 8 invoices (2 per invoice) whose start is lost
  const setup = await startTestCloud({ dataDir, env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_MAX_ORDERS: '2' } })
  const me = await setup.login('被中断的批量开票')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' })).title
  const orderIds: string[] = []
  for (const cardNo of [CARD_A, CARD_B]) {
    const cardId = (await me.ok('card', 'bind', { cardNo })).card.id
    for (let i = 0; i < 8; i++) {
      const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 1000 + i * 10, clientToken: token() })
      await setup.dev('/sandbox/pay/confirm', { prepayId: payment.package.replace('prepay_id=', '') })
      await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
      orderIds.push(order.id)
    }
  }
  await setup.dev('/dev/api/invoke', { mode: 'lose' })
  const d = new Date(Date.now() + 8 * 3600_000)
  const month = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
  const { job } = await me.ok('batch', 'create', {
    titleId: title.id,
    period: { kind: 'months', months: [month] },
    cards: { kind: 'all' },
    mode: 'per_card',
    email: 'finance@example.com',
    clientToken: token(),
  })
  expect(job).toMatchObject({ invoiceCount: 8, orderCount: 16 })
  await setup.close()

  const smtp = await startSmtpCapture({ dir: path.join(dataDir, 'kill-mail'), host: '127.0.0.1', port: 0 })
  const outcomes: string[] = []
  try {
    const kills = [5, 20, 40, 60, 90, 120, 160, 200, 260, 330, 420]
    for (let n = 0; n < kills.length; n++) {
      const outcome = await runChild([dataDir, job.id, String(smtp.port), String((n + 1) * 120_000)], kills[n] + Math.floor(Math.random() * 15))
      outcomes.push(outcome)
      if (outcome === 'done') break
    }
    if (!outcomes.includes('done')) outcomes.push(await runChild([dataDir, job.id, String(smtp.port), String((kills.length + 1) * 120_000)], null))
  } finally {
    await smtp.close()
  }
  expect(outcomes.filter((o) => o === 'killed').length).toBeGreaterThan(0)

  const after = await startTestCloud({ dataDir, env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
  try {
    await after.dev('/dev/api/clock', { offsetMs: 30 * 120_000 })
    await after.dev('/dev/api/triggers/invoiceWorker', {})
    const db = after.runtime.db
    const invoices = db.prepare('SELECT id, status, client_token, order_ids FROM invoices WHERE openid = ?').all(me.openid) as Record<string, string>[]
    expect(invoices).toHaveLength(8)
    expect(new Set(invoices.map((i) => i.client_token)).size).toBe(8)
    for (const i of invoices) expect(i.status).toBe('issued')
    const perOrder = new Map<string, number>()
    for (const i of invoices) for (const o of JSON.parse(i.order_ids) as string[]) perOrder.set(o, (perOrder.get(o) ?? 0) + 1)
    expect([...perOrder.keys()].sort()).toEqual([...orderIds].sort())
    expect([...perOrder.values()].every((n) => n === 1)).toBe(true)
    const j = db.prepare('SELECT status, next_index, invoices_created, orders_invoiced, orders_skipped, failed FROM batch_jobs WHERE id = ?').get(job.id)
    expect(j).toEqual({ status: 'done', next_index: 8, invoices_created: 8, orders_invoiced: 16, orders_skipped: 0, failed: 0 })
    expect(invariantViolations(after)).toEqual([])
  } finally {
    await after.close()
  }
}, 180_000)
