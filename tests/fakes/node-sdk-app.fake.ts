import type { NodeSdkApp, NodeSdkCollection, NodeSdkDb, NodeSdkQuery } from '../../scripts/backup/cloud-env'
import type { CloudApp } from '../../scripts/staff-cli/invoker'
import type { FakeWxCloud } from './wx-cloud.fake'

/**
 * A stand-in for an @cloudbase/node-sdk app (tcb.init({ env, secretId, secretKey })) over the
 * wx fake: the same in-memory database (unique indexes, 100 documents per get) and storage a
 * FakeWxCloud gives the functions, seen the way the SDK shows them to a script outside the
 * cloud. Differences from wx-server-sdk that the scripts must respect are kept: add() takes
 * the document itself or an array of them (not { data }), and callFunction reaches a function
 * as an external caller (no OPENID, a SOURCE without wx_).
 */
export type FakeFunction = (event: Record<string, unknown>, context: Record<string, unknown>) => Promise<unknown>

export class FakeNodeSdkApp implements NodeSdkApp, CloudApp {
  /** every callFunction, in order */
  readonly calls: { name: string; data: unknown }[] = []

  constructor(
    readonly cloud: FakeWxCloud,
    /** the environment's functions by name, e.g. wxMain(createStaffHandler, { load: () => cloud }) */
    readonly functions: Record<string, FakeFunction> = {},
  ) {}

  database(): NodeSdkDb {
    const db = this.cloud.db
    return {
      command: db.command,
      collection: (name: string): NodeSdkCollection => {
        const c = db.collection(name)
        const query = c as unknown as NodeSdkQuery
        return {
          where: (cond) => query.where(cond),
          orderBy: (f, o) => query.orderBy(f, o),
          limit: (n) => query.limit(n),
          get: () => query.get(),
          count: () => query.count(),
          add: async (data) => {
            const ids: string[] = []
            for (const d of Array.isArray(data) ? data : [data]) ids.push((await c.add({ data: d }))._id)
            return Array.isArray(data) ? { ids } : { id: ids[0] }
          },
        }
      },
    }
  }

  uploadFile(o: { cloudPath: string; fileContent: Buffer }) {
    return this.cloud.uploadFile(o)
  }

  downloadFile(o: { fileID: string }) {
    return this.cloud.downloadFile(o)
  }

  async callFunction({ name, data }: { name: string; data: unknown }): Promise<{ result: unknown; requestId: string }> {
    this.calls.push({ name, data: structuredClone(data) })
    const fn = this.functions[name]
    if (!fn) throw Object.assign(new Error(`function ${name} not found`), { code: 'FUNCTIONS_NOT_FOUND' })
    this.cloud.wxContext = { SOURCE: '' } // the SDK with the environment's keys: no OPENID, not a wx_ source
    return { result: await fn(data as Record<string, unknown>, {}), requestId: `req-${this.calls.length}` }
  }
}
