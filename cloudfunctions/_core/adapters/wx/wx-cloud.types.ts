/**
 * The part of wx-server-sdk the WeChat-cloud adapters use, and nothing more.
 *
 * Adapters take this interface instead of importing the SDK, for three reasons: tests run
 * them against an in-memory fake (the real SDK rejects offline and leaks unhandled
 * rejections without credentials); the SDK's own typings are too loose to help (most calls
 * are typed `Promise<T> | void | string`); and keeping the surface small makes every SDK
 * behaviour we depend on visible in one file. Only wiring/wx.ts loads the real module and
 * casts it to this type; tests/adapters/wx/wx-sdk-shape.test.ts checks the real module still
 * has these functions.
 *
 * Shapes are the SDK's after its own case conversion: cloudPay sends camelCase and answers
 * camelCase (the SDK converts to and from WeChat Pay's snake_case).
 */
import type { WxSubscribeOpenApi } from './wx.subscribe'

/** What cloud.getWXContext() returns. The SDK turns all-digit values into numbers, hence unknown. */
export interface WxContextLike {
  OPENID?: unknown
  APPID?: unknown
  UNIONID?: unknown
  /** comma-separated call chain, immediate caller last: "wx_client,scf" */
  SOURCE?: unknown
  CLIENTIP?: unknown
  CLIENTIPV6?: unknown
  ENV?: unknown
}

/** A stored document: plain JSON plus the database's `_id`. */
export type WxDoc = { _id: string } & Record<string, unknown>

/** Opaque results of db.command: only the database (or the fake) interprets them. */
export interface WxQueryCommand {
  readonly __wxQueryCommand?: never
}
export interface WxLogicCommand {
  readonly __wxLogicCommand?: never
}
/** An update operator (_.inc, _.set): only valid as a value in update({ data }). */
export interface WxUpdateCommand {
  readonly __wxUpdateCommand?: never
}

/** A where() condition: field -> value or operator, or a top-level _.and / _.or. */
export type WxCondition = { [field: string]: unknown } | WxLogicCommand

/**
 * The subset of db.command we use. Matching follows MongoDB: `{ f: null }` and `_.eq(null)`
 * match a null OR a missing field, `_.neq(null)` neither; a plain value on an array field
 * matches when the array contains it; comparisons never match across types.
 */
export interface WxCommand {
  eq(value: unknown): WxQueryCommand
  neq(value: unknown): WxQueryCommand
  lt(value: unknown): WxQueryCommand
  lte(value: unknown): WxQueryCommand
  gt(value: unknown): WxQueryCommand
  gte(value: unknown): WxQueryCommand
  in(values: unknown[]): WxQueryCommand
  and(conditions: WxCondition[]): WxLogicCommand
  or(conditions: WxCondition[]): WxLogicCommand
  /** adds n to a number field atomically (a missing field counts as 0) */
  inc(n: number): WxUpdateCommand
  /**
   * Replaces a field with `value` as a whole. Needed for object values: update() given a
   * plain object MERGES it into the stored one field by field (the SDK flattens it to
   * dotted paths), so a sub-field dropped from the new value would survive.
   */
  set(value: unknown): WxUpdateCommand
}

/**
 * A query. Builders are immutable in the SDK: where/orderBy/limit/skip return a new query,
 * so a base query can be reused for several pages.
 */
export interface WxQuery {
  where(condition: WxCondition): WxQuery
  orderBy(field: string, order: 'asc' | 'desc'): WxQuery
  /** Server side, one get() returns at most 100 documents whatever limit says. */
  limit(n: number): WxQuery
  skip(n: number): WxQuery
  get(): Promise<{ data: WxDoc[] }>
  count(): Promise<{ total: number }>
  /**
   * Each matched document is matched and updated atomically (MongoDB semantics).
   * `stats.updated` counts documents the update CHANGED, not documents matched: a document
   * that already holds the new values counts 0. Conditional updates that must tell "I moved
   * it" from "it was not there" therefore always change something (a status, or `_.inc`).
   */
  update(options: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>
  remove(): Promise<{ stats: { removed: number } }>
}

export interface WxCollection extends WxQuery {
  /** Rejects with DATABASE_DUPLICATE_WRITE in the message when `_id` or a unique index is taken. */
  add(options: { data: Record<string, unknown> }): Promise<{ _id: string }>
}

export interface WxDatabase {
  collection(name: string): WxCollection
  readonly command: WxCommand
  /**
   * db.runTransaction(fn): fn's single-document operations (doc().get/set/update/remove) on
   * any collection commit together when fn resolves, and none of them when it throws (the
   * SDK retries a conflicting transaction up to `times` times). Queries (where().update(),
   * get() of a collection) do NOT join a transaction: only doc() operations may be used inside.
   */
  runTransaction<T>(fn: (tx: WxTransaction) => Promise<T>, times?: number): Promise<T>
}

/** The handle passed to runTransaction's function. */
export interface WxTransaction {
  collection(name: string): { doc(id: string): WxTxDocument }
}

/** One document inside a transaction. get() rejects when the document does not exist. */
export interface WxTxDocument {
  get(): Promise<{ data: WxDoc }>
  /**
   * creates or replaces the whole document. `data` must NOT hold `_id` (the doc() argument is the
   * id): the SDK rejects it with -501007 "不能更新_id的值" before sending anything.
   */
  set(options: { data: Record<string, unknown> }): Promise<unknown>
  /** merges fields (update commands such as _.inc allowed); the document must exist */
  update(options: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>
  remove(): Promise<{ stats: { removed: number } }>
}

/**
 * A cloudPay answer. `returnCode` is the transport verdict, `resultCode` the business one.
 * WeChat Pay's own `err_code` (ORDERPAID, ORDERNOTEXIST...) does NOT survive: wx-server-sdk
 * 4.0.2 overwrites `errCode` with 0 on every answer (Object.assign(result, { errCode: 0 })),
 * so only `errCodeDes` (the description) tells which business error it was.
 */
export interface WxPayAnswer {
  returnCode?: string
  returnMsg?: string
  resultCode?: string
  resultMsg?: string
  errCode?: number | string
  errCodeDes?: string
  errMsg?: string
}

export interface WxUnifiedOrderParams {
  body: string
  outTradeNo: string
  spbillCreateIp: string
  subMchId: string
  totalFee: number
  envId: string
  functionName: string
  nonceStr: string
  tradeType: 'JSAPI'
}

export interface WxUnifiedOrderAnswer extends WxPayAnswer {
  payment?: { appId?: string; timeStamp?: string; nonceStr?: string; package?: string; signType?: string; paySign?: string }
}

export interface WxQueryOrderAnswer extends WxPayAnswer {
  tradeState?: string
  transactionId?: string
  totalFee?: number | string
  cashFee?: number | string
  timeEnd?: string
}

/**
 * cloud.cloudPay. In the real SDK this is a Proxy on which every property is a callable API
 * name — including `then`, so never `await` or return the object itself from an async
 * function (it would be taken for a thenable and called).
 */
export interface WxCloudPay {
  unifiedOrder(params: WxUnifiedOrderParams): Promise<WxUnifiedOrderAnswer>
  queryOrder(params: { subMchId: string; outTradeNo: string; nonceStr: string }): Promise<WxQueryOrderAnswer>
  closeOrder(params: { subMchId: string; outTradeNo: string; nonceStr: string }): Promise<WxPayAnswer>
}

export interface WxTempUrlItem {
  fileID: string
  tempFileURL: string
  /** 0 when the link was minted */
  status: number
  errMsg?: string
}

export interface WxCloudLike {
  /** a symbol the SDK resolves to the environment the function runs in */
  readonly DYNAMIC_CURRENT_ENV: unknown
  init(options: { env: unknown }): void
  getWXContext(): WxContextLike
  database(): WxDatabase
  /** fileContent: a Buffer, or a readable stream (wx-server-sdk accepts fs.createReadStream: large files are not held in memory) */
  uploadFile(params: { cloudPath: string; fileContent: Buffer | NodeJS.ReadableStream }): Promise<{ fileID: string }>
  downloadFile(params: { fileID: string }): Promise<{ fileContent: Buffer }>
  /** at most 50 files per call */
  getTempFileURL(params: { fileList: { fileID: string; maxAge: number }[] }): Promise<{ fileList: WxTempUrlItem[] }>
  /** at most 50 files per call */
  deleteFile(params: { fileList: string[] }): Promise<{ fileList: { fileID: string; status: number; errMsg?: string }[] }>
  readonly cloudPay: WxCloudPay
  /**
   * cloud.openapi: like cloudPay, a Proxy whose every property is callable (`then` too), so
   * it is only ever passed along, never awaited. The subscribe-message adapter (wx.subscribe.ts)
   * declares the part it calls.
   */
  readonly openapi: WxSubscribeOpenApi
  /**
   * Invokes another cloud function of this environment and resolves with its answer when it
   * has FINISHED (wx-server-sdk 4.0.2 has no asynchronous mode: @cloudbase/node-sdk's
   * functions.invokeFunction leaves `async` commented out). `timeout` (ms) is passed through to
   * the HTTP request although the SDK's typings omit it (index.js: tcbInstance.callFunction(...,
   * { timeout: options.timeout })); when it expires the call rejects with code ESOCKETTIMEDOUT
   * ("request timeout": connected and sent) or ETIMEDOUT ("connect timeout": never sent), and
   * the invoked function runs on either way. See adapters/wx/wx.invoke.ts.
   */
  callFunction(params: { name: string; data: Record<string, unknown>; timeout?: number }): Promise<{ result?: unknown }>
}
