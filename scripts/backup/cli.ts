import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { cloudCredentials, nodeSdkApp } from '../staff-cli/invoker'
import { sdkEnv, type NodeSdkApp } from './cloud-env'
import {
  backupCloud,
  checkEnv,
  CLOUD_SNAPSHOT_FORMAT,
  latestCloudSnapshot,
  readCloudManifest,
  restoreCloud,
  verifyCloudSnapshot,
  type CloudCheckReport,
} from './cloud-snapshot'
import { backupLocal, pruneSnapshots, restoreLocal, showSum, verifySnapshot } from './local-snapshot'
import type { ProcessIo } from '../cli-entry'

/**
 * npm run backup [-- --data DIR] [--out DIR] [--keep N]
 * npm run restore -- SNAPSHOT [--data DIR]
 * npm run backup:verify -- SNAPSHOT
 *
 * WeChat cloud (credentials from env as for `npm run staff -- --cloud`):
 * npm run backup -- --cloud [--out DIR]
 * npm run restore -- --cloud SNAPSHOT                 into the EMPTY environment CLOUD_ENV_ID
 * npm run backup:verify -- --cloud [SNAPSHOT]         restore into a scratch dir and check (default: newest cloud snapshot in --out)
 * npm run backup:verify -- --cloud --against-env SNAPSHOT   check the environment itself against the snapshot
 *
 * The local cloud's data dir (LOCAL_CLOUD_DATA_DIR, default .data); snapshots under .backups/.
 * Exit codes: 0 done, 1 refused or failed, 2 backup written but the live data had problems
 * (listed; the snapshot is kept, because a backup of damaged data beats none).
 */
export interface BackupIo extends ProcessIo {
  /** the node-sdk app of the environment (tests pass a fake); by default from the credentials in env */
  cloudApp?: () => NodeSdkApp
}

const root = path.resolve(__dirname, '../..')

const USAGE = `usage:
  backup [--data DIR] [--out DIR] [--keep N]      | backup --cloud [--out DIR]
  restore SNAPSHOT [--data DIR]                   | restore --cloud SNAPSHOT
  verify SNAPSHOT                                 | verify --cloud [SNAPSHOT] [--against-env]
(npm run backup / restore / backup:verify)`

class UsageError extends Error {}

export async function runBackupCli(argv: string[], io: BackupIo): Promise<number> {
  try {
    return await run(argv, io)
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e))
    if (e instanceof UsageError) io.err(USAGE)
    return 1
  }
}

async function run(argv: string[], io: BackupIo): Promise<number> {
  const [command, ...rest] = argv
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'string' },
      cloud: { type: 'boolean' },
      'against-env': { type: 'boolean' },
    },
  })
  const dataDir = path.resolve(values.data ?? path.resolve(root, io.env.LOCAL_CLOUD_DATA_DIR ?? '.data'))
  const outDir = path.resolve(values.out ?? path.resolve(root, io.env.LOCAL_BACKUP_DIR?.trim() || '.backups'))
  const out = io.out
  // a WeChat-cloud snapshot named without --cloud is verified as one all the same
  const cloudSnapshot = command === 'verify' && positionals.length === 1 && snapshotFormat(positionals[0]) === CLOUD_SNAPSHOT_FORMAT
  if (values.cloud || cloudSnapshot) return runCloud(command, positionals, { outDir, againstEnv: values['against-env'] === true }, io)

  if (command === 'backup') {
    const { dir, manifest } = await backupLocal(dataDir, outDir)
    const m = manifest.money
    out(`snapshot: ${dir}`)
    out(`files: ${manifest.files.length} (${manifest.databases.map((d) => d.file).join(', ')} + ${manifest.files.length - manifest.databases.length} storage)`)
    out(`paid orders: ${showSum(m.paidOrders)}`)
    out(`blue invoices: ${showSum(m.blueInvoices)}; red: ${showSum(m.redInvoices)}`)
    if (values.keep !== undefined) {
      const keep = Number(values.keep)
      if (!Number.isInteger(keep) || keep < 1) throw new UsageError('--keep needs a whole number of snapshots, 1 or more')
      for (const d of pruneSnapshots(outDir, keep)) out(`removed old snapshot: ${d}`)
    }
    if (manifest.problems.length) {
      io.err(`the live data has problems (kept in the manifest):\n  ${manifest.problems.join('\n  ')}`)
      return 2
    }
    return 0
  }
  if (command === 'restore') {
    if (positionals.length !== 1) throw new UsageError('restore needs the snapshot folder')
    const { files } = restoreLocal(path.resolve(positionals[0]), dataDir)
    out(`restored ${files} files into ${dataDir}; start the local cloud on it (npm run dev) and run npm run backup:verify on the snapshot if not done yet`)
    return 0
  }
  if (command === 'verify') {
    if (positionals.length !== 1) throw new UsageError('verify needs the snapshot folder')
    const r = verifySnapshot(path.resolve(positionals[0]))
    if (r.ok) {
      out(
        `verified: ${r.files} files restored, ${r.tables} table counts, ${r.invoiceFilesChecked} invoice files match their recorded SHA-256, money sums match`,
      )
      return 0
    }
    io.err(`VERIFY FAILED:\n  ${r.problems.join('\n  ')}`)
    return 1
  }
  throw new UsageError(`unknown command ${command ?? ''}`)
}

function snapshotFormat(dir: string): unknown {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { format?: unknown }).format
  } catch {
    return null
  }
}

function printCheck(r: CloudCheckReport, what: string, io: BackupIo): number {
  if (r.ok) {
    const m = r.money!
    io.out(
      `verified (${what}): ${r.documents} documents, ${r.invoiceFilesChecked} invoice files match their recorded SHA-256, ` +
        `paid orders ${showSum(m.paidOrders)}, blue invoices ${showSum(m.blueInvoices)}, red ${showSum(m.redInvoices)}`,
    )
    return 0
  }
  io.err(`VERIFY FAILED (${what}):\n  ${r.problems.join('\n  ')}`)
  return 1
}

async function runCloud(command: string | undefined, positionals: string[], o: { outDir: string; againstEnv: boolean }, io: BackupIo): Promise<number> {
  const log = (s: string) => io.out(`  ${s}`)
  const connect = () => {
    const app = io.cloudApp ? io.cloudApp() : nodeSdkApp<NodeSdkApp>(cloudCredentials(io.env))
    return sdkEnv(app, `environment ${io.env.CLOUD_ENV_ID?.trim() || '(current)'}`)
  }
  if (command === 'backup') {
    if (positionals.length) throw new UsageError('backup --cloud takes no snapshot; --out DIR says where')
    const env = connect()
    io.out(`backing up ${env.label} into ${o.outDir}`)
    const { dir, manifest } = await backupCloud(env, o.outDir, { sourceEnv: io.env.CLOUD_ENV_ID?.trim(), log })
    const docs = Object.values(manifest.collections).reduce((a, b) => a + b, 0)
    io.out(`snapshot: ${dir}`)
    io.out(`documents: ${docs} in ${Object.keys(manifest.collections).length} collections; files: ${manifest.storage.length}`)
    io.out(
      `paid orders: ${showSum(manifest.money.paidOrders)}; blue invoices: ${showSum(manifest.money.blueInvoices)}; red: ${showSum(manifest.money.redInvoices)}`,
    )
    if (manifest.problems.length) {
      io.err(`the environment has problems (kept in the manifest):\n  ${manifest.problems.join('\n  ')}`)
      return 2
    }
    return 0
  }
  if (command === 'restore') {
    if (positionals.length !== 1) throw new UsageError('restore --cloud needs the snapshot folder')
    const snapshot = path.resolve(positionals[0])
    const env = connect()
    io.out(`restoring ${snapshot} into ${env.label}`)
    const r = await restoreCloud(snapshot, env, { log })
    io.out(`restored ${r.documents} documents and ${r.files} files; checking the environment against the snapshot`)
    return printCheck(await checkEnv(readCloudManifest(snapshot), env, { log }), env.label, io)
  }
  if (command === 'verify') {
    if (positionals.length > 1) throw new UsageError('verify --cloud takes at most one snapshot folder')
    const snapshot = positionals[0] ? path.resolve(positionals[0]) : latestCloudSnapshot(o.outDir)
    if (!snapshot) throw new UsageError(`no WeChat-cloud snapshot in ${o.outDir}; run npm run backup -- --cloud, or name the snapshot`)
    io.out(`verifying ${snapshot}`)
    if (o.againstEnv) {
      const env = connect()
      return printCheck(await checkEnv(readCloudManifest(snapshot), env, { log }), env.label, io)
    }
    return printCheck(await verifyCloudSnapshot(snapshot, { log }), 'restored into a scratch dir', io)
  }
  throw new UsageError(`unknown command ${command ?? ''}`)
}
