import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import {
  DATA,
  MANIFEST,
  type FileEntry,
  type InvoiceFileRef,
  readSnapshotManifest,
  sha256,
  snapshotFileProblems,
  snapshotName,
  walk,
  writeSnapshot,
} from './snapshot-manifest'

// re-exported: the cloud snapshot, the CLI and the tests import them from here
export { type FileEntry, sha256, snapshotFileProblems, snapshotName, walk }

/**
 * Backup, restore and verification of the local cloud's data dir.
 *
 * A snapshot is a folder `wt-backup-<UTC time>/` holding `manifest.json` and `data/`, a copy of
 * the data dir laid out exactly like it (`cloud.db`, `pay-sandbox.db`, `provider-sandbox.db`,
 * any other `*.db`, `storage/**`), so a restore is a plain copy.
 *
 * Consistency while the local cloud runs: every database is copied with SQLite's online backup
 * API (one consistent state per database, WAL included) BEFORE the storage files are copied.
 * An invoice is marked issued only after its files are stored, so every file the copied
 * database refers to already exists when storage is copied (later files are harmless extras).
 * Half-written files of a storage writer (`<file>.<pid>.tmp`) are left out. The snapshot is
 * written under `<name>.partial` and renamed when complete: a crashed backup never looks done.
 */

export const SNAPSHOT_FORMAT = 'wt-local-backup/1'
const TEMP_FILE = /\.\d+\.tmp$/

export interface MoneySum {
  count: number
  fen: number
}

export interface MoneySums {
  /** topup_orders with status paid */
  paidOrders: MoneySum
  /** issued blue invoices */
  blueInvoices: MoneySum
  /** issued red (红字) invoices */
  redInvoices: MoneySum
}

export interface Manifest {
  format: typeof SNAPSHOT_FORMAT
  createdAt: string
  sourceDataDir: string
  files: FileEntry[]
  /** per database file: its schema version and the row count of every table */
  databases: { file: string; userVersion: number; tables: Record<string, number> }[]
  money: MoneySums
  /** what was wrong in the live data when the snapshot was taken (e.g. an issued invoice's file missing) */
  problems: string[]
}

export interface VerifyReport {
  ok: boolean
  problems: string[]
  files: number
  invoiceFilesChecked: number
  tables: number
  money: MoneySums | null
}

function tableCounts(db: Database.Database): Record<string, number> {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  )
  const counts: Record<string, number> = {}
  for (const n of names) counts[n] = (db.prepare(`SELECT COUNT(*) AS c FROM "${n.replace(/"/g, '""')}"`).get() as { c: number }).c
  return counts
}

const hasTable = (db: Database.Database, name: string) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name)

/** The money sums of a cloud.db (zeros when the tables do not exist yet). */
function moneySums(db: Database.Database): MoneySums {
  const sum = (sql: string): MoneySum => {
    const r = db.prepare(sql).get() as { c: number; f: number | null }
    return { count: r.c, fen: r.f ?? 0 }
  }
  const zero = { count: 0, fen: 0 }
  return {
    paidOrders: hasTable(db, 'topup_orders') ? sum("SELECT COUNT(*) AS c, SUM(amount_fen) AS f FROM topup_orders WHERE status = 'paid'") : zero,
    blueInvoices: hasTable(db, 'invoices') ? sum("SELECT COUNT(*) AS c, SUM(amount_fen) AS f FROM invoices WHERE status = 'issued' AND color = 'blue'") : zero,
    redInvoices: hasTable(db, 'invoices') ? sum("SELECT COUNT(*) AS c, SUM(amount_fen) AS f FROM invoices WHERE status = 'issued' AND color = 'red'") : zero,
  }
}

/** Every file an issued invoice must have (PDF and XML always, OFD when recorded). */
function issuedInvoiceFiles(db: Database.Database): InvoiceFileRef[] {
  if (!hasTable(db, 'invoices')) return []
  const cols = new Set((db.prepare('PRAGMA table_info(invoices)').all() as { name: string }[]).map((c) => c.name))
  const ofd = cols.has('ofd_file_id') ? ', ofd_file_id, ofd_sha256, ofd_bytes' : ''
  const rows = db
    .prepare(`SELECT id, pdf_file_id, pdf_sha256, pdf_bytes, xml_file_id, xml_sha256, xml_bytes${ofd} FROM invoices WHERE status = 'issued' ORDER BY id`)
    .all() as Record<string, string | number | null>[]
  const refs: InvoiceFileRef[] = []
  for (const r of rows) {
    for (const kind of ['pdf', 'xml', 'ofd'] as const) {
      const fileId = (r[`${kind}_file_id`] as string | null | undefined) ?? null
      if (kind === 'ofd' && !fileId) continue
      refs.push({
        invoiceId: String(r.id),
        kind,
        fileId,
        sha256: (r[`${kind}_sha256`] as string | null) ?? null,
        bytes: (r[`${kind}_bytes`] as number | null) ?? null,
      })
    }
  }
  return refs
}

/** cloud://<env>.<bucket>/<cloudPath> -> storage/<cloudPath> (relative to the data dir) */
function storagePathOf(fileId: string): string | null {
  const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId)
  if (!m) return null
  const clean = path.posix.normalize(m[1])
  if (clean.startsWith('..') || clean.startsWith('/')) return null
  return `storage/${clean}`
}

/** Checks issued invoices' files against a data dir (the restored copy or the snapshot's data). */
function invoiceFileProblems(db: Database.Database, dataDir: string): { problems: string[]; checked: number } {
  const problems: string[] = []
  const refs = issuedInvoiceFiles(db)
  for (const ref of refs) {
    const where = `invoice ${ref.invoiceId} ${ref.kind.toUpperCase()}`
    const rel = ref.fileId ? storagePathOf(ref.fileId) : null
    if (!rel || !ref.sha256) {
      problems.push(`${where}: no file recorded`)
      continue
    }
    const file = path.join(dataDir, rel)
    if (!fs.existsSync(file)) {
      problems.push(`${where}: ${rel} missing`)
      continue
    }
    const buf = fs.readFileSync(file)
    if (sha256(buf) !== ref.sha256) problems.push(`${where}: ${rel} SHA-256 differs from the one recorded on the invoice`)
    else if (ref.bytes != null && buf.length !== ref.bytes) problems.push(`${where}: ${rel} is ${buf.length} bytes, recorded ${ref.bytes}`)
  }
  return { problems, checked: refs.length }
}

export interface BackupResult {
  dir: string
  manifest: Manifest
}

/** `npm run backup`: a consistent snapshot of dataDir under outDir. */
export async function backupLocal(dataDir: string, outDir: string, now = new Date()): Promise<BackupResult> {
  if (!fs.existsSync(dataDir)) throw new Error(`data dir ${dataDir} does not exist`)
  return writeSnapshot(outDir, snapshotName(now), async (target) => {
    const manifest: Manifest = {
      format: SNAPSHOT_FORMAT,
      createdAt: now.toISOString(),
      sourceDataDir: path.resolve(dataDir),
      files: [],
      databases: [],
      money: { paidOrders: { count: 0, fen: 0 }, blueInvoices: { count: 0, fen: 0 }, redInvoices: { count: 0, fen: 0 } },
      problems: [],
    }
    // 1. the databases, each through the online backup API
    const dbFiles = fs
      .readdirSync(dataDir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.db'))
      .map((e) => e.name)
      .sort()
    let cloudDbCopy: string | null = null
    for (const f of dbFiles) {
      const src = new Database(path.join(dataDir, f), { fileMustExist: true })
      try {
        src.pragma('busy_timeout = 5000')
        await src.backup(path.join(target, f))
      } finally {
        src.close()
      }
      const copy = new Database(path.join(target, f))
      try {
        // self-contained in the snapshot: no -wal / -shm beside it (the local cloud turns WAL back on)
        copy.pragma('journal_mode = DELETE')
        const check = copy.pragma('integrity_check', { simple: true })
        if (check !== 'ok') manifest.problems.push(`${f}: integrity_check says ${String(check)}`)
        manifest.databases.push({ file: f, userVersion: copy.pragma('user_version', { simple: true }) as number, tables: tableCounts(copy) })
        if (f === 'cloud.db') {
          manifest.money = moneySums(copy)
          cloudDbCopy = path.join(target, f)
        }
      } finally {
        copy.close()
      }
      const buf = fs.readFileSync(path.join(target, f))
      manifest.files.push({ path: f, bytes: buf.length, sha256: sha256(buf) })
    }
    // 2. storage, after the databases; each file hashed from the very bytes written
    for (const rel of walk(path.join(dataDir, 'storage'))) {
      if (TEMP_FILE.test(rel)) continue
      let buf: Buffer
      try {
        buf = fs.readFileSync(path.join(dataDir, 'storage', rel))
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue // removed meanwhile
        throw e
      }
      const to = path.join(target, 'storage', rel)
      fs.mkdirSync(path.dirname(to), { recursive: true })
      fs.writeFileSync(to, buf)
      manifest.files.push({ path: `storage/${rel}`, bytes: buf.length, sha256: sha256(buf) })
    }
    // 3. every issued invoice's files are in the snapshot with their recorded SHA-256
    if (cloudDbCopy) {
      const db = new Database(cloudDbCopy, { readonly: true })
      try {
        manifest.problems.push(...invoiceFileProblems(db, target).problems)
      } finally {
        db.close()
      }
    }
    return manifest
  })
}

export function readManifest(snapshot: string): Manifest {
  return readSnapshotManifest<Manifest>(snapshot, SNAPSHOT_FORMAT, (found) => `unknown snapshot format ${found}`)
}

function isEmptyDir(dir: string): boolean {
  if (!fs.existsSync(dir)) return true
  return fs.statSync(dir).isDirectory() && fs.readdirSync(dir).length === 0
}

/** `npm run restore`: the snapshot into an empty (or missing) data dir, after checking every file. */
export function restoreLocal(snapshot: string, dataDir: string): { files: number } {
  const manifest = readManifest(snapshot)
  const problems = snapshotFileProblems(snapshot, manifest)
  if (problems.length) throw new Error(`snapshot ${snapshot} is damaged; nothing restored:\n  ${problems.join('\n  ')}`)
  if (!isEmptyDir(dataDir)) throw new Error(`data dir ${dataDir} is not empty; restore only into an empty one (stop the local cloud and move it aside)`)
  const existed = fs.existsSync(dataDir)
  fs.mkdirSync(dataDir, { recursive: true })
  try {
    for (const f of manifest.files) {
      const to = path.join(dataDir, f.path)
      fs.mkdirSync(path.dirname(to), { recursive: true })
      fs.copyFileSync(path.join(snapshot, DATA, f.path), to)
      if (sha256(fs.readFileSync(to)) !== f.sha256) throw new Error(`${f.path}: the restored copy differs from the snapshot`)
    }
  } catch (e) {
    // leave the data dir as it was: empty (or absent)
    if (existed) for (const e2 of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, e2), { recursive: true, force: true })
    else fs.rmSync(dataDir, { recursive: true, force: true })
    throw e
  }
  return { files: manifest.files.length }
}

export const sameSum = (a: MoneySum, b: MoneySum) => a.count === b.count && a.fen === b.fen
export const showSum = (s: MoneySum) => `${s.count} / ${(s.fen / 100).toFixed(2)} 元`

/**
 * `npm run backup:verify`: restores into a scratch dir and proves it: every file as in the
 * manifest, every database intact with the manifest's row counts, every issued invoice's PDF
 * and XML present with the SHA-256 recorded on the invoice, the money sums equal.
 */
export function verifySnapshot(snapshot: string, opts: { scratchDir?: string } = {}): VerifyReport {
  const report: VerifyReport = { ok: false, problems: [], files: 0, invoiceFilesChecked: 0, tables: 0, money: null }
  let manifest: Manifest
  try {
    manifest = readManifest(snapshot)
  } catch (e) {
    report.problems.push((e as Error).message)
    return report
  }
  const scratch = opts.scratchDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wt-verify-'))
  const dataDir = path.join(scratch, 'data')
  try {
    try {
      report.files = restoreLocal(snapshot, dataDir).files
    } catch (e) {
      report.problems.push((e as Error).message)
      return report
    }
    for (const p of manifest.problems) report.problems.push(`recorded at backup time: ${p}`)
    for (const d of manifest.databases) {
      const db = new Database(path.join(dataDir, d.file), { readonly: true, fileMustExist: true })
      try {
        const check = db.pragma('integrity_check', { simple: true })
        if (check !== 'ok') report.problems.push(`${d.file}: integrity_check says ${String(check)}`)
        const counts = tableCounts(db)
        for (const t of new Set([...Object.keys(d.tables), ...Object.keys(counts)])) {
          report.tables++
          if (counts[t] !== d.tables[t]) report.problems.push(`${d.file} ${t}: ${counts[t] ?? 'no table'} rows, manifest says ${d.tables[t] ?? 'no table'}`)
        }
        if (d.file === 'cloud.db') {
          const money = moneySums(db)
          report.money = money
          for (const k of ['paidOrders', 'blueInvoices', 'redInvoices'] as const) {
            if (!sameSum(money[k], manifest.money[k])) report.problems.push(`money ${k}: ${showSum(money[k])}, manifest says ${showSum(manifest.money[k])}`)
          }
          const inv = invoiceFileProblems(db, dataDir)
          report.invoiceFilesChecked = inv.checked
          report.problems.push(...inv.problems)
        }
      } finally {
        db.close()
      }
    }
    if (!manifest.databases.some((d) => d.file === 'cloud.db')) report.problems.push('no cloud.db in the snapshot')
    report.ok = report.problems.length === 0
    return report
  } finally {
    if (!opts.scratchDir) fs.rmSync(scratch, { recursive: true, force: true })
  }
}

/** Keeps the newest `keep` complete snapshots in outDir and removes the rest; returns what it removed. */
export function pruneSnapshots(outDir: string, keep: number): string[] {
  if (!fs.existsSync(outDir)) return []
  const all = fs
    .readdirSync(outDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^wt-backup-\d{8}T\d+Z(-\d+)?$/.test(e.name) && fs.existsSync(path.join(outDir, e.name, MANIFEST)))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
  const removed = all.slice(Math.max(keep, 1)).map((n) => path.join(outDir, n))
  for (const d of removed) fs.rmSync(d, { recursive: true, force: true })
  return removed
}
