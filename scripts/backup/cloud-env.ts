import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'

/**
 * What the WeChat-cloud backup, restore and verification need from an environment, and two
 * ways to have it:
 *  - sdkEnv: a CloudBase environment through @cloudbase/node-sdk (the real one, or in tests a
 *    fake app over the wx fake database);
 *  - scratchEnv: a scratch place on this machine (a SQLite file and a storage folder) that
 *    `npm run backup:verify -- --cloud` restores into, so verification runs the very restore
 *    code a real restore runs, without touching any cloud.
 */
export interface CloudEnv {
  /** what to call it in messages */
  readonly label: string
  /** documents in a collection; 0 when the collection does not exist */
  count(collection: string): Promise<number>
  /** up to `limit` documents with `_id` greater than `afterId`, in `_id` order */
  page(collection: string, afterId: string | null, limit: number): Promise<Record<string, unknown>[]>
  /** creates the collection when it does not exist */
  ensureCollection(collection: string): Promise<void>
  /** inserts documents carrying their own `_id`; rejects when one is taken */
  insert(collection: string, docs: Record<string, unknown>[]): Promise<void>
  /** stores a file at cloudPath; answers its fileID in this environment */
  upload(cloudPath: string, content: Buffer): Promise<string>
  download(fileID: string): Promise<Buffer>
}

/** The part of @cloudbase/node-sdk's app (tcb.init(...)) used here. */
export interface NodeSdkApp {
  database(): NodeSdkDb
  uploadFile(options: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID?: string }>
  downloadFile(options: { fileID: string }): Promise<{ fileContent?: Buffer }>
}

export interface NodeSdkQuery {
  where(condition: Record<string, unknown>): NodeSdkQuery
  orderBy(field: string, order: 'asc' | 'desc'): NodeSdkQuery
  limit(n: number): NodeSdkQuery
  get(): Promise<{ data?: unknown[] }>
  count(): Promise<{ total?: number }>
}

export interface NodeSdkCollection extends NodeSdkQuery {
  /** node-sdk takes the document itself (or an array of them), not { data } as wx-server-sdk does */
  add(data: Record<string, unknown> | Record<string, unknown>[]): Promise<unknown>
}

export interface NodeSdkDb {
  readonly command: { gt(value: unknown): unknown }
  collection(name: string): NodeSdkCollection
  createCollection?(name: string): Promise<unknown>
}

/** node-sdk's database layer ANSWERS some failures ({ code, message }) instead of throwing. */
function checked<T>(res: T, what: string): T {
  const r = res as { code?: unknown; message?: unknown } | null
  if (r && typeof r === 'object' && typeof r.code === 'string' && r.code)
    throw new Error(`${what}: ${r.code} ${typeof r.message === 'string' ? r.message : ''}`)
  return res
}

const collectionMissing = (e: unknown) => /COLLECTION_NOT_EXIST|collection not exist|集合不存在/i.test(e instanceof Error ? e.message : String(e))

/** Batch inserts: node-sdk's add() takes an array and inserts it in one request. */
const INSERT_BATCH = 50

export function sdkEnv(app: NodeSdkApp, label: string): CloudEnv {
  const db = app.database()
  const missing = new Set<string>()
  return {
    label,
    async count(name) {
      try {
        const r = checked(await db.collection(name).count(), `count ${name}`)
        return Number(r.total ?? 0)
      } catch (e) {
        if (!collectionMissing(e)) throw e
        missing.add(name)
        return 0
      }
    },
    async page(name, afterId, limit) {
      const base = afterId === null ? db.collection(name) : db.collection(name).where({ _id: db.command.gt(afterId) })
      try {
        const r = checked(await base.orderBy('_id', 'asc').limit(limit).get(), `read ${name}`)
        return (r.data ?? []) as Record<string, unknown>[]
      } catch (e) {
        if (collectionMissing(e)) return []
        throw e
      }
    },
    async ensureCollection(name) {
      if (!missing.has(name)) return
      if (!db.createCollection) throw new Error(`collection ${name} does not exist in ${label}; create it (and its indexes) first`)
      checked(await db.createCollection(name), `create ${name}`)
      missing.delete(name)
    },
    async insert(name, docs) {
      for (let i = 0; i < docs.length; i += INSERT_BATCH) checked(await db.collection(name).add(docs.slice(i, i + INSERT_BATCH)), `insert into ${name}`)
    },
    async upload(cloudPath, content) {
      const r = checked(await app.uploadFile({ cloudPath, fileContent: content }), `upload ${cloudPath}`)
      if (!r.fileID) throw new Error(`upload ${cloudPath}: no fileID in the answer`)
      return r.fileID
    },
    async download(fileID) {
      const r = checked(await app.downloadFile({ fileID }), `download ${fileID}`)
      if (!r.fileContent) throw new Error(`download ${fileID}: no content in the answer`)
      return Buffer.from(r.fileContent)
    },
  }
}

/** cloud://<env>.<bucket>/<path> -> <path>, or null when it is not a safe relative path */
export function cloudPathOf(fileID: string): string | null {
  const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileID)
  if (!m) return null
  const clean = path.posix.normalize(m[1])
  if (clean.startsWith('..') || clean.startsWith('/') || clean.split('/').includes('..')) return null
  return clean
}

export const SCRATCH_FILE_PREFIX = 'cloud://scratch.local/'

/**
 * A scratch environment in `dir`: collections as tables of a SQLite file (documents as JSON,
 * read in `_id` order a page at a time, so verification never holds a whole collection), and
 * storage as files under dir/storage. Close it when done.
 */
export function scratchEnv(dir: string): CloudEnv & { close(): void } {
  fs.mkdirSync(path.join(dir, 'storage'), { recursive: true })
  const db = new Database(path.join(dir, 'scratch.db'))
  db.pragma('journal_mode = WAL')
  const table = (name: string) => `"c_${name.replace(/"/g, '""')}"`
  const exists = (name: string) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(`c_${name}`)
  return {
    label: `scratch ${dir}`,
    close: () => db.close(),
    async count(name) {
      return exists(name) ? (db.prepare(`SELECT COUNT(*) AS n FROM ${table(name)}`).get() as { n: number }).n : 0
    },
    async page(name, afterId, limit) {
      if (!exists(name)) return []
      const rows = db.prepare(`SELECT doc FROM ${table(name)} WHERE id > ? ORDER BY id LIMIT ?`).all(afterId ?? '', limit) as { doc: string }[]
      return rows.map((r) => JSON.parse(r.doc) as Record<string, unknown>)
    },
    async ensureCollection(name) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${table(name)} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`)
    },
    async insert(name, docs) {
      const ins = db.prepare(`INSERT INTO ${table(name)} (id, doc) VALUES (?, ?)`)
      db.transaction(() => {
        for (const d of docs) ins.run(String(d._id), JSON.stringify(d))
      })()
    },
    async upload(cloudPath, content) {
      const clean = cloudPathOf(SCRATCH_FILE_PREFIX + cloudPath)
      if (!clean) throw new Error(`not a storage path: ${cloudPath}`)
      const file = path.join(dir, 'storage', clean)
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, content)
      return SCRATCH_FILE_PREFIX + clean
    },
    async download(fileID) {
      const clean = fileID.startsWith(SCRATCH_FILE_PREFIX) ? cloudPathOf(fileID) : null
      if (!clean) throw new Error(`not a file of the scratch place: ${fileID}`)
      return fs.readFileSync(path.join(dir, 'storage', clean))
    },
  }
}
