/**
 * `npm run bench:batch`: 10,000 paid top-ups of one company -> invoices, end to end on the local
 * cloud: the `batch` function's preview and create (over the same handler WeChat cloud runs), then
 * its worker in the background (its own starts, chunk after chunk), every invoice through the
 * ordinary pipeline: claims in SQLite on disk, the provider sandbox, PDF and XML rendered, stored
 * in the file-system storage, e-mailed over loopback SMTP to the capture server.
 *
 *   batch_10k_s             create -> every invoice issued and every e-mail captured (goal < 60 s)
 *   batch_invoices_per_s    invoices / batch_10k_s
 *   batch_orders            top-ups in the batch (BENCH_BATCH_ORDERS, default 10000)
 *   batch_invoices          invoices made (INVOICE_MAX_ORDERS per invoice: 10 by default)
 *   batch_preview_ms        preview of the 10,000 top-ups (read, filter, split)
 *   batch_seed_s            seeding the paid top-ups (not part of the measurement)
 *
 * Where the time goes (node --cpu-prof, 1,000 top-ups -> 100 invoices, 2 cores shared): about half
 * of the CPU is the PDF (pdfkit + fontkit subsetting, ~27 ms an invoice), then SQLite statements,
 * the SMTP capture server parsing every mail (mailparser, in this same process) and zlib; the
 * process is busy for well under half of the wall time: the rest is waiting on storage writes and
 * the SMTP round trips, which BATCH_ISSUE_CONCURRENCY overlaps.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud, localOpenid, type LocalCloud } from '../scripts/local-cloud/server'
import type { StoredOrder } from '../cloudfunctions/_core/ports/order.repo'

const N = Number(process.env.BENCH_BATCH_ORDERS ?? 10_000)
const out = (name: string, value: number, digits = 2) => process.stdout.write(`${name}: ${value.toFixed(digits)}\n`)

/** handler answers are envelopes of many shapes; only the fields read here are used */
type Any = any

async function call(cloud: LocalCloud, fn: string, openid: string, event: Record<string, unknown>): Promise<Any> {
  const r = (await cloud.invoke(fn, event, 'wx_client', openid)) as Any
  if (!r?.ok) throw new Error(`${fn}.${String(event.action)}: ${JSON.stringify(r?.error)}`)
  return r.data
}

/** N paid top-ups on 20 cards over the last 5 days, written through the order repository (as payNotify would leave them). */
async function seed(cloud: LocalCloud, openid: string, cards: { id: string; cardNo: string; nickname: string }[]) {
  const deps = cloud.runtime.deps
  const now = Date.now()
  for (let i = 0; i < N; i++) {
    const card = cards[i % cards.length]
    const paidAt = new Date(now - 5 * 86400_000 + Math.floor((i * 4 * 86400_000) / N)).toISOString()
    const order: StoredOrder = {
      id: `B${crypto.randomBytes(12).toString('hex')}`.slice(0, 32),
      openid,
      clientToken: crypto.randomBytes(10).toString('hex'),
      cardId: card.id,
      cardNo: card.cardNo,
      cardNickname: card.nickname,
      amountFen: 5000,
      status: 'created',
      createdAt: paidAt,
      expiresAt: new Date(Date.parse(paidAt) + 1800_000).toISOString(),
      paidAt: null,
      closedAt: null,
      transactionId: null,
      invoiceId: null,
      autoInvoice: null,
    }
    await deps.orders.insert(order)
    await deps.orders.markPaid(order.id, ['created'], { transactionId: `T${order.id}`, paidAt, cashFen: 5000, via: 'notify' })
  }
}

function luhnCard(n: number): string {
  const body = `3104${String(n).padStart(11, '0')}`
  for (let c = 0; c < 10; c++) {
    const d = body + c
    let sum = 0
    for (let i = 0; i < d.length; i++) {
      let x = d.charCodeAt(d.length - 1 - i) - 48
      if (i % 2 === 1) {
        x *= 2
        if (x > 9) x -= 9
      }
      sum += x
    }
    if (sum % 10 === 0) return d
  }
  throw new Error('no check digit')
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-bench-batch-'))
  const cloud = await startLocalCloud({
    dataDir,
    quiet: true,
    timers: false,
    env: { PROVIDER_SANDBOX_LATENCY_MS: '0', LOCAL_SESSION_TTL_HOURS: '24', ENTERPRISE_MAX_CARDS: '200', BATCH_MAX_ORDERS: String(Math.max(N, 20000)) },
  })
  try {
    const openid = localOpenid('批量开票基准')
    const title = (await call(cloud, 'profile', openid, { action: 'saveTitle', kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' }))
      .title
    const cards = []
    for (let i = 0; i < 20; i++) cards.push((await call(cloud, 'card', openid, { action: 'bind', cardNo: luhnCard(i + 1) })).card)
    let t = Date.now()
    await seed(cloud, openid, cards)
    out('batch_seed_s', (Date.now() - t) / 1000)

    const d = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)
    const spec = {
      titleId: title.id,
      period: { kind: 'range', from: d(Date.now() - 6 * 86400_000), to: d(Date.now()) },
      cards: { kind: 'all' },
      mode: 'mixed',
      email: 'finance@example.com',
    }
    t = Date.now()
    const preview = await call(cloud, 'batch', openid, { action: 'preview', ...spec })
    out('batch_preview_ms', Date.now() - t, 0)
    if (preview.orderCount !== N) throw new Error(`preview found ${preview.orderCount} top-ups, not ${N}`)

    cloud.smtp.clear()
    const started = Date.now()
    const { job } = await call(cloud, 'batch', openid, { action: 'create', ...spec, clientToken: crypto.randomBytes(10).toString('hex') })
    let last = ''
    for (;;) {
      const j = (await call(cloud, 'batch', openid, { action: 'get', jobId: job.id, limit: 1 })).job
      const mails = cloud.smtp.list({ to: 'finance@example.com', limit: 100000 }).length
      const line = `${j.status} ${j.done}/${j.invoiceCount} mails ${mails}`
      if (line !== last && process.env.BENCH_VERBOSE) process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s ${line}\n`)
      last = line
      if (j.status !== 'running' && mails >= j.invoicesCreated) break
      if (Date.now() - started > 15 * 60_000) throw new Error(`not done after 15 min: ${line}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    const seconds = (Date.now() - started) / 1000
    const final = (await call(cloud, 'batch', openid, { action: 'get', jobId: job.id, limit: 1 })).job
    const issued = cloud.runtime.db.prepare("SELECT COUNT(*) AS n FROM invoices WHERE openid = ? AND status = 'issued'").get(openid) as { n: number }
    if (final.status !== 'done' || final.ordersInvoiced !== N || issued.n !== final.invoicesCreated) {
      throw new Error(`batch ended ${JSON.stringify(final)} with ${issued.n} issued`)
    }
    out('batch_orders', N, 0)
    out('batch_invoices', final.invoicesCreated, 0)
    out('batch_10k_s', seconds)
    out('batch_invoices_per_s', final.invoicesCreated / seconds)
  } finally {
    await cloud.runtime.invoker.idle()
    await cloud.close()
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
