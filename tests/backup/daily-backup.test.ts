import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pruneSnapshots, verifySnapshot } from '../../scripts/backup/local-snapshot'
import { localBackupSettings, runLocalBackup, scheduleLocalBackup } from '../../scripts/local-cloud/daily-backup'
import { CARD_A, eventually, startTestCloud, type TestCloud } from '../helpers/local-cloud'

/**
 * The local cloud's daily backup (scripts/local-cloud/daily-backup.ts): the job the timer runs,
 * called directly against a running test cloud (timers off), SQLite and storage on disk.
 */
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix))
const token = () => crypto.randomBytes(10).toString('hex')

type Line = { level: string; msg: string; fields?: Record<string, unknown> }
const recorder = () => {
  const lines: Line[] = []
  const log = {
    info: (msg: string, fields?: Record<string, unknown>) => lines.push({ level: 'info', msg, fields }),
    warn: (msg: string, fields?: Record<string, unknown>) => lines.push({ level: 'warn', msg, fields }),
    error: (msg: string, fields?: Record<string, unknown>) => lines.push({ level: 'error', msg, fields }),
  }
  return { lines, log }
}

const snapshotsIn = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((n) => n.startsWith('wt-backup-'))
    .sort()

let cloud: TestCloud
let invoiceId: string
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
  const me = await cloud.login('每日备份')
  const cardId = (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 5000, clientToken: token() })
  await fetch(`${cloud.url}/sandbox/pay/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
  })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
  const { invoice } = await me.ok('invoice', 'request', { orderIds: [order.id], titleId: title.id, email: 'daily@example.com', clientToken: token() })
  expect(invoice.status).toBe('issued')
  invoiceId = invoice.id
}, 60_000)
afterAll(() => cloud?.close())

it('snapshots the running local cloud into the backup dir, and the snapshot verifies', async () => {
  const outDir = tmp('wt-daily-')
  const { lines, log } = recorder()
  const r = await runLocalBackup({ dataDir: cloud.dataDir, outDir, keep: 7, log })
  if (!r.ok) throw new Error(r.error)
  expect(snapshotsIn(outDir)).toEqual([path.basename(r.snapshot)])
  expect(r.problems).toEqual([])
  const report = verifySnapshot(r.snapshot)
  expect(report).toMatchObject({ ok: true, problems: [], invoiceFilesChecked: 2 })
  expect(report.money?.blueInvoices).toEqual({ count: 1, fen: 5000 })
  expect(lines).toEqual([expect.objectContaining({ level: 'info', msg: 'local backup written', fields: expect.objectContaining({ snapshot: r.snapshot }) })])
  expect(invoiceId).toBeTruthy()
})

it('keeps only the newest N snapshots after each run', async () => {
  const outDir = tmp('wt-daily-')
  const { log } = recorder()
  const names: string[] = []
  for (const day of [1, 2, 3, 4]) {
    const r = await runLocalBackup({ dataDir: cloud.dataDir, outDir, keep: 2, log, now: new Date(Date.UTC(2026, 0, day, 19, 30)) })
    if (!r.ok) throw new Error(r.error)
    names.push(path.basename(r.snapshot))
  }
  expect(snapshotsIn(outDir)).toEqual(names.slice(-2))
  // what is not a complete snapshot is never pruned
  fs.mkdirSync(path.join(outDir, 'wt-backup-20250101T000000000Z.partial'))
  fs.writeFileSync(path.join(outDir, 'notes.txt'), 'mine')
  expect(pruneSnapshots(outDir, 1)).toEqual([path.join(outDir, names[2])])
  expect(fs.readdirSync(outDir).sort()).toEqual([names[3], 'notes.txt', 'wt-backup-20250101T000000000Z.partial'].sort())
})

it('logs a failed backup and answers it instead of throwing', async () => {
  const { lines, log } = recorder()
  const r = await runLocalBackup({ dataDir: path.join(tmp('wt-daily-'), 'missing'), outDir: tmp('wt-daily-'), keep: 7, log })
  expect(r).toMatchObject({ ok: false, error: expect.stringContaining('does not exist') })
  expect(lines).toEqual([expect.objectContaining({ level: 'error', msg: 'local backup failed' })])
})

it('runs daily at 03:30 UTC+8 into .backups keeping 7 by default, and LOCAL_BACKUP_CRON=off turns it off', () => {
  const root = tmp('wt-root-')
  const d = localBackupSettings({}, root)
  expect(d).toMatchObject({ outDir: path.join(root, '.backups'), keep: 7 })
  expect(d.cron?.source).toBe('0 30 3 * * * *')
  expect(localBackupSettings({ LOCAL_BACKUP_CRON: 'off', LOCAL_BACKUP_DIR: '/srv/wt-backups', LOCAL_BACKUP_KEEP: '30' }, root)).toEqual({
    cron: null,
    outDir: '/srv/wt-backups',
    keep: 30,
  })
  // with timers on, the local cloud schedules it (one timer, cleared by close like the triggers')
  const timers: NodeJS.Timeout[] = []
  const { log } = recorder()
  expect(scheduleLocalBackup({ dataDir: cloud.dataDir, env: {}, root, log, now: () => new Date(), timers })?.cron).not.toBeNull()
  expect(timers).toHaveLength(1)
  timers.forEach(clearTimeout)
  expect(scheduleLocalBackup({ dataDir: cloud.dataDir, env: { LOCAL_BACKUP_CRON: 'off' }, root, log, now: () => new Date(), timers: [] })?.cron).toBeNull()
})

it('leaves the backup off and logs it when LOCAL_BACKUP_CRON is malformed, instead of failing the start', () => {
  const { lines, log } = recorder()
  const timers: NodeJS.Timeout[] = []
  const settings = scheduleLocalBackup({
    dataDir: cloud.dataDir,
    env: { LOCAL_BACKUP_CRON: '0 99 3 * * * *' },
    root: tmp('wt-root-'),
    log,
    now: () => new Date(),
    timers,
  })
  expect(settings).toBeNull()
  expect(timers).toEqual([])
  expect(lines).toEqual([expect.objectContaining({ level: 'error', msg: 'local backup not scheduled: bad LOCAL_BACKUP_CRON' })])
})
