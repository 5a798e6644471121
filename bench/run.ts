/**
 * `npm run bench`: prints each figure as `name: value` on a line of its own, so runs can be
 * compared. Measured in-process on the local cloud's real parts (SQLite on disk, file-system
 * storage, the provider sandbox with no latency, SMTP over loopback to the capture server).
 *
 *   pdf_render_ms            bare PDF render of one invoice (warm, wall time, median)
 *   pdf_render_cpu_ms        the CPU this process spends on one bare render (GC threads included)
 *   issue_ms                 one invoice end to end, wall time: request, issue at the provider,
 *                            render PDF + XML, SHA-256, store both, e-mail over SMTP (the SMTP
 *                            server runs in its own process, as a real one would)
 *   issue_cpu_ms             the CPU this process spends on one invoice end to end
 *   issue_other_cpu_ms       issue_cpu_ms minus pdf_render_cpu_ms: everything but the PDF
 *   issue_to_render_ratio    issue_cpu_ms / pdf_render_cpu_ms: the cost of an invoice against the
 *                            bare render, both in CPU (target <= 1.5)
 *   issue_wall_to_render_ratio  the same in wall time, which also counts waiting on the mail server
 *   invoices_per_second      end-to-end invoices per second, one after another
 *   pdf_kb                   size of the PDF (target <= 60)
 *   history_10k_ms / history_1m_ms   one history page (20 rows, newest first, plus a card filter)
 *                            for a user, with 10k and with 1M invoices in the database
 *   history_1m_to_10k_ratio  (target <= 1.2)
 *   correction_ms            one whole 换开, wall time: red-letter form, red invoice (render, store,
 *                            e-mail), the atomic claim move, the new blue invoice (the same), median
 *   correction_to_issue_ratio  correction_ms / issue_ms (two invoices and a form: about 2)
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { advanceCorrection, requestCorrection } from '../cloudfunctions/_core/app/correction.service'
import { listInvoices, advanceInvoice, requestInvoice } from '../cloudfunctions/_core/app/invoice.service'
import { saveTitle } from '../cloudfunctions/_core/app/profile.service'
import { buildInvoiceDocument } from '../cloudfunctions/_core/domain/invoice'
import { jsonLogger } from '../cloudfunctions/_core/runtime/logger'
import { createLocalRuntime, type LocalRuntime } from '../cloudfunctions/_core/wiring/local'
import { fork, type ChildProcess } from 'node:child_process'

const ISSUE_N = Number(process.env.BENCH_INVOICES ?? 60)
const CORRECTION_N = Math.min(Number(process.env.BENCH_CORRECTIONS ?? 20), ISSUE_N)
const HISTORY_RUNS = Number(process.env.BENCH_HISTORY_RUNS ?? 1000)
const BIG = Number(process.env.BENCH_BIG ?? 1_000_000)
const SMALL = 10_000

const out = (name: string, value: number, digits = 2) => process.stdout.write(`${name}: ${value.toFixed(digits)}\n`)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function runtime(dir: string, smtpPort: number): Promise<LocalRuntime> {
  return createLocalRuntime({
    dataDir: dir,
    env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_MAX_ORDERS: '10', INVOICE_INLINE_WAIT_MS: '0' },
    baseUrl: () => 'http://127.0.0.1:0',
    now: () => new Date(),
    log: jsonLogger(() => undefined),
    smtp: { host: '127.0.0.1', port: smtpPort },
    deliverPayCallback: async () => ({ errcode: 0 }),
  })
}

/** Paid orders straight into the store (the payment path is not what this measures). */
function seedPaidOrders(rt: LocalRuntime, openid: string, n: number): string[] {
  const ins = rt.db.prepare(
    `INSERT INTO topup_orders (id, openid, client_token, card_id, card_no, card_nickname, amount_fen, status, created_at, expires_at, paid_at, transaction_id)
     VALUES (?, ?, ?, 'card', '3104000012345673', '通勤卡', 5000, 'paid', ?, ?, ?, ?)`,
  )
  const now = new Date().toISOString()
  const ids: string[] = []
  rt.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `WT${Date.now()}${String(i).padStart(12, '0')}`.slice(0, 28)
      ins.run(id, openid, `tok${i}`, now, now, now, `4200${i}`)
      ids.push(id)
    }
  })()
  return ids
}

function startMailServer(dir: string): Promise<{ port: number; child: ChildProcess; count(): Promise<number> }> {
  const child = fork(path.join(__dirname, 'smtp-server.child.ts'), [dir], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.stdout!.once('data', (d: Buffer) =>
      resolve({
        port: Number(d.toString().trim()),
        child,
        count: () =>
          new Promise((r) => {
            child.once('message', (n) => r(Number(n)))
            child.send('count')
          }),
      }),
    )
  })
}

const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

async function benchIssue(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-bench-'))
  const smtp = await startMailServer(path.join(dir, 'mail'))
  const rt = await runtime(dir, smtp.port)
  const deps = rt.deps
  const openid = 'oBenchUser0000000000000000000'
  const title = await saveTitle(deps, openid, { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' })
  const orders = seedPaidOrders(rt, openid, ISSUE_N + 5)

  // bare render, warm, of documents like the pipeline's: each with its own number and order
  // (the same document over and over would hit pdfkit's text-layout cache and flatter the render)
  const renderer = deps.renderer()
  const docOf = (i: number) =>
    buildInvoiceDocument({
      invoiceNo: `2642100000${String(900000 + i).padStart(10, '0')}`,
      issuedAt: new Date().toISOString(),
      title: { kind: 'enterprise', name: title.name, taxId: title.taxId, address: null, phone: null, bankName: null, bankAccount: null },
      orders: [{ id: `WT${Date.now()}${String(i).padStart(13, '0')}`.slice(0, 28), amountFen: 5000, cardNo: '3104000012345673' }],
      seller: deps.config.invoice.seller,
    })
  for (let i = 0; i < 5; i++) await renderer.renderPdf(docOf(i))
  // end to end: request -> issue -> render PDF + XML -> store -> e-mail over SMTP
  const issue = async (orderId: string): Promise<string> => {
    const inv = await requestInvoice(deps, openid, { orderIds: [orderId], titleId: title.id, email: 'bench@example.com', clientToken: `bench-${orderId}` })
    const done = await advanceInvoice(deps, inv.id)
    if (done.status !== 'issued') throw new Error(`not issued: ${done.status}`)
    return inv.id
  }
  const issuedIds: string[] = []
  for (const id of orders.slice(ISSUE_N)) await issue(id) // warm-up

  // Bare renders and whole invoices alternate, so both see the same machine state (GC, CPU
  // frequency, the other core); CPU is summed per kind, wall time is the median.
  const renders: number[] = []
  const issues: number[] = []
  let renderCpu = 0
  let issueCpu = 0
  let issueWallS = 0
  let pdfBytes = 0
  for (let i = 0; i < ISSUE_N; i++) {
    const doc = docOf(1000 + i)
    let c = cpuMs()
    let t = process.hrtime.bigint()
    pdfBytes = (await renderer.renderPdf(doc)).length
    renders.push(Number(process.hrtime.bigint() - t) / 1e6)
    renderCpu += cpuMs() - c
    c = cpuMs()
    t = process.hrtime.bigint()
    issuedIds.push(await issue(orders[i]))
    const wall = Number(process.hrtime.bigint() - t) / 1e6
    issues.push(wall)
    issueWallS += wall / 1000
    issueCpu += cpuMs() - c
  }
  renderCpu /= ISSUE_N
  const cpuPerInvoice = issueCpu / ISSUE_N
  const totalS = issueWallS
  if ((await smtp.count()) < ISSUE_N) throw new Error('not every invoice was e-mailed')

  const render = median(renders)
  const whole = median(issues)
  out('pdf_render_ms', render)
  out('pdf_render_cpu_ms', renderCpu)
  out('issue_ms', whole)
  out('issue_cpu_ms', cpuPerInvoice)
  out('issue_other_cpu_ms', cpuPerInvoice - renderCpu)
  out('issue_to_render_ratio', cpuPerInvoice / renderCpu)
  out('issue_wall_to_render_ratio', whole / render)
  out('invoices_per_second', ISSUE_N / totalS, 1)
  out('pdf_kb', pdfBytes / 1024, 1)

  // 换开 of issued invoices to a personal title, each to its end
  const person = { kind: 'personal' as const, name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null }
  const corrections: number[] = []
  for (const invoiceId of issuedIds.slice(0, CORRECTION_N)) {
    const t = process.hrtime.bigint()
    const c = await requestCorrection(deps, {
      openid,
      invoiceId,
      newTitle: person,
      email: 'bench@example.com',
      buyerBooked: false,
      clientToken: `bench-c-${invoiceId}`,
      by: 'user',
    })
    let v = await advanceCorrection(deps, c.id)
    for (let i = 0; v.status !== 'done' && i < 100; i++) v = await advanceCorrection(deps, c.id, 50)
    if (v.status !== 'done') throw new Error(`correction not done: ${v.status}`)
    corrections.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  out('correction_ms', median(corrections))
  out('correction_to_issue_ratio', median(corrections) / whole)
  rt.close()
  smtp.child.disconnect()
  fs.rmSync(dir, { recursive: true, force: true })
}

/** n invoices spread over users of 100 invoices each, plus one user we page through. */
function seedInvoices(rt: LocalRuntime, n: number, me: string): void {
  const inv = rt.db.prepare(
    `INSERT INTO invoices (id, openid, client_token, status, source, title, email, amount_fen, order_ids, cards, requested_at, issued_at, invoice_no, attempts)
     VALUES (?, ?, ?, 'issued', 'single', ?, NULL, 5000, ?, ?, ?, ?, ?, 1)`,
  )
  const claim = rt.db.prepare('INSERT INTO invoice_orders (order_id, invoice_id, openid, card_no, requested_at) VALUES (?, ?, ?, ?, ?)')
  const title = JSON.stringify({ kind: 'personal', name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null })
  const base = Date.parse('2024-01-01T00:00:00Z')
  const batch = 50_000
  for (let start = 0; start < n; start += batch) {
    rt.db.transaction(() => {
      for (let i = start; i < Math.min(n, start + batch); i++) {
        const owner = i < 200 ? me : `oUser${Math.floor(i / 100)}`
        const id = `INV${String(i).padStart(10, '0')}`
        const orderId = `WT${String(i).padStart(26, '0')}`
        const card = i % 3 === 0 ? '3104000098765430' : '3104000012345673'
        const at = new Date(base + i * 30_000).toISOString()
        inv.run(
          id,
          owner,
          `t${i}`,
          title,
          JSON.stringify([orderId]),
          JSON.stringify([{ cardNo: card, nickname: '卡' }]),
          at,
          at,
          String(26421000000000000000n + BigInt(i)),
        )
        claim.run(orderId, id, owner, card, at)
      }
    })()
  }
}

/** A database of n invoices, and one history page read (4 queries: first page, next page, card filter, status filter). */
async function historyDb(n: number, me: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-bench-hist-'))
  const rt = await runtime(dir, 2525)
  seedInvoices(rt, n, me)
  rt.db.pragma('optimize')
  const deps = rt.deps
  const page = async () => {
    const first = await listInvoices(deps, me, { limit: 20 })
    await listInvoices(deps, me, { limit: 20, cursor: first.nextCursor! })
    await listInvoices(deps, me, { limit: 20, cardNo: '3104000098765430' })
    await listInvoices(deps, me, { limit: 20, status: 'issued' })
  }
  return {
    page,
    close: () => {
      rt.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Median ms of one query at 10k and at BIG invoices, measured in alternation so drift hits both alike. */
async function historyPages(): Promise<{ small: number; big: number }> {
  const me = 'oHistoryUser000000000000000'
  const small = await historyDb(SMALL, me)
  const big = await historyDb(BIG, me)
  const time = async (page: () => Promise<void>) => {
    const t = process.hrtime.bigint()
    await page()
    return Number(process.hrtime.bigint() - t) / 1e6 / 4
  }
  for (let i = 0; i < 50; i++) {
    await small.page()
    await big.page()
  }
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < HISTORY_RUNS; i++) {
    a.push(await time(small.page))
    b.push(await time(big.page))
  }
  small.close()
  big.close()
  return { small: median(a), big: median(b) }
}

async function main() {
  await benchIssue()
  const { small, big } = await historyPages()
  out('history_10k_ms', small, 3)
  out(`history_${BIG >= 1_000_000 ? '1m' : BIG}_ms`, big, 3)
  out('history_1m_to_10k_ratio', big / small)
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
