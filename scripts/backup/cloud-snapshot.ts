import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { WX_COLLECTIONS } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { cloudPathOf, scratchEnv, type CloudEnv } from './cloud-env'
import { type MoneySums, sameSum, showSum } from './local-snapshot'
import {
  DATA,
  type FileEntry,
  type InvoiceFileRef,
  MANIFEST,
  readSnapshotManifest,
  sha256,
  snapshotFileProblems,
  snapshotName,
  writeSnapshot,
} from './snapshot-manifest'

/**
 * Backup, restore and verification of a WeChat-cloud (CloudBase) environment.
 *
 * A snapshot is a folder `wt-cloud-backup-<UTC time>/` holding `manifest.json` and `data/`:
 * `data/collections/<name>.jsonl` (one document a line, in `_id` order) and
 * `data/storage/<cloudPath>` (every storage file a document refers to by fileID). The manifest
 * lists every file with its size and SHA-256, the document count of every collection, which
 * fileID each stored file was, and the money sums — the same shape as a local snapshot, so the
 * same file check applies.
 *
 * Consistency: the cloud has no snapshot read, so collections are read one after the other,
 * a page at a time (keyset on `_id`, nothing held whole in memory), and the files AFTER the
 * documents: an invoice is marked issued only once its files are stored, so every file a
 * copied document names already exists. Records written during the backup may or may not be
 * in it; take it in a quiet hour (docs/operations.md).
 *
 * A restore goes into an EMPTY environment only. Files are uploaded at their old cloud paths;
 * a fileID names its environment, so every fileID in the documents is rewritten to the new
 * one before the documents are inserted with their own `_id`s.
 */

export const CLOUD_SNAPSHOT_FORMAT = 'wt-cloud-backup/1'
const PAGE = 100

/** Every collection of the platform: the one list in adapters/wx/wx.indexes.ts. */
export const CLOUD_COLLECTIONS: readonly string[] = Object.values(WX_COLLECTIONS)

export interface CloudManifest {
  format: typeof CLOUD_SNAPSHOT_FORMAT
  createdAt: string
  sourceEnv: string
  /** every file under data/ (collections and storage) */
  files: FileEntry[]
  /** documents per collection */
  collections: Record<string, number>
  /** which fileID each stored file was (path relative to data/) */
  storage: { fileID: string; path: string }[]
  money: MoneySums
  /** what was wrong in the environment when the snapshot was taken (a referenced file missing...) */
  problems: string[]
}

export interface CloudCheckReport {
  ok: boolean
  problems: string[]
  documents: number
  files: number
  invoiceFilesChecked: number
  money: MoneySums | null
}

type Doc = Record<string, unknown>
type Log = (line: string) => void
const quiet: Log = () => {}

// ---- documents as JSON lines: Dates (the SDK answers server dates as Date) survive as { $date } ----

function encode(v: unknown): unknown {
  if (v instanceof Date) return { $date: v.toISOString() }
  if (Array.isArray(v)) return v.map(encode)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]))
  return v
}

/** decodes and, in the same walk, swaps every old fileID for the new environment's */
function decode(v: unknown, fileIds: Map<string, string>): unknown {
  if (typeof v === 'string') return fileIds.get(v) ?? v
  if (Array.isArray(v)) return v.map((x) => decode(x, fileIds))
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o)
    if (keys.length === 1 && keys[0] === '$date' && typeof o.$date === 'string') return new Date(o.$date)
    return Object.fromEntries(keys.map((k) => [k, decode(o[k], fileIds)]))
  }
  return v
}

/** every string in a document that is a fileID */
function fileIdsIn(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') {
    if (v.startsWith('cloud://')) out.add(v)
  } else if (Array.isArray(v)) for (const x of v) fileIdsIn(x, out)
  else if (v && typeof v === 'object') for (const x of Object.values(v)) fileIdsIn(x, out)
}

// ---- what the checks count: money and the files of issued invoices ----

const zeroMoney = (): MoneySums => ({ paidOrders: { count: 0, fen: 0 }, blueInvoices: { count: 0, fen: 0 }, redInvoices: { count: 0, fen: 0 } })

/** adds one document to the money sums; answers the files it must have when it is an issued invoice */
function tally(collection: string, d: Doc, money: MoneySums): InvoiceFileRef[] {
  const fen = typeof d.amountFen === 'number' ? d.amountFen : Number(d.amountFen ?? 0)
  if (collection === WX_COLLECTIONS.orders && d.status === 'paid') {
    money.paidOrders.count++
    money.paidOrders.fen += fen
  }
  if (collection !== WX_COLLECTIONS.invoices || d.status !== 'issued') return []
  const sum = d.color === 'red' ? money.redInvoices : money.blueInvoices
  sum.count++
  sum.fen += fen
  return issuedInvoiceFiles(d)
}

/** the files an issued invoice document must have: PDF and XML always, OFD when recorded */
function issuedInvoiceFiles(d: Doc): InvoiceFileRef[] {
  const refs: InvoiceFileRef[] = []
  for (const kind of ['pdf', 'xml', 'ofd'] as const) {
    const fileId = typeof d[`${kind}FileId`] === 'string' ? (d[`${kind}FileId`] as string) : null
    if (kind === 'ofd' && !fileId) continue // only kept where the provider gave one
    const bytes = d[`${kind}Bytes`]
    refs.push({
      invoiceId: String(d._id),
      kind,
      fileId,
      sha256: typeof d[`${kind}Sha256`] === 'string' ? (d[`${kind}Sha256`] as string) : null,
      bytes: typeof bytes === 'number' ? bytes : null,
    })
  }
  return refs
}

/** Reads a collection a page at a time in `_id` order. */
async function* documents(env: CloudEnv, collection: string): AsyncGenerator<Doc> {
  let after: string | null = null
  for (;;) {
    const page = await env.page(collection, after, PAGE)
    for (const d of page) yield d
    if (page.length < PAGE) return
    const last = page[page.length - 1]._id
    if (typeof last !== 'string' || (after !== null && last <= after)) throw new Error(`${collection}: the page did not move forward past ${String(after)}`)
    after = last
  }
}

// ---- backup ----

export interface CloudBackupResult {
  dir: string
  manifest: CloudManifest
}

/** `npm run backup -- --cloud`: every collection and every referenced storage file of `env` into outDir. */
export async function backupCloud(
  env: CloudEnv,
  outDir: string,
  opts: { now?: Date; sourceEnv?: string; collections?: readonly string[]; log?: Log } = {},
): Promise<CloudBackupResult> {
  const now = opts.now ?? new Date()
  const log = opts.log ?? quiet
  const base = snapshotName(now).replace(/^wt-backup-/, 'wt-cloud-backup-')
  return writeSnapshot(outDir, base, async (data) => {
    fs.mkdirSync(path.join(data, 'collections'), { recursive: true })
    const manifest: CloudManifest = {
      format: CLOUD_SNAPSHOT_FORMAT,
      createdAt: now.toISOString(),
      sourceEnv: opts.sourceEnv ?? env.label,
      files: [],
      collections: {},
      storage: [],
      money: zeroMoney(),
      problems: [],
    }
    const referenced = new Set<string>()
    // 1. the documents, collection by collection
    for (const collection of opts.collections ?? CLOUD_COLLECTIONS) {
      const rel = `collections/${collection}.jsonl`
      const fd = fs.openSync(path.join(data, rel), 'w')
      let n = 0
      try {
        for await (const d of documents(env, collection)) {
          fs.writeSync(fd, JSON.stringify(encode(d)) + '\n')
          fileIdsIn(d, referenced)
          tally(collection, d, manifest.money)
          n++
        }
      } finally {
        fs.closeSync(fd)
      }
      manifest.collections[collection] = n
      const buf = fs.readFileSync(path.join(data, rel))
      manifest.files.push({ path: rel, bytes: buf.length, sha256: sha256(buf) })
      log(`${collection}: ${n}`)
    }
    // 2. the files the documents name, after the documents
    const byPath = new Map<string, string>()
    const ids = [...referenced].sort()
    let done = 0
    for (const fileID of ids) {
      const cloudPath = cloudPathOf(fileID)
      const rel = cloudPath && `storage/${cloudPath}`
      if (!rel) {
        manifest.problems.push(`${fileID}: not a storage path this backup can keep`)
        continue
      }
      if (byPath.has(rel)) {
        manifest.problems.push(`${fileID}: same path as ${byPath.get(rel)}; only that one kept`)
        continue
      }
      let buf: Buffer
      try {
        buf = await env.download(fileID)
      } catch (e) {
        manifest.problems.push(`${fileID}: referenced but not downloadable (${e instanceof Error ? e.message : String(e)})`)
        continue
      }
      const to = path.join(data, rel)
      fs.mkdirSync(path.dirname(to), { recursive: true })
      fs.writeFileSync(to, buf)
      byPath.set(rel, fileID)
      manifest.storage.push({ fileID, path: rel })
      manifest.files.push({ path: rel, bytes: buf.length, sha256: sha256(buf) })
      if (++done % 100 === 0) log(`files: ${done} / ${ids.length}`)
    }
    log(`files: ${done} / ${ids.length}`)
    // 3. every issued invoice's files are in the snapshot with the SHA-256 recorded on it
    // (the invoices read back from the snapshot's own file, not kept in memory meanwhile)
    const shaOf = new Map(manifest.files.map((f) => [f.path, f]))
    const relOf = new Map(manifest.storage.map((s) => [s.fileID, s.path]))
    const invoicesFile = path.join(data, 'collections', `${WX_COLLECTIONS.invoices}.jsonl`)
    const issued = async function* () {
      if (!fs.existsSync(invoicesFile)) return
      for await (const line of lines(invoicesFile)) {
        const d = JSON.parse(line) as Doc
        if (d.status === 'issued') yield* issuedInvoiceFiles(d)
      }
    }
    for await (const ref of issued()) {
      const where = `invoice ${ref.invoiceId} ${ref.kind.toUpperCase()}`
      const entry = ref.fileId ? shaOf.get(relOf.get(ref.fileId) ?? '') : undefined
      if (!ref.fileId || !ref.sha256) manifest.problems.push(`${where}: no file recorded`)
      else if (!entry) manifest.problems.push(`${where}: ${ref.fileId} not in the snapshot`)
      else if (entry.sha256 !== ref.sha256) manifest.problems.push(`${where}: SHA-256 differs from the one recorded on the invoice`)
    }
    return manifest
  })
}

export function readCloudManifest(snapshot: string): CloudManifest {
  return readSnapshotManifest<CloudManifest>(snapshot, CLOUD_SNAPSHOT_FORMAT, (found) => `not a WeChat-cloud snapshot (format ${found})`)
}

// ---- restore ----

async function* lines(file: string): AsyncGenerator<string> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity })
  try {
    for await (const line of rl) if (line.trim()) yield line
  } finally {
    rl.close()
  }
}

/** `npm run restore -- --cloud`: a checked snapshot into an EMPTY environment. */
export async function restoreCloud(snapshot: string, env: CloudEnv, opts: { log?: Log } = {}): Promise<{ documents: number; files: number }> {
  const log = opts.log ?? quiet
  const manifest = readCloudManifest(snapshot)
  const damaged = snapshotFileProblems(snapshot, manifest)
  if (damaged.length) throw new Error(`snapshot ${snapshot} is damaged; nothing restored:\n  ${damaged.join('\n  ')}`)
  const names = [...new Set([...CLOUD_COLLECTIONS, ...Object.keys(manifest.collections)])]
  const taken: string[] = []
  for (const n of names) {
    const c = await env.count(n)
    if (c > 0) taken.push(`${n} (${c})`)
  }
  if (taken.length) throw new Error(`${env.label} is not empty (${taken.join(', ')}); restore only into an empty environment`)

  let documents = 0
  try {
    // files first: the documents are written with the fileIDs the uploads answer
    const fileIds = new Map<string, string>()
    for (const [i, s] of manifest.storage.entries()) {
      const cloudPath = s.path.replace(/^storage\//, '')
      fileIds.set(s.fileID, await env.upload(cloudPath, fs.readFileSync(path.join(snapshot, DATA, s.path))))
      if ((i + 1) % 100 === 0) log(`files: ${i + 1} / ${manifest.storage.length}`)
    }
    log(`files: ${manifest.storage.length} / ${manifest.storage.length}`)
    for (const [collection, expected] of Object.entries(manifest.collections)) {
      await env.ensureCollection(collection)
      let batch: Doc[] = []
      let n = 0
      for await (const line of lines(path.join(snapshot, DATA, 'collections', `${collection}.jsonl`))) {
        batch.push(decode(JSON.parse(line), fileIds) as Doc)
        if (batch.length === PAGE) {
          await env.insert(collection, batch)
          n += batch.length
          batch = []
        }
      }
      if (batch.length) await env.insert(collection, batch)
      n += batch.length
      documents += n
      if (n !== expected) throw new Error(`${collection}: ${n} documents in the snapshot file, manifest says ${expected}`)
      log(`${collection}: ${n}`)
    }
  } catch (e) {
    throw new Error(
      `restore into ${env.label} stopped after ${documents} documents: ${e instanceof Error ? e.message : String(e)}\n` +
        'the environment is now partly restored: empty it (or take a fresh one) and restore again',
    )
  }
  return { documents, files: manifest.storage.length }
}

// ---- verification ----

/**
 * Checks an environment against a snapshot's manifest: every collection's count, every issued
 * invoice's files downloaded from the environment with the SHA-256 recorded on the invoice,
 * and the money sums.
 */
export async function checkEnv(manifest: CloudManifest, env: CloudEnv, opts: { log?: Log } = {}): Promise<CloudCheckReport> {
  const log = opts.log ?? quiet
  const report: CloudCheckReport = { ok: false, problems: [], documents: 0, files: 0, invoiceFilesChecked: 0, money: zeroMoney() }
  const money = report.money!
  for (const [collection, expected] of Object.entries(manifest.collections)) {
    let n = 0
    for await (const d of documents(env, collection)) {
      n++
      for (const ref of tally(collection, d, money)) {
        report.invoiceFilesChecked++
        const where = `invoice ${ref.invoiceId} ${ref.kind.toUpperCase()}`
        if (!ref.fileId || !ref.sha256) {
          report.problems.push(`${where}: no file recorded`)
          continue
        }
        let buf: Buffer
        try {
          buf = await env.download(ref.fileId)
        } catch (e) {
          report.problems.push(`${where}: ${ref.fileId} cannot be downloaded (${e instanceof Error ? e.message : String(e)})`)
          continue
        }
        report.files++
        if (sha256(buf) !== ref.sha256) report.problems.push(`${where}: SHA-256 differs from the one recorded on the invoice`)
        else if (ref.bytes !== null && buf.length !== ref.bytes) report.problems.push(`${where}: ${buf.length} bytes, recorded ${ref.bytes}`)
      }
    }
    report.documents += n
    if (n !== expected) report.problems.push(`${collection}: ${n} documents, snapshot has ${expected}`)
    log(`checked ${collection}: ${n}`)
  }
  for (const k of ['paidOrders', 'blueInvoices', 'redInvoices'] as const) {
    if (!sameSum(money[k], manifest.money[k])) report.problems.push(`money ${k}: ${showSum(money[k])}, snapshot says ${showSum(manifest.money[k])}`)
  }
  report.ok = report.problems.length === 0
  return report
}

/**
 * `npm run backup:verify -- --cloud`: restores the snapshot into a scratch place on this
 * machine (scratchEnv: the same restore code, fileIDs rewritten) and checks it there.
 */
export async function verifyCloudSnapshot(snapshot: string, opts: { scratchDir?: string; log?: Log } = {}): Promise<CloudCheckReport> {
  const failed = (problem: string): CloudCheckReport => ({ ok: false, problems: [problem], documents: 0, files: 0, invoiceFilesChecked: 0, money: null })
  let manifest: CloudManifest
  try {
    manifest = readCloudManifest(snapshot)
  } catch (e) {
    return failed((e as Error).message)
  }
  const scratch = opts.scratchDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wt-cloud-verify-'))
  const env = scratchEnv(scratch)
  try {
    try {
      await restoreCloud(snapshot, env, opts)
    } catch (e) {
      return failed((e as Error).message)
    }
    const report = await checkEnv(manifest, env, opts)
    const recorded = manifest.problems.map((p) => `recorded at backup time: ${p}`)
    if (recorded.length) Object.assign(report, { ok: false, problems: [...recorded, ...report.problems] })
    return report
  } finally {
    env.close()
    if (!opts.scratchDir) fs.rmSync(scratch, { recursive: true, force: true })
  }
}

/** the newest complete WeChat-cloud snapshot in dir, or null */
export function latestCloudSnapshot(dir: string): string | null {
  if (!fs.existsSync(dir)) return null
  const names = fs
    .readdirSync(dir)
    .filter((n) => /^wt-cloud-backup-[\dTZ-]+$/.test(n) && fs.existsSync(path.join(dir, n, MANIFEST)))
    .sort()
  return names.length ? path.join(dir, names[names.length - 1]) : null
}
