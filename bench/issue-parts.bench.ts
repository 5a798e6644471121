/**
 * Where one invoice's CPU goes, by port: `npm run bench:parts`. The same pipeline
 * as `npm run bench`'s issue_ms (request, sandbox provider, PDF + XML, SHA-256, storage, e-mail
 * over SMTP to a capture server in its own process), with every method of every port wrapped in
 * a process.cpuUsage() timer. The invoices run one after another, so the CPU spent between a
 * call's start and its end is that call's (an await included). Prints, per invoice:
 *   part_<port>_<method>_cpu_ms   CPU inside that port call (nested calls counted in both)
 *   part_<port>_<method>_calls    how often it is called
 *   issue_cpu_ms, pdf_render_cpu_ms, issue_other_cpu_ms   as bench/run.ts defines them
 * docs/capacity.md ("Not met") reads the table from this.
 */
import { fork } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { advanceInvoice, requestInvoice } from '../cloudfunctions/_core/app/invoice.service'
import { saveTitle } from '../cloudfunctions/_core/app/profile.service'
import { jsonLogger } from '../cloudfunctions/_core/runtime/logger'
import { createLocalRuntime } from '../cloudfunctions/_core/wiring/local'

const N = Number(process.env.BENCH_INVOICES ?? 100)
const cpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

type Stat = { calls: number; ms: number }

/** Replaces each method of a port object (own and inherited) by one that adds up its CPU. */
function instrument(name: string, port: unknown, stats: Map<string, Stat>): void {
  if (!port || typeof port !== 'object') return
  const obj = port as Record<string, unknown>
  const keys = new Set(Object.keys(obj))
  for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const k of Object.getOwnPropertyNames(p)) if (k !== 'constructor') keys.add(k)
  for (const k of keys) {
    const f = obj[k]
    if (typeof f !== 'function') continue
    obj[k] = (...args: unknown[]) => {
      const start = cpu()
      const done = () => {
        const s = stats.get(`${name}_${k}`) ?? { calls: 0, ms: 0 }
        s.calls++
        s.ms += cpu() - start
        stats.set(`${name}_${k}`, s)
      }
      const r = (f as (...a: unknown[]) => unknown).apply(obj, args)
      if (r instanceof Promise) return r.finally(done)
      done()
      return r
    }
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-bench-parts-'))
  const child = fork(path.join(__dirname, 'smtp-server.child.ts'), [path.join(dir, 'mail')], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  })
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))))
  const rt = createLocalRuntime({
    dataDir: dir,
    env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_INLINE_WAIT_MS: '0' },
    baseUrl: () => 'http://127.0.0.1:0',
    now: () => new Date(),
    log: jsonLogger(() => undefined),
    smtp: { host: '127.0.0.1', port },
    deliverPayCallback: async () => ({ errcode: 0 }),
  })
  const deps = rt.deps
  const openid = 'oBenchParts000000000000000000'
  const title = await saveTitle(deps, openid, { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' })
  const ins = rt.db.prepare(
    `INSERT INTO topup_orders (id, openid, client_token, card_id, card_no, card_nickname, amount_fen, status, created_at, expires_at, paid_at, transaction_id)
     VALUES (?, ?, ?, 'card', '3104000012345673', '通勤卡', 5000, 'paid', ?, ?, ?, ?)`,
  )
  const now = new Date().toISOString()
  const orders = Array.from({ length: N + 10 }, (_, i) => `WP${Date.now()}${String(i).padStart(12, '0')}`.slice(0, 28))
  rt.db.transaction(() => orders.forEach((id, i) => ins.run(id, openid, `tok${i}`, now, now, now, `4200${i}`)))()

  const stats = new Map<string, Stat>()
  const renderer = deps.renderer()
  instrument('renderer', renderer, stats)
  Object.assign(deps, { renderer: () => renderer })
  for (const [name, port] of Object.entries(deps)) if (!['log', 'config', 'clock', 'renderer'].includes(name)) instrument(name, port, stats)

  const issue = async (orderId: string) => {
    const inv = await requestInvoice(deps, openid, { orderIds: [orderId], titleId: title.id, email: 'bench@example.com', clientToken: `parts-${orderId}` })
    if ((await advanceInvoice(deps, inv.id)).status !== 'issued') throw new Error('not issued')
  }
  for (const id of orders.slice(N)) await issue(id) // warm-up
  stats.clear()
  const start = cpu()
  for (const id of orders.slice(0, N)) await issue(id)
  const total = (cpu() - start) / N
  const render = (stats.get('renderer_renderPdf')?.ms ?? 0) / N

  const out = (name: string, v: number, digits = 3) => process.stdout.write(`${name}: ${v.toFixed(digits)}\n`)
  for (const [key, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) {
    out(`part_${key}_cpu_ms`, s.ms / N)
    out(`part_${key}_calls`, s.calls / N, 1)
  }
  out('issue_cpu_ms', total, 2)
  out('pdf_render_cpu_ms', render, 2)
  out('issue_other_cpu_ms', total - render, 2)
  rt.close()
  child.disconnect()
  fs.rmSync(dir, { recursive: true, force: true })
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
  process.exit(1)
})
