import { execFile } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import type { Manifest } from '../../scripts/backup/local-snapshot'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * npm run backup / restore / backup:verify over a real local cloud (HTTP, SQLite on disk in
 * WAL mode, file storage), each run as the CLI the on-call engineer runs.
 */
const root = path.resolve(__dirname, '../..')
const run = promisify(execFile)
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix))
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')
const token = () => crypto.randomBytes(10).toString('hex')

/** the CLI; resolves with the exit code and output whatever the code */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/backup/main.ts', ...args], { cwd: root })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }
  }
}

async function paidOrders(c: TestCloud, me: Client, amounts: number[]): Promise<string[]> {
  const cards = (await me.ok('card', 'list')).cards as { id: string; cardNo: string }[]
  const cardId = cards.find((x) => x.cardNo === CARD_A)?.id ?? (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const ids: string[] = []
  for (const amountFen of amounts) {
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: token() })
    await fetch(`${c.url}/sandbox/pay/confirm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
    })
    await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
    ids.push(order.id)
  }
  return ids
}

async function download(me: Client, invoiceId: string): Promise<{ pdf: Buffer; xml: Buffer }> {
  const files = await me.ok('invoice', 'files', { invoiceId })
  const get = async (url: string) => {
    const r = await fetch(url, { headers: { Authorization: `Bearer ${me.token}` } })
    expect(r.status).toBe(200)
    return Buffer.from(await r.arrayBuffer())
  }
  return { pdf: await get(files.pdfUrl), xml: await get(files.xmlUrl) }
}

const recorded = (c: TestCloud, invoiceId: string) =>
  c.runtime.db.prepare('SELECT pdf_sha256 AS pdf, xml_sha256 AS xml FROM invoices WHERE id = ?').get(invoiceId) as { pdf: string; xml: string }

const manifestOf = (snapshot: string) => JSON.parse(fs.readFileSync(path.join(snapshot, 'manifest.json'), 'utf8')) as Manifest
const copyOf = (snapshot: string) => {
  const to = path.join(tmp('wt-snapcopy-'), path.basename(snapshot))
  fs.cpSync(snapshot, to, { recursive: true })
  return to
}

let cloud: TestCloud
let dataDir: string
let outDir: string
let snapshot: string
let backupRun: { code: number; stdout: string; stderr: string }
const invoiceIds: { owner: string; id: string }[] = []
let before: Map<string, { pdf: Buffer; xml: Buffer }>

beforeAll(async () => {
  dataDir = tmp('wt-backup-data-')
  outDir = tmp('wt-backups-')
  cloud = await startTestCloud({ dataDir, env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
  // a person with an invoice that was corrected (换开: original, red, new) ...
  const ann = await cloud.login('备份甲')
  const orderIds = await paidOrders(cloud, ann, [5000, 2050])
  const person = (await ann.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
  const company = (await ann.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: '91420100MA4K0000XJ' })).title
  const { invoice } = await ann.ok('invoice', 'request', { orderIds, titleId: person.id, email: 'ann@example.com', clientToken: token() })
  expect(invoice.status).toBe('issued')
  const { correction } = await ann.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: company.id, email: 'ann@example.com', clientToken: token() })
  expect(correction.status).toBe('done')
  for (const id of [invoice.id, correction.redInvoiceId, correction.newInvoiceId]) invoiceIds.push({ owner: '备份甲', id })
  // ... another with a plain invoice, and a paid top-up left uninvoiced
  const bob = await cloud.login('备份乙')
  const [o1, o2] = await paidOrders(cloud, bob, [10000, 3000])
  const bobTitle = (await bob.ok('profile', 'saveTitle', { kind: 'personal', name: '李四' })).title
  const bobInvoice = (await bob.ok('invoice', 'request', { orderIds: [o1], titleId: bobTitle.id, email: 'bob@example.com', clientToken: token() })).invoice
  expect(bobInvoice.status).toBe('issued')
  expect(o2).toBeTruthy()
  invoiceIds.push({ owner: '备份乙', id: bobInvoice.id })

  const clients = new Map([
    ['备份甲', ann],
    ['备份乙', bob],
  ])
  before = new Map()
  for (const { owner, id } of invoiceIds) before.set(id, await download(clients.get(owner)!, id))
  // a writer killed mid-file leaves <file>.<pid>.tmp: never part of a snapshot
  fs.writeFileSync(path.join(dataDir, 'storage', 'users', 'half-written.pdf.4242.tmp'), 'partial')

  // the backup runs while the local cloud keeps taking payments (WAL, another process)
  const carol = await cloud.login('备份丙')
  ;[backupRun] = await Promise.all([cli('backup', '--data', dataDir, '--out', outDir), paidOrders(cloud, carol, [1000, 2000, 3000, 4000])])
  snapshot = /^snapshot: (.+)$/m.exec(backupRun.stdout)?.[1] ?? ''
}, 120_000)

afterAll(async () => {
  await cloud?.close()
})

it('restores a snapshot taken while the local cloud runs into a destroyed data dir, verifies it, and serves the same invoices', async () => {
  expect(backupRun).toMatchObject({ code: 0, stderr: '' })
  const m = manifestOf(snapshot)
  expect(m.problems).toEqual([])
  expect(m.databases.map((d) => d.file)).toEqual(expect.arrayContaining(['cloud.db', 'pay-sandbox.db', 'provider-sandbox.db']))
  expect(m.money.blueInvoices).toEqual({ count: 3, fen: 7050 + 7050 + 10000 })
  expect(m.money.redInvoices).toEqual({ count: 1, fen: 7050 })
  // the top-ups racing the backup are either wholly in it or not at all
  expect(m.money.paidOrders.fen - 5000 - 2050 - 10000 - 3000).toBeGreaterThanOrEqual(0)
  expect(m.money.paidOrders.count).toBeGreaterThanOrEqual(4)
  expect(m.files.some((f) => f.path.endsWith('.tmp'))).toBe(false)

  await cloud.close()
  fs.rmSync(dataDir, { recursive: true, force: true })

  const restored = await cli('restore', snapshot, '--data', dataDir)
  expect(restored).toMatchObject({ code: 0, stderr: '' })
  const verified = await cli('verify', snapshot)
  expect(verified).toMatchObject({ code: 0, stderr: '' })
  expect(verified.stdout).toMatch(/ 8 invoice files match/) // 4 invoices x (PDF + XML)

  cloud = await startTestCloud({ dataDir, env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
  const clients = new Map([
    ['备份甲', await cloud.login('备份甲')],
    ['备份乙', await cloud.login('备份乙')],
  ])
  for (const { owner, id } of invoiceIds) {
    const files = await download(clients.get(owner)!, id)
    const rec = recorded(cloud, id)
    expect(sha(files.pdf)).toBe(rec.pdf)
    expect(sha(files.xml)).toBe(rec.xml)
    expect(files.pdf.equals(before.get(id)!.pdf)).toBe(true)
  }
}, 120_000)

it('verify fails on a snapshot in which an invoice PDF was altered', async () => {
  const copy = copyOf(snapshot)
  const pdf = manifestOf(copy).files.find((f) => f.path.endsWith('.pdf'))!
  const file = path.join(copy, 'data', pdf.path)
  const bytes = fs.readFileSync(file)
  bytes[bytes.length >> 1] ^= 0xff
  fs.writeFileSync(file, bytes)
  const r = await cli('verify', copy)
  expect(r.code).toBe(1)
  expect(r.stderr).toContain(`${pdf.path}: SHA-256 differs from the manifest`)
})

it('verify checks invoice files against the SHA-256 recorded on the invoice, not only against the manifest', async () => {
  const copy = copyOf(snapshot)
  const m = manifestOf(copy)
  const xml = m.files.find((f) => f.path.endsWith('.xml'))!
  const forged = Buffer.from('<forged/>')
  fs.writeFileSync(path.join(copy, 'data', xml.path), forged)
  Object.assign(xml, { bytes: forged.length, sha256: sha(forged) })
  fs.writeFileSync(path.join(copy, 'manifest.json'), JSON.stringify(m))
  const r = await cli('verify', copy)
  expect(r.code).toBe(1)
  expect(r.stderr).toMatch(new RegExp(`XML: ${xml.path.replace(/[.]/g, '\\.')} SHA-256 differs from the one recorded on the invoice`))
})

it('verify catches a database whose money no longer adds up to the manifest, even with the file hash rewritten', async () => {
  const copy = copyOf(snapshot)
  const db = new Database(path.join(copy, 'data', 'cloud.db'))
  db.prepare("UPDATE topup_orders SET amount_fen = amount_fen + 1 WHERE id = (SELECT id FROM topup_orders WHERE status = 'paid' LIMIT 1)").run()
  db.close()
  const m = manifestOf(copy)
  const entry = m.files.find((f) => f.path === 'cloud.db')!
  const bytes = fs.readFileSync(path.join(copy, 'data', 'cloud.db'))
  Object.assign(entry, { bytes: bytes.length, sha256: sha(bytes) })
  fs.writeFileSync(path.join(copy, 'manifest.json'), JSON.stringify(m))
  const r = await cli('verify', copy)
  expect(r.code).toBe(1)
  expect(r.stderr).toMatch(/money paidOrders: \d+ \/ [\d.]+ 元, manifest says/)
})

it('restore refuses a data dir that is not empty and leaves it as it was', async () => {
  const dir = tmp('wt-nonempty-')
  fs.writeFileSync(path.join(dir, 'cloud.db'), 'live data')
  const r = await cli('restore', snapshot, '--data', dir)
  expect(r.code).toBe(1)
  expect(r.stderr).toContain('is not empty')
  expect(fs.readdirSync(dir)).toEqual(['cloud.db'])
  expect(fs.readFileSync(path.join(dir, 'cloud.db'), 'utf8')).toBe('live data')
})

it('restore refuses a damaged snapshot and writes nothing', async () => {
  const copy = copyOf(snapshot)
  fs.rmSync(path.join(copy, 'data', 'pay-sandbox.db'))
  const dir = path.join(tmp('wt-restore-'), 'data')
  const r = await cli('restore', copy, '--data', dir)
  expect(r.code).toBe(1)
  expect(r.stderr).toContain('pay-sandbox.db: missing from the snapshot')
  expect(fs.existsSync(dir)).toBe(false)
})

it('backup --keep N keeps only the newest N snapshots', async () => {
  const out = tmp('wt-keep-')
  for (const name of ['wt-backup-20260101T000000000Z', 'wt-backup-20260102T000000000Z']) fs.cpSync(snapshot, path.join(out, name), { recursive: true })
  const r = await cli('backup', '--data', dataDir, '--out', out, '--keep', '2')
  expect(r.code).toBe(0)
  const made = /^snapshot: (.+)$/m.exec(r.stdout)![1]
  expect(fs.readdirSync(out).sort()).toEqual(['wt-backup-20260102T000000000Z', path.basename(made)].sort())
})
