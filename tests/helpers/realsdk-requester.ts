/**
 * The real wx-server-sdk 4.0.2 over an in-process stand-in of the CloudBase database backend.
 *
 * Only the SDK's HTTP exit is replaced: `request()` in @cloudbase/node-sdk/dist/utils/request-core.js,
 * the one function every database call goes through (tcbapirequester -> request.extraRequest ->
 * request-core.request -> http(s).request). Everything above it runs unmodified: wx-server-sdk's
 * database wrappers and error conversion, @cloudbase/database's query and update serialisers
 * (EJSON, canonical numbers, dotted paths, $inc/$set/$unset), node-sdk's request signing and
 * its `code` -> thrown TcbError handling. So a query or update the SDK encodes in a way the
 * adapters did not expect shows up here, which the hand-made fake (tests/fakes/wx-cloud.fake.ts)
 * cannot show: it implements the SDK interface itself.
 *
 * The stand-in parses what the SDK sends and applies MongoDB semantics with `mingo` (matching,
 * sort order across types, update operators), enforces the unique indexes it is given (as
 * MongoDB does: a missing field indexes as null), answers with the backend's wire shapes
 * (`{ data: { list: [EJSON strings] } }`, `{ data: { updated } }`, `{ code, message }`), runs
 * transactions with write locks and write conflicts, and counts every request by kind for
 * docs/capacity.md.
 *
 * Anything else the SDK tries to send (storage, functions, openapi, cloudPay) and any other
 * network attempt (http/https.request) is refused and recorded in `violations`: a test fails
 * rather than let the SDK reach the network (offline it would leak unhandled rejections).
 *
 * Environment: TENCENTCLOUD_RUNENV=SCF makes node-sdk believe it runs in a cloud function, so
 * it takes the internal endpoint and never probes the metadata server (a network call); fake
 * TENCENTCLOUD_SECRETID/KEY satisfy its credential check (the signature is computed and ignored).
 */
import crypto from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import { EJSON } from 'bson'
import { Query, update as mingoUpdate } from 'mingo'
import type { WxCloudLike, WxDatabase, WxDoc } from '../../cloudfunctions/_core/adapters/wx/wx-cloud.types'
import type { WxIndexSpec } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'

type Doc = Record<string, unknown> & { _id: unknown }
type Answer = Record<string, unknown>
type Params = Record<string, unknown>

/**
 * How the backend words a unique-key conflict. wx-server-sdk keeps only the message of it: it
 * maps the backend's `code` to a number through its own table, where DATABASE_DUPLICATE_WRITE
 * is missing (-> -501001), and drops the code name.
 * - 'observed' (default): code DATABASE_REQUEST_FAILED (-> errCode -502001) and MongoDB's
 *   "E11000 duplicate key error ..." as the message: what a real environment answered to a
 *   second insert on a unique index with wx-server-sdk 4.0.2 (a public field report, see
 *   docs/capacity.md "What the real SDK showed");
 * - 'documented': code DATABASE_DUPLICATE_WRITE (CloudBase's error-code page) with the E11000 text;
 * - 'code-only': code DATABASE_DUPLICATE_WRITE with a message that names neither, to show what
 *   would be left to recognise then (nothing).
 */
export type DuplicateWording = 'observed' | 'documented' | 'code-only'

export interface StandInOptions {
  /** indexes to enforce; only the unique ones matter (typically WX_INDEXES) */
  indexes?: readonly Pick<WxIndexSpec, 'collection' | 'fields' | 'unique'>[]
  envId?: string
  /** see DuplicateWording */
  duplicateWording?: DuplicateWording
  /**
   * A get() returns at most this many documents whatever limit says. WeChat's reference says
   * 1000 in a cloud function; developers measuring it found 100 (developers.weixin.qq.com
   * community threads on Collection.limit), and the adapters page by 100 (wx.db.ts). 100 here.
   */
  maxPerGet?: number
}

/** The operations failNext / loseAnswerNext address, as the fake names them. */
export type StandInOp = 'add' | 'get' | 'count' | 'update' | 'remove'

/** One request the SDK sent, for counting (docs/capacity.md). */
export interface RequestRecord {
  action: string
  collection: string
  /** documents read (returned by get, counted by count) */
  docsRead: number
  /** documents inserted, changed or removed */
  docsWritten: number
  inTransaction: boolean
  /** size of the JSON body the SDK sent, bytes */
  bytesSent: number
}

const DUP = 'DATABASE_DUPLICATE_WRITE'
const CONFLICT = 'DATABASE_TRANSACTION_CONFLICT'

interface Stored {
  doc: Doc
  /** the commit clock when the document was last written */
  ver: number
}

interface Tx {
  id: string
  /** commit clock when the transaction started: a later committed write to a doc it writes is a conflict */
  snapshot: number
  /** collection -> id key -> the document as the transaction sees it (null: removed) */
  overlay: Map<string, Map<string, Doc | null>>
  /** "collection|idKey" of documents it wrote */
  locks: Set<string>
  done: Promise<void>
  finish: () => void
}

const idKey = (id: unknown): string => (typeof id === 'string' ? `s:${id}` : `j:${JSON.stringify(id)}`)
const clone = <T>(v: T): T => structuredClone(v)
const sameDoc = (a: unknown, b: unknown): boolean => EJSON.stringify(a as Doc, { relaxed: false }) === EJSON.stringify(b as Doc, { relaxed: false })
const parse = (s: unknown): Doc => EJSON.parse(String(s), { relaxed: true }) as Doc
const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)

class WireError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export class CloudBaseStandIn {
  readonly envId: string
  /** collection -> id key -> stored document, in insertion order */
  readonly data = new Map<string, Map<string, Stored>>()
  /** every request, in order */
  readonly requests: RequestRecord[] = []
  /** what the SDK tried that the stand-in refuses: any of these fails the test */
  readonly violations: string[] = []
  /** get() requests: collection, the limit the SDK sent, documents returned (the fake's `gets`) */
  readonly gets: { collection: string; limit: number | undefined; returned: number }[] = []
  /** writes that reached the database (the fake's `writes`); a transaction's at the time they run */
  readonly writes: { collection: string; op: 'add' | 'update' | 'remove'; ids: string[] }[] = []
  readonly transactions = { committed: 0, rolledBack: 0 }

  private readonly unique = new Map<string, string[][]>()
  private readonly txs = new Map<string, Tx>()
  private clock = 0
  private faults: { collection: string; op: StandInOp; error: Error; times: number; lose: boolean }[] = []
  private readonly wording: DuplicateWording
  private readonly maxPerGet: number

  constructor(opts: StandInOptions = {}) {
    this.envId = opts.envId ?? 'test-env-1a2b3c'
    this.wording = opts.duplicateWording ?? 'observed'
    this.maxPerGet = opts.maxPerGet ?? 100
    for (const i of opts.indexes ?? []) {
      if (!i.unique) continue
      const list = this.unique.get(i.collection) ?? []
      list.push(i.fields.map((f) => f.field))
      this.unique.set(i.collection, list)
    }
  }

  // ---- inspection, in the fake's vocabulary ----

  docs(name: string): WxDoc[] {
    return [...(this.data.get(name)?.values() ?? [])].map((s) => clone(s.doc) as WxDoc)
  }

  /** The next `times` requests of `op` on `collection` answer a database failure (the message of `error`). */
  failNext(collection: string, op: StandInOp, error: Error, times = 1): void {
    this.faults.push({ collection, op, error, times, lose: false })
  }

  /** The next `times` writes are APPLIED and then answer a failure: the answer was lost on the way back. */
  loseAnswerNext(collection: string, op: 'add' | 'update' | 'remove', error: Error, times = 1): void {
    this.faults.push({ collection, op, error, times, lose: true })
  }

  /** Stored bytes per collection: each document as canonical EJSON (what the SDK writes). */
  storedBytes(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [name, t] of this.data) {
      let n = 0
      for (const s of t.values()) n += Buffer.byteLength(EJSON.stringify(s.doc, { relaxed: false }))
      out[name] = n
    }
    return out
  }

  // ---- the wire ----

  /** Answers one request body the SDK sent, as the backend would (a JSON object, HTTP 200). */
  async handle(body: Params): Promise<Answer> {
    const action = String(body.action)
    const requestId = crypto.randomUUID()
    const collection = typeof body.collectionName === 'string' ? body.collectionName : ''
    const record: RequestRecord = {
      action,
      collection,
      docsRead: 0,
      docsWritten: 0,
      inTransaction: typeof body.transactionId === 'string' && body.transactionId !== '',
      bytesSent: Buffer.byteLength(JSON.stringify(body)),
    }
    this.requests.push(record)
    try {
      const fault = this.takeFault(collection, opOf(action, body))
      if (fault && !fault.lose) throw new WireError('DATABASE_REQUEST_FAILED', messageOf(fault.error))
      if (!record.inTransaction) await this.waitForLocks(action, body)
      const data = await this.dispatch(action, body, record)
      if (fault?.lose) throw new WireError('DATABASE_REQUEST_FAILED', messageOf(fault.error))
      return { requestId, ...data }
    } catch (e) {
      if (e instanceof WireError) return { code: e.code, message: e.message, requestId }
      throw e
    }
  }

  /**
   * A write outside a transaction to a document an open transaction has written waits for that
   * transaction to end, as MongoDB's document lock makes it. A wait longer than 5 s means a
   * caller deadlocked itself (a plain write inside its own transaction's callback): recorded.
   */
  private async waitForLocks(action: string, body: Params): Promise<void> {
    if (!['database.insertDocument', 'database.modifyDocument', 'database.removeDocument'].includes(action)) return
    const name = String(body.collectionName)
    for (;;) {
      const ids =
        action === 'database.insertDocument'
          ? (body.data as unknown[]).map((raw) => parse(raw)._id).filter((id) => id !== undefined)
          : this.matching(body).map((d) => d._id)
      const keys = ids.map((id) => `${name}|${idKey(id)}`)
      const holder = [...this.txs.values()].find((t) => keys.some((k) => t.locks.has(k)))
      if (!holder) return
      let timer: NodeJS.Timeout | undefined
      const timedOut = await Promise.race([holder.done.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), 5000)))])
      clearTimeout(timer)
      if (timedOut) {
        this.violations.push(`${action} on ${name} waited 5 s for transaction ${holder.id}: a deadlock`)
        throw new WireError('DATABASE_TIMEOUT', 'lock wait timeout')
      }
    }
  }

  private takeFault(collection: string, op: StandInOp | null) {
    if (!op) return null
    const f = this.faults.find((x) => x.collection === collection && x.op === op && x.times > 0)
    if (!f) return null
    f.times--
    return f
  }

  private async dispatch(action: string, p: Params, rec: RequestRecord): Promise<Answer> {
    switch (action) {
      case 'database.startTransaction':
        return { transactionId: this.begin() }
      case 'database.commitTransaction':
        this.commit(this.tx(p))
        return { data: {} }
      case 'database.abortTransaction':
        this.abort(this.tx(p))
        return { data: {} }
      case 'database.insertDocument':
        return this.insert(p, rec)
      case 'database.getDocument':
        return this.get(p, rec)
      case 'database.calculateDocument': {
        const total = this.matching(p).length
        rec.docsRead = total
        return { data: { total } }
      }
      case 'database.modifyDocument':
        return this.modify(p, rec)
      case 'database.removeDocument':
        return this.remove(p, rec)
      default:
        this.violations.push(`unsupported database action ${action}`)
        throw new WireError('INVALID_PARAM', `stand-in: ${action} is not modelled`)
    }
  }

  // ---- reading ----

  private table(name: string): Map<string, Stored> {
    let t = this.data.get(name)
    if (!t) this.data.set(name, (t = new Map()))
    return t
  }

  /** The documents of a collection as a transaction (or, without one, everybody) sees them. */
  private view(name: string, tx: Tx | null): Doc[] {
    const committed = [...this.table(name).entries()]
    if (!tx) return committed.map(([, s]) => s.doc)
    const over = tx.overlay.get(name) ?? new Map<string, Doc | null>()
    const out: Doc[] = []
    for (const [k, s] of committed) {
      if (!over.has(k)) out.push(s.doc)
      else if (over.get(k)) out.push(over.get(k)!)
    }
    for (const [k, d] of over) if (d && !this.table(name).has(k)) out.push(d)
    return out
  }

  private matching(p: Params): Doc[] {
    const tx = this.optionalTx(p)
    const filter = p.query === undefined || p.query === '' ? {} : parse(p.query)
    const q = new Query(filter, {})
    return this.view(String(p.collectionName), tx).filter((d) => q.test(d))
  }

  private get(p: Params, rec: RequestRecord): Answer {
    const tx = this.optionalTx(p)
    const filter = p.query === undefined || p.query === '' ? {} : parse(p.query)
    const order = p.order ? (parse(p.order) as Record<string, 1 | -1>) : null
    let cursor = new Query(filter, {}).find<Doc>(this.view(String(p.collectionName), tx))
    if (order && Object.keys(order).length > 0) cursor = cursor.sort(order)
    const skip = typeof p.offset === 'number' ? p.offset : 0
    const asked = typeof p.limit === 'number' ? p.limit : this.maxPerGet
    const docs = cursor.skip(skip).limit(Math.min(asked, this.maxPerGet)).all()
    rec.docsRead = docs.length
    this.gets.push({ collection: String(p.collectionName), limit: typeof p.limit === 'number' ? p.limit : undefined, returned: docs.length })
    return { data: { list: docs.map((d) => EJSON.stringify(d, { relaxed: false })) } }
  }

  // ---- writing ----

  private insert(p: Params, rec: RequestRecord): Answer {
    const name = String(p.collectionName)
    const tx = this.optionalTx(p)
    const ids: unknown[] = []
    for (const raw of p.data as unknown[]) {
      const doc = parse(raw)
      if (doc._id === undefined) doc._id = crypto.randomBytes(16).toString('hex')
      const existing = this.view(name, tx).find((d) => idKey(d._id) === idKey(doc._id))
      if (existing) throw this.duplicate(name, '_id_', { _id: doc._id })
      this.checkUnique(name, doc, tx)
      this.write(name, doc._id, doc, tx)
      ids.push(doc._id)
    }
    rec.docsWritten = ids.length
    this.writes.push({ collection: name, op: 'add', ids: ids.map(String) })
    return { data: { insertedIds: ids } }
  }

  private modify(p: Params, rec: RequestRecord): Answer {
    const name = String(p.collectionName)
    const tx = this.optionalTx(p)
    const data = parse(p.data) as Record<string, unknown>
    const targets = this.matching(p)
    const chosen = p.multi === false ? targets.slice(0, 1) : targets
    if (p.merge === false) {
      // doc().set(): replace the whole document, creating it when missing (upsert)
      const filter = parse(p.query)
      const id = filter._id
      const next = { ...clone(data), _id: id } as Doc
      const before = chosen[0]
      if (before && sameDoc(before, next)) return { data: { updated: 0 } }
      this.checkUnique(name, next, tx)
      this.write(name, id, next, tx)
      rec.docsWritten = 1
      this.writes.push({ collection: name, op: 'add', ids: [String(id)] })
      return { data: before ? { updated: 1 } : { updated: 0, upsert_id: id } }
    }
    const modifier = Object.keys(data).some((k) => k.startsWith('$')) ? data : { $set: data }
    if ('_id' in data || Object.values(modifier).some((v) => isPlain(v) && '_id' in v)) {
      throw new WireError('DATABASE_REQUEST_FAILED', "Performing an update on the path '_id' would modify the immutable field '_id'")
    }
    // All documents are computed first and written after, so a failed one leaves none half-done
    // (a multi-document update on MongoDB is atomic per document; no caller here relies on more).
    const changed: Doc[] = []
    for (const d of chosen) {
      // MongoDB refuses $inc on a field holding something else than a number (mingo would skip it)
      for (const path of Object.keys((modifier.$inc as Record<string, unknown> | undefined) ?? {})) {
        const current = path.split('.').reduce<unknown>((o, k) => (isPlain(o) ? o[k] : undefined), d)
        if (current !== undefined && typeof current !== 'number') {
          throw new WireError(
            'DATABASE_REQUEST_FAILED',
            `Cannot apply $inc to a value of non-numeric type. {_id: ${JSON.stringify(d._id)}} has the field '${path}' of non-numeric type`,
          )
        }
      }
      const next = clone(d)
      try {
        mingoUpdate(next, modifier as Parameters<typeof mingoUpdate>[1], undefined, undefined, { cloneMode: 'deep' })
      } catch (e) {
        throw new WireError('DATABASE_REQUEST_FAILED', (e as Error).message)
      }
      if (!sameDoc(d, next)) changed.push(next)
    }
    for (const next of changed) this.checkUnique(name, next, tx)
    for (const next of changed) this.write(name, next._id, next, tx)
    rec.docsWritten = changed.length
    this.writes.push({ collection: name, op: 'update', ids: changed.map((d) => String(d._id)) })
    return { data: { updated: changed.length } }
  }

  private remove(p: Params, rec: RequestRecord): Answer {
    const name = String(p.collectionName)
    const tx = this.optionalTx(p)
    const targets = this.matching(p)
    const chosen = p.multi === false ? targets.slice(0, 1) : targets
    for (const d of chosen) this.write(name, d._id, null, tx)
    rec.docsWritten = chosen.length
    this.writes.push({ collection: name, op: 'remove', ids: chosen.map((d) => String(d._id)) })
    return { data: { deleted: chosen.length } }
  }

  /** One document written (or removed, doc = null): into the transaction, or committed at once. */
  private write(name: string, id: unknown, doc: Doc | null, tx: Tx | null): void {
    const k = idKey(id)
    const lockKey = `${name}|${k}`
    if (tx) {
      const holder = [...this.txs.values()].find((t) => t !== tx && t.locks.has(lockKey))
      const stored = this.table(name).get(k)
      // MongoDB's write conflict: another open transaction holds the document, or it was
      // committed after this transaction began.
      if (holder || (stored && stored.ver > tx.snapshot)) {
        throw new WireError(CONFLICT, 'Transaction is conflict, maybe resource operated by others. Please retry.')
      }
      tx.locks.add(lockKey)
      let over = tx.overlay.get(name)
      if (!over) tx.overlay.set(name, (over = new Map()))
      over.set(k, doc ? clone(doc) : null)
      return
    }
    const t = this.table(name)
    if (doc) t.set(k, { doc: clone(doc), ver: ++this.clock })
    else t.delete(k)
  }

  /** MongoDB's unique index: a missing field indexes as null, so two documents without it collide. */
  private checkUnique(name: string, doc: Doc, tx: Tx | null): void {
    for (const fields of this.unique.get(name) ?? []) {
      const key = JSON.stringify(fields.map((f) => doc[f] ?? null))
      for (const other of this.view(name, tx)) {
        if (idKey(other._id) !== idKey(doc._id) && JSON.stringify(fields.map((f) => other[f] ?? null)) === key) {
          throw this.duplicate(name, fields.map((f) => `${f}_1`).join('_'), Object.fromEntries(fields.map((f) => [f, doc[f] ?? null])))
        }
      }
    }
  }

  private duplicate(name: string, index: string, key: Record<string, unknown>): WireError {
    const mongo = `E11000 duplicate key error collection: ${this.envId}.${name} index: ${index} dup key: ${JSON.stringify(key)}`
    if (this.wording === 'observed') return new WireError('DATABASE_REQUEST_FAILED', mongo)
    return new WireError(DUP, this.wording === 'documented' ? mongo : 'write conflict on a unique key')
  }

  // ---- transactions ----

  private begin(): string {
    const id = crypto.randomBytes(12).toString('hex')
    let finish!: () => void
    const done = new Promise<void>((r) => (finish = r))
    this.txs.set(id, { id, snapshot: this.clock, overlay: new Map(), locks: new Set(), done, finish })
    return id
  }

  private tx(p: Params): Tx {
    const tx = this.txs.get(String(p.transactionId))
    if (!tx) throw new WireError('DATABASE_TRANSACTION_FAIL', `transaction ${String(p.transactionId)} is not open`)
    return tx
  }

  private optionalTx(p: Params): Tx | null {
    return typeof p.transactionId === 'string' && p.transactionId !== '' ? this.tx(p) : null
  }

  private commit(tx: Tx): void {
    // unique keys again, against what others committed meanwhile
    for (const [name, over] of tx.overlay) {
      for (const k of over.keys()) {
        const stored = this.table(name).get(k)
        if (stored && stored.ver > tx.snapshot) {
          this.abort(tx)
          throw new WireError(CONFLICT, 'Transaction is conflict, maybe resource operated by others. Please retry.')
        }
      }
      for (const d of over.values()) if (d) this.checkUnique(name, d, tx)
    }
    for (const [name, over] of tx.overlay) {
      const t = this.table(name)
      for (const [k, d] of over) {
        if (d) t.set(k, { doc: d, ver: ++this.clock })
        else t.delete(k)
      }
    }
    this.txs.delete(tx.id)
    this.transactions.committed++
    tx.finish()
  }

  private abort(tx: Tx): void {
    this.txs.delete(tx.id)
    this.transactions.rolledBack++
    tx.finish()
  }
}

function opOf(action: string, body: Params): StandInOp | null {
  switch (action) {
    case 'database.insertDocument':
      return 'add'
    case 'database.getDocument':
      return 'get'
    case 'database.calculateDocument':
      return 'count'
    case 'database.modifyDocument':
      return body.merge === false ? 'add' : 'update'
    case 'database.removeDocument':
      return 'remove'
    default:
      return null
  }
}

function messageOf(e: Error): string {
  const m = (e as { errMsg?: unknown }).errMsg
  return typeof m === 'string' ? m : e.message
}

// ---- installing the stand-in under the real SDK ----

const ENV = {
  TENCENTCLOUD_RUNENV: 'SCF',
  TENCENTCLOUD_SECRETID: 'AKIDstandinstandinstandin',
  TENCENTCLOUD_SECRETKEY: 'standin-secret-key',
  TENCENTCLOUD_SESSIONTOKEN: '',
  TENCENTCLOUD_REGION: 'ap-shanghai',
  TCB_ENV: 'standin-default-env',
  SCF_NAMESPACE: 'standin-default-env',
  SILENCE: 'true',
}

type CoreRequest = (opts: { url?: string; body?: unknown; method?: string }, cb: (err: Error | null, res?: unknown, body?: unknown) => void) => unknown

/** The real SDK as the tests see it: only the parts the stand-in answers (database). */
export type RealCloud = Omit<WxCloudLike, 'database'> & { database(config?: { env: string }): WxDatabase }

interface Installed {
  cloud: RealCloud
  /** environment name -> the stand-in answering it */
  routes: Map<string, CloudBaseStandIn>
  /** network attempts and requests for an environment nobody attached: any of these fails a test */
  violations: string[]
  restore(): void
}

let installed: Installed | null = null

/**
 * The real wx-server-sdk of this test file (jest gives each file its own module registry, so
 * its own SDK instance), with its HTTP requester answered by stand-ins. Installed on first use;
 * requests are routed by the environment name the SDK puts in each body (`envName`), so several
 * stand-ins can live side by side: see attachStandIn.
 */
export function realSdk(): Installed {
  if (installed) return installed
  const savedEnv: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(ENV)) {
    savedEnv[k] = process.env[k]
    process.env[k] = v
  }
  // A real SCF container always has these variables; a test that swaps process.env wholesale
  // (tests/adapters/wx/wx.wiring.test.ts does) must not take them away from the SDK, so they
  // are put back before each database request is prepared.
  const dbRequester = require('@cloudbase/node-sdk/dist/utils/tcbdbapirequester') as {
    TcbDBApiHttpRequester: { prototype: { send: (...a: unknown[]) => unknown } }
  }
  const originalSend = dbRequester.TcbDBApiHttpRequester.prototype.send
  dbRequester.TcbDBApiHttpRequester.prototype.send = function (this: unknown, ...a: unknown[]) {
    for (const [k, v] of Object.entries(ENV)) if (process.env[k] !== v) process.env[k] = v
    return originalSend.apply(this, a)
  }
  const routes = new Map<string, CloudBaseStandIn>()
  const violations: string[] = []
  const core = require('@cloudbase/node-sdk/dist/utils/request-core') as { request: CoreRequest }
  const original = core.request
  core.request = (opts, cb) => {
    const url = String(opts.url ?? '')
    const reply = (answer: unknown) => setImmediate(() => cb(null, { statusCode: 200, headers: {} }, JSON.parse(JSON.stringify(answer))))
    // The SDK sends every database action as a JSON POST to /admin; the body is what would go
    // over the wire, so it is serialised and parsed back once, as a server would.
    if (!/\/admin\b/.test(url) || !opts.body || typeof opts.body !== 'object') {
      violations.push(`network: ${opts.method ?? 'GET'} ${url}`)
      setImmediate(() => cb(Object.assign(new Error(`stand-in: no network in tests (${url})`), { code: 'ENETUNREACH' })))
      return {}
    }
    const body = JSON.parse(JSON.stringify(opts.body)) as Params
    const action = typeof body.action === 'string' ? body.action : ''
    const standIn = routes.get(String(body.envName))
    if (!standIn || !action.startsWith('database.')) {
      violations.push(standIn ? `not modelled: ${action}` : `no stand-in for environment ${String(body.envName)} (${action})`)
      reply({ code: 'SYS_ERR', message: `stand-in: ${action} is not answered here`, requestId: 'none' })
      return {}
    }
    standIn.handle(body).then(reply, (e: unknown) => {
      violations.push(`stand-in crashed on ${action}: ${String(e)}`)
      setImmediate(() => cb(e instanceof Error ? e : new Error(String(e))))
    })
    return {}
  }
  // Belt and braces: nothing else in the process may open a connection either.
  const saved = { httpRequest: http.request, httpGet: http.get, httpsRequest: https.request, httpsGet: https.get }
  const refuse =
    (what: string) =>
    (...args: unknown[]): never => {
      const target = typeof args[0] === 'string' ? args[0] : args[0] instanceof URL ? args[0].href : JSON.stringify(args[0])
      violations.push(`network: ${what} ${target}`)
      throw new Error(`stand-in: no network in tests (${what} ${target})`)
    }
  http.request = refuse('http.request')
  http.get = refuse('http.get')
  https.request = refuse('https.request')
  https.get = refuse('https.get')
  const cloud = require('wx-server-sdk') as RealCloud
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
  installed = {
    cloud,
    routes,
    violations,
    restore() {
      core.request = original
      dbRequester.TcbDBApiHttpRequester.prototype.send = originalSend
      Object.assign(http, { request: saved.httpRequest, get: saved.httpGet })
      Object.assign(https, { request: saved.httpsRequest, get: saved.httpsGet })
      for (const [k, v] of Object.entries(savedEnv)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
      installed = null
    },
  }
  return installed
}

/** The installed SDK of this test file, if any test used it. */
export function installedSdk(): Installed | null {
  return installed
}

/**
 * The real SDK's database for `standIn`: cloud.database({ env }) with the stand-in's own
 * environment name, which the SDK sends with every request.
 */
export function attachStandIn(standIn: CloudBaseStandIn): WxDatabase {
  const sdk = realSdk()
  sdk.routes.set(standIn.envId, standIn)
  return sdk.cloud.database({ env: standIn.envId })
}

/** Requests grouped for capacity counting: reads and writes as CloudBase bills them (one per request). */
export function countRequests(records: readonly RequestRecord[]): {
  reads: number
  writes: number
  transactions: number
  docsRead: number
  docsWritten: number
  bytesSent: number
} {
  let reads = 0
  let writes = 0
  let transactions = 0
  let docsRead = 0
  let docsWritten = 0
  let bytesSent = 0
  for (const r of records) {
    bytesSent += r.bytesSent
    docsRead += r.docsRead
    docsWritten += r.docsWritten
    if (r.action === 'database.getDocument' || r.action === 'database.calculateDocument') reads++
    else if (r.action === 'database.insertDocument' || r.action === 'database.modifyDocument' || r.action === 'database.removeDocument') writes++
    else if (r.action === 'database.startTransaction') transactions++
  }
  return { reads, writes, transactions, docsRead, docsWritten, bytesSent }
}
