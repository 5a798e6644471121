import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import path from 'node:path'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * Users' sensitive actions in the audit chain, and `npm run audit:verify` over a local cloud's
 * data dir: HTTP in, SQLite on disk, the CLI run as its own process.
 */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
}, 30_000)
afterAll(() => cloud.close())

const root = path.resolve(__dirname, '../..')
const VALID_TAX_ID = '91420100MA4K0000XJ'
const OTHER_TAX_ID = '91420100MA4K0001XK'
const token = () => crypto.randomBytes(10).toString('hex')

type Row = Record<string, string | number | null>
const auditRows = (target: string): Row[] => cloud.runtime.db.prepare('SELECT * FROM staff_audit WHERE target = ? ORDER BY seq').all(target) as Row[]

/** No column of a record holds the openid, a name, a tax ID or an e-mail in clear. */
function expectNoPersonalData(rows: Row[], me: Client, ...clear: string[]) {
  const text = JSON.stringify(rows)
  for (const s of [me.openid, ...clear]) expect(text).not.toContain(s)
}

function verifyCli(): { status: number | null; out: string } {
  const r = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/audit/verify.ts'), '--data', cloud.dataDir], { encoding: 'utf8' })
  return { status: r.status, out: r.stdout + r.stderr }
}

async function paidOrder(me: Client): Promise<string> {
  const cardId = (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 5000, clientToken: token() })
  await fetch(`${cloud.url}/sandbox/pay/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
  })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  return order.id
}

it('audits creating, changing and removing a title as the user, with digests and nothing personal in clear', async () => {
  const me = await cloud.login('审计抬头')
  const { title } = await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉审计示例科技有限公司', taxId: VALID_TAX_ID })
  await me.ok('profile', 'saveTitle', { id: title.id, kind: 'enterprise', name: '武汉审计另一家科技有限公司', taxId: OTHER_TAX_ID })
  await me.ok('profile', 'removeTitle', { titleId: title.id })

  const rows = auditRows(`title:${title.id}`)
  expect(rows.map((r) => [r.action, r.role, r.operator])).toEqual([
    ['title.create', 'user', 'user'],
    ['title.update', 'user', 'user'],
    ['title.remove', 'user', 'user'],
  ])
  expect(rows.map((r) => [r.before_digest === null, r.after_digest === null])).toEqual([
    [true, false],
    [false, false],
    [false, true],
  ])
  expect(rows[1].before_digest).toBe(rows[0].after_digest)
  expect(rows[1].after_digest).not.toBe(rows[1].before_digest)
  for (const r of rows) expect(r.via).toBe(`${me.openid.slice(0, 4)}****${me.openid.slice(-4)}`)
  expectNoPersonalData(rows, me, '武汉审计示例科技有限公司', '武汉审计另一家科技有限公司', VALID_TAX_ID, OTHER_TAX_ID)
}, 30_000)

it('audits a correction the user requested against the invoice, with nothing personal in clear', async () => {
  const me = await cloud.login('审计换开')
  const orderId = await paidOrder(me)
  const person = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '审计张三' })).title
  const company = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉审计换开科技有限公司', taxId: VALID_TAX_ID })).title
  const { invoice } = await me.ok('invoice', 'request', { orderIds: [orderId], titleId: person.id, email: 'audit-me@example.com', clientToken: token() })
  await me.ok('invoice', 'correct', { invoiceId: invoice.id, titleId: company.id, email: 'audit-finance@example.com', clientToken: token() })

  const rows = auditRows(`invoice:${invoice.id}`).filter((r) => r.action === 'correction.request')
  expect(rows).toHaveLength(1)
  expect(rows[0]).toMatchObject({ role: 'user', operator: 'user', reason: null })
  expect(rows[0].before_digest).toMatch(/^[0-9a-f]{16}$/)
  expect(rows[0].after_digest).toMatch(/^[0-9a-f]{16}$/)
  expectNoPersonalData(rows, me, '审计张三', '武汉审计换开科技有限公司', VALID_TAX_ID, 'audit-me@example.com', 'audit-finance@example.com')
}, 60_000)

it('audit:verify passes the chain as written and, after an edit by someone with the file, exits 1 naming the record', async () => {
  const me = await cloud.login('审计校验')
  for (const name of ['审计校验甲', '审计校验乙', '审计校验丙']) await me.ok('profile', 'saveTitle', { kind: 'personal', name })
  const whole = verifyCli()
  expect(whole.out).toContain('OK')
  expect(whole.status).toBe(0)

  // an attacker with the database file: the append-only triggers dropped, one record edited
  const db = new Database(path.join(cloud.dataDir, 'cloud.db'))
  const victim = db.prepare('SELECT seq, id FROM staff_audit ORDER BY seq LIMIT 1 OFFSET 1').get() as { seq: number; id: string }
  db.exec('DROP TRIGGER staff_audit_no_update; DROP TRIGGER staff_audit_no_delete')
  db.prepare("UPDATE staff_audit SET action = 'title.setDefault' WHERE seq = ?").run(victim.seq)
  const edited = verifyCli()
  expect(edited.status).toBe(1)
  expect(edited.out).toContain(`BROKEN at position 2 (seq ${victim.seq}, ${victim.id}): hash`)

  // and a record removed: the one after the gap is named
  const next = db.prepare('SELECT seq, id FROM staff_audit WHERE seq > ? ORDER BY seq LIMIT 1 OFFSET 1').get(victim.seq) as { seq: number; id: string }
  db.prepare('DELETE FROM staff_audit WHERE seq = ?').run(next.seq - 1)
  db.close()
  const removed = verifyCli()
  expect(removed.status).toBe(1)
  expect(removed.out).toContain(`(seq ${next.seq}, ${next.id}): gap`)
}, 60_000)
