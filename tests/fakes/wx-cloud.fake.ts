import crypto from 'node:crypto'
import type {
  WxCloudLike,
  WxCloudPay,
  WxCollection,
  WxCommand,
  WxCondition,
  WxContextLike,
  WxDatabase,
  WxDoc,
  WxLogicCommand,
  WxPayAnswer,
  WxQuery,
  WxQueryCommand,
  WxQueryOrderAnswer,
  WxTempUrlItem,
  WxTransaction,
  WxTxDocument,
  WxUnifiedOrderAnswer,
  WxUnifiedOrderParams,
  WxUpdateCommand,
} from '../../cloudfunctions/_core/adapters/wx/wx-cloud.types'
import type { WxIndexSpec } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import type { WxSubscribeOpenApi, WxSubscribeSendParams } from '../../cloudfunctions/_core/adapters/wx/wx.subscribe'

/**
 * An in-memory stand-in for the part of wx-server-sdk in WxCloudLike, faithful where the
 * adapters' correctness depends on it:
 *
 * - Every call resolves asynchronously (so concurrent callers interleave, as over the
 *   network), but each write does its read-check-write in ONE synchronous step, the way the
 *   database applies a conditional update atomically per document. 50 concurrent markPaid
 *   calls therefore race for real, and only atomicity lets exactly one win.
 * - get() returns at most 100 documents whatever limit() says, silently, like the server.
 * - `_id` and the configured unique indexes reject twins with the SDK's error shape:
 *   errCode -502001 (the SDK's generic "database request fail") and DATABASE_DUPLICATE_WRITE
 *   in the message.
 * - cloudPay answers with errCode 0 and the business error only in errCodeDes, because
 *   wx-server-sdk 4.0.2 overwrites WeChat Pay's err_code (see WxPayAnswer).
 * - getTempFileURL and deleteFile reject more than 50 files per call.
 * - update() reports in stats.updated the documents it CHANGED (a document already holding
 *   the new values counts 0, as on the server), merges plain objects into stored ones field
 *   by field (use _.set to replace), and applies _.inc atomically.
 * - Matching is MongoDB's for what we use: null matches null or a missing field, a value
 *   matches an array field containing it, values of different types never compare.
 */

const SERVER_MAX_GET = 100

/** The SDK's error for a failed database request (CloudSDKError-like). */
export class FakeSdkError extends Error {
  constructor(
    readonly errCode: number,
    readonly errMsg: string,
  ) {
    super(`errCode: ${errCode} | errMsg: ${errMsg}`)
    this.name = 'CloudSDKError'
  }
}

export const duplicateWriteError = (api: string, detail: string) =>
  new FakeSdkError(-502001, `${api}:fail DATABASE_DUPLICATE_WRITE. [DATABASE_DUPLICATE_WRITE] E11000 duplicate key error ${detail}`)

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))
const clone = <T>(v: T): T => structuredClone(v)

// ---- db.command: plain tagged objects only this fake interprets ----

type Op = { $op: 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'in'; value: unknown }
type Logic = { $logic: 'and' | 'or'; conditions: WxCondition[] }
type Upd = { $update: 'inc' | 'set'; value: unknown }

const isOp = (v: unknown): v is Op => !!v && typeof v === 'object' && '$op' in v
const isLogic = (v: unknown): v is Logic => !!v && typeof v === 'object' && '$logic' in v
const isUpd = (v: unknown): v is Upd => !!v && typeof v === 'object' && '$update' in v
const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v) && !isOp(v) && !isLogic(v) && !isUpd(v)

const op = (o: Op) => o as unknown as WxQueryCommand
const logic = (l: Logic) => l as unknown as WxLogicCommand
const upd = (u: Upd) => u as unknown as WxUpdateCommand

const command: WxCommand = {
  eq: (value) => op({ $op: 'eq', value }),
  neq: (value) => op({ $op: 'neq', value }),
  lt: (value) => op({ $op: 'lt', value }),
  lte: (value) => op({ $op: 'lte', value }),
  gt: (value) => op({ $op: 'gt', value }),
  gte: (value) => op({ $op: 'gte', value }),
  in: (values) => op({ $op: 'in', value: [...values] }),
  and: (conditions) => logic({ $logic: 'and', conditions }),
  or: (conditions) => logic({ $logic: 'or', conditions }),
  inc: (n) => {
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`fake: _.inc needs a number, got ${String(n)}`)
    return upd({ $update: 'inc', value: n })
  },
  set: (value) => upd({ $update: 'set', value }),
}

/** MongoDB equality for the values we store: null matches null and missing; objects and arrays by content. */
function same(a: unknown, b: unknown): boolean {
  if (a === b || (a == null && b == null)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

/** MongoDB-like comparison for the types we store; values of different types never compare. */
function compare(a: unknown, b: unknown): number | null {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  return null
}

/** One value against one operator (no array expansion). */
function matchScalar(actual: unknown, expected: Op): boolean {
  switch (expected.$op) {
    case 'eq':
      return same(actual, expected.value)
    case 'neq':
      return !same(actual, expected.value)
    case 'in':
      return (expected.value as unknown[]).some((v) => same(actual, v))
    default: {
      const c = compare(actual, expected.value)
      if (c === null) return false
      return expected.$op === 'lt' ? c < 0 : expected.$op === 'lte' ? c <= 0 : expected.$op === 'gt' ? c > 0 : c >= 0
    }
  }
}

function matchField(actual: unknown, expected: unknown): boolean {
  if (isLogic(expected)) throw new Error('fake: field-level logic commands are not supported')
  if (isUpd(expected)) throw new Error('fake: an update command (_.inc, _.set) in a query')
  if (isPlainObject(expected)) throw new Error('fake: nested object conditions are not supported')
  const cond: Op = isOp(expected) ? expected : { $op: 'eq', value: expected }
  // An array field matches when the array itself or one of its elements does; $ne when none
  // of them is equal (MongoDB's rule).
  if (Array.isArray(actual) && (cond.$op === 'in' || !Array.isArray(cond.value))) {
    if (cond.$op === 'neq') return !actual.some((el) => same(el, cond.value))
    return matchScalar(actual, cond) || actual.some((el) => matchScalar(el, cond))
  }
  return matchScalar(actual, cond)
}

function matches(doc: WxDoc, condition: WxCondition): boolean {
  if (isLogic(condition)) {
    return condition.$logic === 'and' ? condition.conditions.every((c) => matches(doc, c)) : condition.conditions.some((c) => matches(doc, c))
  }
  // a dotted field ("title.name") reaches into nested objects, as the cloud database's paths do
  const at = (field: string): unknown =>
    field.includes('.')
      ? field.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc)
      : doc[field]
  return Object.entries(condition).every(([field, expected]) => matchField(at(field), expected))
}

/**
 * update({ data }) on one document, as the database applies it: _.inc adds (to 0 when
 * missing), _.set replaces, a plain object is merged field by field into a stored object
 * (the SDK flattens it to dotted paths), anything else replaces.
 */
function applyUpdate(target: Record<string, unknown>, data: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(data)) {
    if (isOp(value) || isLogic(value)) throw new Error(`fake: query command in update data (${key})`)
    if (isUpd(value)) {
      if (value.$update === 'set') target[key] = clone(value.value)
      else {
        const current = target[key] ?? 0
        if (typeof current !== 'number') throw new FakeSdkError(-502001, `update:fail cannot $inc non-numeric field ${key}`)
        target[key] = current + (value.value as number)
      }
    } else if (isPlainObject(value) && isPlainObject(target[key])) {
      const inner = { ...target[key] }
      applyUpdate(inner, value)
      target[key] = inner
    } else {
      target[key] = clone(value)
    }
  }
}

// ---- database ----

export interface FakeDbOptions {
  /** unique indexes to enforce, typically WX_INDEXES */
  indexes?: readonly Pick<WxIndexSpec, 'collection' | 'fields' | 'unique'>[]
}

export type FakeDbOp = 'add' | 'get' | 'count' | 'update' | 'remove'

export class FakeDatabase implements WxDatabase {
  readonly command = command
  /** collection -> _id -> document, in insertion (natural) order */
  readonly data = new Map<string, Map<string, WxDoc>>()
  /** every get(): collection and the limit asked for, to check the adapters page */
  readonly gets: { collection: string; limit: number | undefined; returned: number }[] = []
  /** every write that reached the database: collection, operation, and the documents it touched */
  readonly writes: { collection: string; op: 'add' | 'update' | 'remove'; ids: string[] }[] = []
  private readonly unique = new Map<string, string[][]>()
  private faults: { collection: string; op: FakeDbOp; error: Error; times: number }[] = []
  private lostAnswers: { collection: string; op: FakeDbOp; error: Error; times: number }[] = []

  constructor(opts: FakeDbOptions = {}) {
    for (const i of opts.indexes ?? []) {
      if (!i.unique) continue
      const list = this.unique.get(i.collection) ?? []
      list.push(i.fields.map((f) => f.field))
      this.unique.set(i.collection, list)
    }
  }

  collection(name: string): WxCollection {
    return new FakeQuery(this, name, {})
  }

  private txQueue: Promise<void> = Promise.resolve()
  /** how many transactions ran, and how many were rolled back */
  readonly transactions = { committed: 0, rolledBack: 0 }

  /**
   * db.runTransaction: the function's doc() operations apply as they run and are undone,
   * document by document, when it throws (the commit-or-nothing the adapters rely on).
   * Transactions run one at a time, the way the server's document locks make concurrent
   * ones conflict and retry. Not modelled: isolation from non-transaction reads while the
   * function runs.
   */
  async runTransaction<T>(fn: (tx: WxTransaction) => Promise<T>): Promise<T> {
    const before = this.txQueue
    let release!: () => void
    this.txQueue = new Promise<void>((r) => (release = r))
    await before
    const undo = new Map<string, Map<string, WxDoc | undefined>>()
    const tx: WxTransaction = { collection: (name) => ({ doc: (id) => new FakeTxDocument(this, name, id, undo) }) }
    try {
      const out = await fn(tx)
      this.transactions.committed++
      return out
    } catch (e) {
      for (const [name, docs] of undo) {
        const t = this.table(name)
        for (const [id, prev] of docs) {
          if (prev) t.set(id, prev)
          else t.delete(id)
        }
      }
      this.transactions.rolledBack++
      throw e
    } finally {
      release()
    }
  }

  docs(name: string): WxDoc[] {
    return [...(this.data.get(name)?.values() ?? [])].map(clone)
  }

  /** The next `times` calls of `op` on `collection` reject with `error` (after the tick). */
  failNext(collection: string, op: FakeDbOp, error: Error, times = 1): void {
    this.faults.push({ collection, op, error, times })
  }

  /**
   * The next `times` writes (`op`) on `collection` are APPLIED and then reject with `error`:
   * the answer was lost on the way back, the case a retry must not double.
   */
  loseAnswerNext(collection: string, op: 'add' | 'update' | 'remove', error: Error, times = 1): void {
    this.lostAnswers.push({ collection, op, error, times })
  }

  /** @internal */
  takeLostAnswer(collection: string, op: FakeDbOp): Error | null {
    const f = this.lostAnswers.find((x) => x.collection === collection && x.op === op && x.times > 0)
    if (!f) return null
    f.times--
    return f.error
  }

  /** @internal */
  takeFault(collection: string, op: FakeDbOp): Error | null {
    const f = this.faults.find((x) => x.collection === collection && x.op === op && x.times > 0)
    if (!f) return null
    f.times--
    return f.error
  }

  /** @internal */
  table(name: string): Map<string, WxDoc> {
    let t = this.data.get(name)
    if (!t) this.data.set(name, (t = new Map()))
    return t
  }

  /** @internal Throws the SDK's duplicate error if `doc` would twin another on _id or a unique index. */
  checkUnique(name: string, doc: WxDoc, api: string): void {
    const t = this.table(name)
    const other = t.get(doc._id)
    if (other && other !== doc && api === 'collection.add') throw duplicateWriteError(api, `index: _id_ dup key: { _id: "${doc._id}" }`)
    for (const fields of this.unique.get(name) ?? []) {
      const key = JSON.stringify(fields.map((f) => doc[f] ?? null))
      for (const d of t.values()) {
        if (d._id !== doc._id && JSON.stringify(fields.map((f) => d[f] ?? null)) === key) {
          throw duplicateWriteError(api, `index: ${fields.join('_')} dup key: ${key}`)
        }
      }
    }
  }
}

interface QueryState {
  where?: WxCondition
  order?: { field: string; dir: 'asc' | 'desc' }[]
  limit?: number
  skip?: number
}

/** Immutable, like the SDK's query builders. */
class FakeQuery implements WxCollection {
  constructor(
    private readonly db: FakeDatabase,
    private readonly name: string,
    private readonly state: QueryState,
  ) {}

  private with(patch: Partial<QueryState>): FakeQuery {
    return new FakeQuery(this.db, this.name, { ...this.state, ...patch })
  }

  where(condition: WxCondition): WxQuery {
    if (this.state.where) throw new Error('fake: where() called twice')
    return this.with({ where: clone(condition) })
  }

  orderBy(field: string, order: 'asc' | 'desc'): WxQuery {
    return this.with({ order: [...(this.state.order ?? []), { field, dir: order }] })
  }

  limit(n: number): WxQuery {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`fake: bad limit ${n}`)
    return this.with({ limit: n })
  }

  skip(n: number): WxQuery {
    if (!Number.isInteger(n) || n < 0) throw new Error(`fake: bad skip ${n}`)
    return this.with({ skip: n })
  }

  private async begin(op: FakeDbOp): Promise<void> {
    await tick()
    const fault = this.db.takeFault(this.name, op)
    if (fault) throw fault
  }

  /** Live documents matching the condition, in query order (natural order, then orderBy). */
  private matched(): WxDoc[] {
    const all = [...this.db.table(this.name).values()].filter((d) => !this.state.where || matches(d, this.state.where))
    for (const { field, dir } of [...(this.state.order ?? [])].reverse()) {
      all.sort((a, b) => {
        const c = compare(a[field], b[field]) ?? 0
        return dir === 'asc' ? c : -c
      })
    }
    return all
  }

  async get(): Promise<{ data: WxDoc[] }> {
    await this.begin('get')
    const skip = this.state.skip ?? 0
    const take = Math.min(this.state.limit ?? SERVER_MAX_GET, SERVER_MAX_GET)
    const data = this.matched()
      .slice(skip, skip + take)
      .map(clone)
    this.db.gets.push({ collection: this.name, limit: this.state.limit, returned: data.length })
    return { data }
  }

  async count(): Promise<{ total: number }> {
    await this.begin('count')
    return { total: this.matched().length }
  }

  async update({ data }: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }> {
    await this.begin('update')
    if ('_id' in data) throw new FakeSdkError(-502001, 'update:fail cannot update _id')
    // From here to the return: synchronous, so no other call sees a half-applied update.
    const targets = this.matched()
    const patched = targets.map((d) => {
      const p = clone(d)
      applyUpdate(p, data)
      return p
    })
    // Like the server, `updated` counts documents that changed, not documents matched.
    const changed = patched.filter((p, i) => !same(p, targets[i]))
    for (const p of changed) this.db.checkUnique(this.name, p, 'collection.update')
    const t = this.db.table(this.name)
    for (const p of changed) t.set(p._id, p)
    this.db.writes.push({ collection: this.name, op: 'update', ids: changed.map((p) => p._id) })
    const lost = this.db.takeLostAnswer(this.name, 'update')
    if (lost) throw lost
    return { stats: { updated: changed.length } }
  }

  async remove(): Promise<{ stats: { removed: number } }> {
    await this.begin('remove')
    const t = this.db.table(this.name)
    const targets = this.matched()
    for (const d of targets) t.delete(d._id)
    this.db.writes.push({ collection: this.name, op: 'remove', ids: targets.map((d) => d._id) })
    const lost = this.db.takeLostAnswer(this.name, 'remove')
    if (lost) throw lost
    return { stats: { removed: targets.length } }
  }

  async add({ data }: { data: Record<string, unknown> }): Promise<{ _id: string }> {
    await this.begin('add')
    const doc = { ...clone(data), _id: typeof data._id === 'string' ? data._id : crypto.randomBytes(12).toString('hex') } as WxDoc
    this.db.checkUnique(this.name, doc, 'collection.add')
    this.db.table(this.name).set(doc._id, doc)
    this.db.writes.push({ collection: this.name, op: 'add', ids: [doc._id] })
    const lost = this.db.takeLostAnswer(this.name, 'add')
    if (lost) throw lost
    return { _id: doc._id }
  }
}

/** One document inside a fake transaction; faults set with failNext apply as for queries. */
class FakeTxDocument implements WxTxDocument {
  constructor(
    private readonly db: FakeDatabase,
    private readonly name: string,
    private readonly id: string,
    private readonly undo: Map<string, Map<string, WxDoc | undefined>>,
  ) {}

  private async begin(op: FakeDbOp): Promise<void> {
    await tick()
    const fault = this.db.takeFault(this.name, op)
    if (fault) throw fault
  }

  /** remembers the document as it was before the transaction first touched it */
  private remember(): void {
    let docs = this.undo.get(this.name)
    if (!docs) this.undo.set(this.name, (docs = new Map()))
    if (!docs.has(this.id)) {
      const cur = this.db.table(this.name).get(this.id)
      docs.set(this.id, cur ? clone(cur) : undefined)
    }
  }

  async get(): Promise<{ data: WxDoc }> {
    await this.begin('get')
    const d = this.db.table(this.name).get(this.id)
    if (!d) throw new FakeSdkError(-502001, `document.get:fail document with _id ${this.id} does not exist`)
    return { data: clone(d) }
  }

  async set({ data }: { data: Record<string, unknown> }): Promise<unknown> {
    // @cloudbase/database refuses it before sending anything (found through the real SDK, tests/realsdk)
    if ('_id' in data) throw new FakeSdkError(-501007, 'document.set:fail -501007 invalid parameters. 不能更新_id的值')
    await this.begin('add')
    const doc = { ...clone(data), _id: this.id } as WxDoc
    this.db.checkUnique(this.name, doc, 'document.set')
    this.remember()
    this.db.table(this.name).set(this.id, doc)
    this.db.writes.push({ collection: this.name, op: 'add', ids: [this.id] })
    return { _id: this.id }
  }

  async update({ data }: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }> {
    await this.begin('update')
    if ('_id' in data) throw new FakeSdkError(-502001, 'update:fail cannot update _id')
    const cur = this.db.table(this.name).get(this.id)
    if (!cur) throw new FakeSdkError(-502001, `document.update:fail document with _id ${this.id} does not exist`)
    const p = clone(cur)
    applyUpdate(p, data)
    if (same(p, cur)) return { stats: { updated: 0 } }
    this.db.checkUnique(this.name, p, 'document.update')
    this.remember()
    this.db.table(this.name).set(this.id, p)
    this.db.writes.push({ collection: this.name, op: 'update', ids: [this.id] })
    return { stats: { updated: 1 } }
  }

  async remove(): Promise<{ stats: { removed: number } }> {
    await this.begin('remove')
    const had = this.db.table(this.name).has(this.id)
    if (had) {
      this.remember()
      this.db.table(this.name).delete(this.id)
    }
    this.db.writes.push({ collection: this.name, op: 'remove', ids: had ? [this.id] : [] })
    return { stats: { removed: had ? 1 : 0 } }
  }
}

// ---- cloudPay ----

export interface FakePayment {
  outTradeNo: string
  totalFee: number
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED'
  transactionId: string | null
  timeEnd: string | null
  params: WxUnifiedOrderParams
}

type PayApi = 'unifiedOrder' | 'queryOrder' | 'closeOrder'
type PayAnswer = WxUnifiedOrderAnswer | WxQueryOrderAnswer | WxPayAnswer

/** Answers as cloudPay does after wx-server-sdk's conversion: camelCase, errCode 0, errMsg "<api>:ok". */
const ok = (api: PayApi, body: Record<string, unknown>) => ({ returnCode: 'SUCCESS', returnMsg: 'OK', ...body, errCode: 0, errMsg: `cloudPay.${api}:ok` })
const fail = (api: PayApi, errCodeDes: string) => ok(api, { resultCode: 'FAIL', resultMsg: 'FAIL', errCodeDes })

export class FakeCloudPay implements WxCloudPay {
  readonly payments = new Map<string, FakePayment>()
  readonly calls: { api: PayApi; params: Record<string, unknown> }[] = []
  private overrides: { api: PayApi; answer: PayAnswer | Error }[] = []

  /** The next call of `api` answers `answer` (or rejects with it) instead of the simulation. */
  answerNext(api: PayApi, answer: PayAnswer | Error): void {
    this.overrides.push({ api, answer })
  }

  /** The person paid: the payment side now says SUCCESS. */
  pay(outTradeNo: string, opts: { transactionId?: string; timeEnd?: string } = {}): FakePayment {
    const p = this.payments.get(outTradeNo)
    if (!p) throw new Error(`fake cloudPay: no payment ${outTradeNo}`)
    if (p.state === 'NOTPAY') {
      p.state = 'SUCCESS'
      p.transactionId = opts.transactionId ?? `4200${crypto.randomInt(10 ** 9, 10 ** 10)}${crypto.randomInt(10 ** 9, 10 ** 10)}`
      p.timeEnd = opts.timeEnd ?? '20260101120000'
    }
    return p
  }

  private async begin(api: PayApi, params: object): Promise<PayAnswer | null> {
    this.calls.push({ api, params: clone(params) as Record<string, unknown> })
    await tick()
    const i = this.overrides.findIndex((o) => o.api === api)
    if (i < 0) return null
    const [{ answer }] = this.overrides.splice(i, 1)
    if (answer instanceof Error) throw answer
    return answer
  }

  async unifiedOrder(params: WxUnifiedOrderParams): Promise<WxUnifiedOrderAnswer> {
    const override = await this.begin('unifiedOrder', params)
    if (override) return override
    const existing = this.payments.get(params.outTradeNo)
    if (existing?.state === 'SUCCESS') return fail('unifiedOrder', '该订单已支付')
    if (existing?.state === 'CLOSED') return fail('unifiedOrder', '订单已关闭')
    if (existing && existing.totalFee !== params.totalFee) return fail('unifiedOrder', '商户订单号重复')
    if (!existing) {
      this.payments.set(params.outTradeNo, {
        outTradeNo: params.outTradeNo,
        totalFee: params.totalFee,
        state: 'NOTPAY',
        transactionId: null,
        timeEnd: null,
        params: clone(params),
      })
    }
    return ok('unifiedOrder', {
      resultCode: 'SUCCESS',
      payment: {
        appId: 'wxfakeappid00001',
        timeStamp: String(Math.floor(Date.now() / 1000)),
        nonceStr: crypto.randomBytes(8).toString('hex'),
        package: `prepay_id=wx${crypto.randomBytes(10).toString('hex')}`,
        signType: 'MD5',
        paySign: crypto.randomBytes(16).toString('hex').toUpperCase(),
      },
    })
  }

  async queryOrder(params: { subMchId: string; outTradeNo: string; nonceStr: string }): Promise<WxQueryOrderAnswer> {
    const override = await this.begin('queryOrder', params)
    if (override) return override
    const p = this.payments.get(params.outTradeNo)
    if (!p) return fail('queryOrder', '订单不存在')
    if (p.state !== 'SUCCESS') return ok('queryOrder', { resultCode: 'SUCCESS', tradeState: p.state, outTradeNo: p.outTradeNo, totalFee: p.totalFee })
    return ok('queryOrder', {
      resultCode: 'SUCCESS',
      tradeState: 'SUCCESS',
      outTradeNo: p.outTradeNo,
      transactionId: p.transactionId,
      totalFee: p.totalFee,
      cashFee: p.totalFee,
      timeEnd: p.timeEnd,
    })
  }

  async closeOrder(params: { subMchId: string; outTradeNo: string; nonceStr: string }): Promise<WxPayAnswer> {
    const override = await this.begin('closeOrder', params)
    if (override) return override
    const p = this.payments.get(params.outTradeNo)
    if (!p) return fail('closeOrder', '订单不存在')
    if (p.state === 'SUCCESS') return fail('closeOrder', '订单已支付')
    p.state = 'CLOSED'
    return ok('closeOrder', { resultCode: 'SUCCESS' })
  }
}

// ---- openapi (subscribe messages) ----

/**
 * cloud.openapi.subscribeMessage as the SDK behaves: resolves { errCode: 0, errMsg } on
 * success and REJECTS with a CloudSDKError carrying WeChat's errcode otherwise (see
 * WxSubscribeOpenApi). Sends are recorded; answerNext scripts the next answer.
 */
export class FakeOpenApi implements WxSubscribeOpenApi {
  readonly sent: WxSubscribeSendParams[] = []
  private answers: (Error | { errCode: number; errMsg: string })[] = []

  /** The next send rejects with `answer` (an Error) or resolves with it. */
  answerNext(answer: Error | { errCode: number; errMsg: string }): void {
    this.answers.push(answer)
  }

  readonly subscribeMessage = {
    send: async (params: WxSubscribeSendParams): Promise<unknown> => {
      this.sent.push(clone(params))
      await tick()
      const next = this.answers.shift()
      if (next instanceof Error) throw next
      return next ?? { errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' }
    },
  }
}

// ---- the cloud object ----

export interface FakeWxCloudOptions extends FakeDbOptions {
  envId?: string
}

export class FakeWxCloud implements WxCloudLike {
  readonly DYNAMIC_CURRENT_ENV = Symbol('SYMBOL_CURRENT_ENV')
  readonly envId: string
  readonly db: FakeDatabase
  readonly cloudPay = new FakeCloudPay()
  readonly openapi = new FakeOpenApi()
  /** storage: fileID -> content */
  readonly files = new Map<string, Buffer>()
  /** every init() call's options */
  readonly inits: { env: unknown }[] = []
  /** sizes of the fileLists passed to getTempFileURL / deleteFile */
  readonly storageCalls: { api: 'getTempFileURL' | 'deleteFile'; count: number; maxAges?: number[] }[] = []
  /** what getWXContext() answers; tests set it per call */
  wxContext: WxContextLike = {}
  /** every callFunction() call, in order */
  readonly functionCalls: { name: string; data: Record<string, unknown>; timeout?: number }[] = []
  /**
   * What callFunction does after recording the call; by default the callee "runs" and answers
   * { result: null }. Tests script slow, failing or timing-out callees (ESOCKETTIMEDOUT) here.
   */
  onCallFunction: ((params: { name: string; data: Record<string, unknown>; timeout?: number }) => Promise<{ result?: unknown }>) | null = null

  constructor(opts: FakeWxCloudOptions = {}) {
    this.envId = opts.envId ?? 'test-env-1a2b3c'
    this.db = new FakeDatabase(opts)
  }

  init(options: { env: unknown }): void {
    this.inits.push(options)
  }

  getWXContext(): WxContextLike {
    return { ...this.wxContext }
  }

  database(): WxDatabase {
    return this.db
  }

  async callFunction(params: { name: string; data: Record<string, unknown>; timeout?: number }): Promise<{ result?: unknown }> {
    this.functionCalls.push(clone(params))
    await tick()
    return this.onCallFunction ? this.onCallFunction(params) : { result: null }
  }

  /** cloud://<env>.<bucket>/<path>, the shape of a real fileID */
  fileIdOf(cloudPath: string): string {
    return `cloud://${this.envId}.7465-${this.envId}-1300000000/${cloudPath}`
  }

  async uploadFile({ cloudPath, fileContent }: { cloudPath: string; fileContent: Buffer | NodeJS.ReadableStream }): Promise<{ fileID: string }> {
    await tick()
    const fileID = this.fileIdOf(cloudPath)
    if (Buffer.isBuffer(fileContent)) this.files.set(fileID, Buffer.from(fileContent))
    else {
      // like the SDK: a stream (fs.createReadStream) is read to its end and uploaded
      const parts: Buffer[] = []
      for await (const chunk of fileContent) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
      this.files.set(fileID, Buffer.concat(parts))
    }
    return { fileID }
  }

  async downloadFile({ fileID }: { fileID: string }): Promise<{ fileContent: Buffer }> {
    await tick()
    const content = this.files.get(fileID)
    if (!content) throw new FakeSdkError(-503003, 'downloadFile:fail STORAGE_FILE_NONEXIST')
    return { fileContent: Buffer.from(content) }
  }

  async getTempFileURL({ fileList }: { fileList: { fileID: string; maxAge: number }[] }): Promise<{ fileList: WxTempUrlItem[] }> {
    this.storageCalls.push({ api: 'getTempFileURL', count: fileList.length, maxAges: fileList.map((f) => f.maxAge) })
    await tick()
    if (fileList.length > 50) throw new FakeSdkError(-501007, 'getTempFileURL:fail at most 50 files per call')
    return {
      fileList: fileList.map(({ fileID, maxAge }) =>
        this.files.has(fileID)
          ? {
              fileID,
              tempFileURL: `https://${this.envId}.tcb.qcloud.la/${fileID.split('/').slice(3).join('/')}?sign=fake&t=${maxAge}`,
              status: 0,
              errMsg: 'ok',
            }
          : { fileID, tempFileURL: '', status: -503003, errMsg: 'STORAGE_FILE_NONEXIST' },
      ),
    }
  }

  async deleteFile({ fileList }: { fileList: string[] }): Promise<{ fileList: { fileID: string; status: number; errMsg?: string }[] }> {
    this.storageCalls.push({ api: 'deleteFile', count: fileList.length })
    await tick()
    if (fileList.length > 50) throw new FakeSdkError(-501007, 'deleteFile:fail at most 50 files per call')
    return {
      fileList: fileList.map((fileID) =>
        this.files.delete(fileID) ? { fileID, status: 0, errMsg: 'ok' } : { fileID, status: -503003, errMsg: 'STORAGE_FILE_NONEXIST' },
      ),
    }
  }
}
