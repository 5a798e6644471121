import crypto from 'node:crypto'
import path from 'node:path'
import type { CloudPayNotification } from '../../../types/api'
import { FsStorage } from '../adapters/local/fs.storage'
import { PaySandbox, type DeliveryMode } from '../adapters/local/sandbox.pay'
import { sqliteCardRepo } from '../adapters/local/sqlite.card.repo'
import { openDb, type Db } from '../adapters/local/sqlite.db'
import { sqliteOrderRepo } from '../adapters/local/sqlite.order.repo'
import { loadConfig } from '../config'
import type { Logger } from '../ports/runtime.port'
import type { Deps } from '../runtime/deps'
import { jsonLogger } from '../runtime/logger'

export interface LocalRuntimeOptions {
  dataDir: string
  env: Record<string, string | undefined>
  baseUrl: () => string
  /** the local cloud's clock, shiftable by tests and the dev page */
  now: () => Date
  deliverPayCallback: (functionName: string, n: CloudPayNotification) => Promise<{ errcode: number }>
  log?: Logger
}

export interface LocalRuntime {
  deps: Deps
  db: Db
  pay: PaySandbox
  storage: FsStorage
  close(): void
}

/**
 * The one wiring place of the local cloud: the same ports as in WeChat cloud, bound to
 * SQLite (WAL file under dataDir), the file system, and the cloud-pay sandbox.
 */
export function createLocalRuntime(o: LocalRuntimeOptions): LocalRuntime {
  const db = openDb(path.join(o.dataDir, 'cloud.db'))
  const config = loadConfig(o.env)
  const pay = new PaySandbox({
    file: path.join(o.dataDir, 'pay-sandbox.db'),
    delivery: (o.env.PAY_SANDBOX_DELIVERY as DeliveryMode | undefined) ?? 'once',
    lateMs: Number(o.env.PAY_SANDBOX_LATE_MS ?? 5000),
    subMchId: config.pay.subMchId || undefined,
    deliver: o.deliverPayCallback,
    now: o.now,
  })
  const storage = new FsStorage(path.join(o.dataDir, 'storage'), {
    envId: config.pay.envId || 'local',
    baseUrl: o.baseUrl,
    secret: crypto.randomBytes(32),
    now: o.now,
  })
  const deps: Deps = {
    config,
    cards: sqliteCardRepo(db),
    orders: sqliteOrderRepo(db),
    pay,
    storage,
    clock: { now: o.now },
    random: { bytes: (n) => crypto.randomBytes(n), id: () => crypto.randomUUID().replace(/-/g, '') },
    log: o.log ?? jsonLogger(),
  }
  return {
    deps,
    db,
    pay,
    storage,
    close() {
      pay.close()
      db.close()
    },
  }
}
