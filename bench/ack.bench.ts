/**
 * `npm run bench:ack`: how fast a payment callback is answered, and how long from the payment
 * to the issued invoice, printed as `name: value` lines like bench/run.ts. In-process on the
 * local cloud's real parts: payNotify's handler, SQLite on disk, the pay and provider
 * sandboxes, the renderer, file-system storage, e-mail over loopback SMTP to the capture
 * server; the invoice worker started by the local cloud's direct invocation (what
 * cloud.callFunction does in WeChat cloud). Every top-up has automatic invoicing on, so every
 * callback requests an invoice.
 *
 *   ack_p50_ms / ack_p99_ms                      payNotify's answer time (callback delivered ->
 *                                                errcode 0), provider latency 0; one callback at a
 *                                                time, each after the previous invoice was issued
 *   ack_p50_ms_provider_2000 / ack_p99_ms_provider_2000
 *                                                the same with the provider taking 2 s to issue;
 *                                                callbacks back to back while earlier invoices are
 *                                                still being issued in the background (target
 *                                                p99 <= 200 in both)
 *   payment_to_issued_median_ms                  callback delivered -> invoice issued, stored (and
 *                                                e-mailed), provider latency 0
 *   payment_to_issued_median_ms_provider_2000    the same, provider latency 2 s, one at a time
 *   payment_to_issued_median_ms_provider_2000_back_to_back
 *                                                the 200 back-to-back callbacks above: their workers
 *                                                all run in this one process (in WeChat cloud each
 *                                                has its own instance), so this one includes queueing
 *   before_ack_p50_ms / before_ack_p99_ms        the pre-issue-7 behaviour, measured by running the
 *   before_ack_p50_ms_provider_2000              worker INLINE (the local invoker's 'inline' mode:
 *   before_payment_to_issued_median_ms           the answer waits for the whole issue, as payNotify
 *                                                did): latency 0, and 2 s for a few callbacks
 *
 * In WeChat cloud the answer also includes handing the worker's start to the platform
 * (INVOICE_HANDOFF_MS, 100 ms at most plus the connection): not measurable here; see docs/architecture.md.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud, localOpenid, type LocalCloud } from '../scripts/local-cloud/server'

const N = Number(process.env.BENCH_ACK_CALLBACKS ?? 200)
const N_BEFORE = Number(process.env.BENCH_ACK_BEFORE ?? 50)
const N_BEFORE_SLOW = Number(process.env.BENCH_ACK_BEFORE_SLOW ?? 5)
const SLOW_MS = 2000

const out = (name: string, value: number, digits = 2) => process.stdout.write(`${name}: ${value.toFixed(digits)}\n`)
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6

/** handler answers are envelopes of many shapes; only the fields read here are used */
type Any = any

async function call(cloud: LocalCloud, fn: string, openid: string, event: Record<string, unknown>): Promise<Any> {
  const r = (await cloud.invoke(fn, event, 'wx_client', openid)) as Any
  if (!r?.ok) throw new Error(`${fn}.${String(event.action)}: ${JSON.stringify(r?.error)}`)
  return r.data
}

/** A person with automatic invoicing and n top-ups paid at the sandbox, callbacks held back. */
async function paidOrders(cloud: LocalCloud, name: string, n: number): Promise<string[]> {
  const openid = localOpenid(name)
  await call(cloud, 'profile', openid, { action: 'saveTitle', kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' })
  await call(cloud, 'profile', openid, { action: 'updateSettings', autoInvoice: true, defaultEmail: 'bench@example.com' })
  const { card } = await call(cloud, 'card', openid, { action: 'bind', cardNo: '3104000012345673' })
  cloud.runtime.pay.delivery = 'never'
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const { order, payment } = await call(cloud, 'topup', openid, {
      action: 'createOrder',
      cardId: card.id,
      amountFen: 5000,
      clientToken: crypto.randomBytes(10).toString('hex'),
    })
    cloud.runtime.pay.confirm(String(payment.package).replace('prepay_id=', ''))
    ids.push(order.id)
  }
  return ids
}

/** Delivers one callback and times payNotify's answer. */
async function deliver(cloud: LocalCloud, orderId: string): Promise<number> {
  const t = process.hrtime.bigint()
  const [errcode] = await cloud.runtime.pay.deliverNow(orderId)
  const took = ms(t)
  if (errcode !== 0) throw new Error(`payNotify answered ${errcode}`)
  return took
}

/** ms from `startedAt` (epoch ms) to the invoice's 'stored' event: issued, kept, about to be e-mailed. */
async function issuedAfter(cloud: LocalCloud, orderId: string, startedAt: number): Promise<number> {
  const inv = await cloud.runtime.deps.invoices.findByOrderId(orderId)
  if (inv?.status !== 'issued') throw new Error(`invoice of ${orderId} not issued: ${inv?.status}`)
  const stored = (await cloud.runtime.deps.invoices.events(inv.id)).find((e) => e.type === 'stored')
  return Date.parse(stored!.at) - startedAt
}

async function phase(cloud: LocalCloud, name: string, opts: { n: number; latencyMs: number; mode: 'run' | 'inline'; waitEach: boolean }) {
  cloud.runtime.provider.latencyMs = opts.latencyMs
  cloud.runtime.invoker.mode = opts.mode
  const orders = await paidOrders(cloud, name, opts.n)
  const acks: number[] = []
  const started: number[] = []
  for (const id of orders) {
    started.push(Date.now())
    acks.push(await deliver(cloud, id))
    if (opts.waitEach) await cloud.runtime.invoker.idle()
  }
  await cloud.runtime.invoker.idle()
  const issued: number[] = []
  for (let i = 0; i < orders.length; i++) issued.push(await issuedAfter(cloud, orders[i], started[i]))
  return { acks, issued }
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-bench-ack-'))
  const cloud = await startLocalCloud({
    dataDir,
    quiet: true,
    timers: false,
    env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_INLINE_WAIT_MS: '5000', LOCAL_SMTP_PORT: '0' },
  })
  try {
    // warm-up: font, renderer, statements
    await phase(cloud, 'warm', { n: 5, latencyMs: 0, mode: 'run', waitEach: true })

    const fast = await phase(cloud, 'fast', { n: N, latencyMs: 0, mode: 'run', waitEach: true })
    out('ack_p50_ms', pct(fast.acks, 50))
    out('ack_p99_ms', pct(fast.acks, 99))
    const slow = await phase(cloud, 'slow', { n: N, latencyMs: SLOW_MS, mode: 'run', waitEach: false })
    out(`ack_p50_ms_provider_${SLOW_MS}`, pct(slow.acks, 50))
    out(`ack_p99_ms_provider_${SLOW_MS}`, pct(slow.acks, 99))
    out('payment_to_issued_median_ms', pct(fast.issued, 50))
    out(`payment_to_issued_median_ms_provider_${SLOW_MS}_back_to_back`, pct(slow.issued, 50))
    const slowOne = await phase(cloud, 'slowOne', { n: N_BEFORE_SLOW, latencyMs: SLOW_MS, mode: 'run', waitEach: true })
    out(`payment_to_issued_median_ms_provider_${SLOW_MS}`, pct(slowOne.issued, 50))

    const before = await phase(cloud, 'before', { n: N_BEFORE, latencyMs: 0, mode: 'inline', waitEach: true })
    out('before_ack_p50_ms', pct(before.acks, 50))
    out('before_ack_p99_ms', pct(before.acks, 99))
    out('before_payment_to_issued_median_ms', pct(before.issued, 50))
    const beforeSlow = await phase(cloud, 'beforeSlow', { n: N_BEFORE_SLOW, latencyMs: SLOW_MS, mode: 'inline', waitEach: true })
    out(`before_ack_p50_ms_provider_${SLOW_MS}`, pct(beforeSlow.acks, 50))
    out(`before_payment_to_issued_median_ms_provider_${SLOW_MS}`, pct(beforeSlow.issued, 50))
  } finally {
    await cloud.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
