/**
 * tests/fakes/wx-cloud.fake.ts with its database swapped for the REAL wx-server-sdk over the
 * CloudBase stand-in (tests/helpers/realsdk-requester.ts).
 *
 * The `realsdk` jest project (jest.config.js) maps every import of the fake to this module, so
 * the WeChat adapter suites (tests/adapters/wx) run a second time with their queries, updates
 * and transactions serialised by the SDK itself and applied with MongoDB semantics. Storage,
 * cloudPay and openapi stay the fake's: the stand-in models the database only.
 *
 * What keeps the suites' own checks meaningful: `cloud.db` keeps the fake's inspection and
 * fault API (docs, gets, writes, transactions, failNext, loseAnswerNext), answered from the
 * stand-in's records, and a fault injected with failNext comes back as the SDK's own error
 * (a CloudSDKError-like Error with errCode and errMsg) — which FakeSdkError's instanceof
 * accepts here, since that is what "an SDK error" is in this run.
 */
import type { WxCollection, WxCommand, WxDatabase, WxTransaction } from '../../cloudfunctions/_core/adapters/wx/wx-cloud.types'
import type * as FakeModule from '../fakes/wx-cloud.fake'
import type { FakeWxCloudOptions } from '../fakes/wx-cloud.fake'
import { attachStandIn, CloudBaseStandIn, type StandInOptions } from '../helpers/realsdk-requester'

// The original module, by a path the project's moduleNameMapper does not rewrite (an import
// would be mapped back to this file). Type-only imports are erased, so they may name it.
const original = require('../fakes/wx-cloud.fake.ts') as typeof FakeModule

export const { duplicateWriteError, FakeCloudPay, FakeOpenApi, FakeDatabase } = original
export type { FakePayment, FakeDbOp, FakeDbOptions, FakeWxCloudOptions } from '../fakes/wx-cloud.fake'

/** An SDK error: the fake's own class, or what the real SDK rejects with (errCode + errMsg). */
export class FakeSdkError extends original.FakeSdkError {
  static [Symbol.hasInstance](x: unknown): boolean {
    if (x instanceof original.FakeSdkError) return true
    const e = x as { errCode?: unknown; errMsg?: unknown } | null
    return x instanceof Error && typeof e?.errCode === 'number' && typeof e.errMsg === 'string'
  }
}

let seq = 0

/** The real SDK's database for one stand-in, with the fake's inspection API beside it. */
export class RealSdkDatabase implements WxDatabase {
  readonly standIn: CloudBaseStandIn
  private readonly real: WxDatabase

  constructor(opts: StandInOptions) {
    // each cloud gets its own environment name: the SDK sends it with every request, and the
    // requester routes by it
    this.standIn = new CloudBaseStandIn({ ...opts, envId: `${opts.envId ?? 'test-env-1a2b3c'}-rt${++seq}` })
    this.real = attachStandIn(this.standIn)
  }

  get command(): WxCommand {
    return this.real.command
  }
  collection(name: string): WxCollection {
    return this.real.collection(name)
  }
  runTransaction<T>(fn: (tx: WxTransaction) => Promise<T>, times?: number): Promise<T> {
    return this.real.runTransaction(fn, times)
  }

  docs(name: string) {
    return this.standIn.docs(name)
  }
  get gets() {
    return this.standIn.gets
  }
  get writes() {
    return this.standIn.writes
  }
  get transactions() {
    return this.standIn.transactions
  }
  failNext(...args: Parameters<CloudBaseStandIn['failNext']>): void {
    this.standIn.failNext(...args)
  }
  loseAnswerNext(...args: Parameters<CloudBaseStandIn['loseAnswerNext']>): void {
    this.standIn.loseAnswerNext(...args)
  }
}

export class FakeWxCloud extends original.FakeWxCloud {
  constructor(opts: FakeWxCloudOptions = {}) {
    super(opts)
    Object.defineProperty(this, 'db', { value: new RealSdkDatabase(opts), enumerable: true })
  }
}
