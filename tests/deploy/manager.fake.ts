import fs from 'node:fs'
import path from 'node:path'
import type { AclTag, FunctionDetail, FunctionSpec, IndexInfo, IndexKeySchema, ManagerLike } from '../../scripts/deploy/manager.port'

/**
 * An in-memory stand-in for the parts of @cloudbase/manager-node the deploy uses, with the
 * behaviours that matter (from the package's sources and docs):
 *   - createFunction without force on an existing name fails (ResourceInUse.Function);
 *   - updateFunctionConfig REPLACES the env vars with the ones given (SCF UpdateFunctionConfiguration);
 *   - createFunctionTriggers fails when a trigger of that name exists; one timer per function;
 *   - updateCollection takes CreateIndexes or DropIndexes, never both; creating an index whose name
 *     exists replaces it; a unique index cannot be created over duplicate documents;
 *   - a collection must exist before indexes or rules (-502005 / ResourceNotFound);
 *   - DescribeSafeRule needs WxAppId (WeChat environments), ModifySafeRule rejects it (unknown parameter).
 * Every call is recorded, so a test can see that a dry run calls nothing.
 */
export interface FakeFunction {
  detail: FunctionDetail
  /** the files uploaded with the last code update, relative to the function folder */
  files: string[]
  /** after a code upload, until waitFunctionActive */
  updating?: boolean
}

export class FakeManager implements ManagerLike {
  calls: string[] = []
  fns = new Map<string, FakeFunction>()
  collections = new Map<string, { indexes: IndexInfo[]; docs: Record<string, unknown>[] }>()
  rules = new Map<string, { AclTag: AclTag; Rule?: string }>()
  storageAcl: { acl: AclTag; rule?: { read: boolean | string; write: boolean | string } } = { acl: 'PRIVATE' }
  /** make the next call of a method fail, once */
  failNext = new Map<string, string>()

  constructor(readonly envId: string) {}

  private record(name: string, detail = ''): void {
    this.calls.push(detail ? `${name} ${detail}` : name)
    const failure = this.failNext.get(name)
    if (failure !== undefined) {
      this.failNext.delete(name)
      throw Object.assign(new Error(failure), { code: 'InternalError' })
    }
  }

  private upload(func: FunctionSpec, root: string): string[] {
    const dir = path.join(root, func.name)
    if (!fs.existsSync(path.join(dir, 'index.js'))) throw new Error(`[${func.name}] index.js not found in ${dir}`)
    return fs.readdirSync(dir).filter((f) => !func.ignore.includes(f))
  }

  private detailOf(func: FunctionSpec, triggers: FunctionDetail['Triggers'] = []): FunctionDetail {
    return {
      FunctionName: func.name,
      Runtime: func.runtime,
      Handler: func.handler,
      Timeout: func.timeout,
      MemorySize: func.memorySize,
      InstallDependency: func.installDependency ? 'TRUE' : 'FALSE',
      Environment: { Variables: Object.entries(func.envVariables).map(([Key, Value]) => ({ Key, Value })) },
      Triggers: triggers,
    }
  }

  functions: ManagerLike['functions'] = {
    listFunctions: async (limit = 20, offset = 0) => {
      this.record('listFunctions')
      return [...this.fns.keys()].slice(offset, offset + limit).map((FunctionName) => ({ FunctionName }))
    },
    getFunctionDetail: async (name) => {
      this.record('getFunctionDetail', name)
      const f = this.fns.get(name)
      if (!f) throw Object.assign(new Error(`function ${name} not found`), { code: 'ResourceNotFound.Function' })
      return structuredClone(f.detail)
    },
    createFunction: async ({ func, functionRootPath, force }) => {
      this.record('createFunction', func.name)
      if (this.fns.has(func.name) && !force) throw Object.assign(new Error(`function ${func.name} exists`), { code: 'ResourceInUse.Function' })
      const files = this.upload(func, functionRootPath)
      this.fns.set(func.name, { detail: this.detailOf(func), files })
      await this.functions.createFunctionTriggers(func.name, func.triggers ?? [])
      return { RequestId: 'create' }
    },
    updateFunctionCode: async ({ func, functionRootPath }) => {
      this.record('updateFunctionCode', func.name)
      const f = this.fns.get(func.name)
      if (!f) throw Object.assign(new Error(`function ${func.name} not found`), { code: 'ResourceNotFound.Function' })
      f.files = this.upload(func, functionRootPath)
      // SCF installs dependencies after a code upload; the configuration cannot change meanwhile
      f.updating = true
      return { RequestId: 'code' }
    },
    updateFunctionConfig: async (func) => {
      this.record('updateFunctionConfig', func.name)
      const f = this.fns.get(func.name)
      if (!f) throw Object.assign(new Error(`function ${func.name} not found`), { code: 'ResourceNotFound.Function' })
      if (f.updating) throw Object.assign(new Error(`function ${func.name} is Updating`), { code: 'FailedOperation.UpdateFunctionConfiguration' })
      // the runtime is fixed at creation; everything else, env vars included, is replaced
      f.detail = { ...this.detailOf(func, f.detail.Triggers), Runtime: f.detail.Runtime }
      return { RequestId: 'config' }
    },
    waitFunctionActive: async (name) => {
      this.record('waitFunctionActive', name)
      const f = this.fns.get(name)
      if (!f) throw new Error(`function ${name} not found`)
      f.updating = false
    },
    createFunctionTriggers: async (name, triggers) => {
      if (!triggers.length) return null
      this.record('createFunctionTriggers', name)
      const f = this.fns.get(name)
      if (!f) throw new Error(`function ${name} not found`)
      const have = f.detail.Triggers ?? []
      for (const t of triggers) {
        if (t.type !== 'timer') throw new Error(`不支持的触发器类型 [${t.type}]`)
        if (have.some((x) => x.TriggerName === t.name)) throw new Error(`trigger ${t.name} exists`)
        if (have.some((x) => x.Type === 'timer')) throw new Error('a function may have one timer trigger')
        // GetFunction answers a timer's description as SCF's JSON, not the bare cron
        have.push({ TriggerName: t.name, Type: 'timer', TriggerDesc: JSON.stringify({ cron: t.config }) })
      }
      f.detail.Triggers = have
      return { RequestId: 'triggers' }
    },
    deleteFunctionTrigger: async (name, triggerName) => {
      this.record('deleteFunctionTrigger', `${name} ${triggerName}`)
      const f = this.fns.get(name)
      if (!f) throw new Error(`function ${name} not found`)
      f.detail.Triggers = (f.detail.Triggers ?? []).filter((t) => t.TriggerName !== triggerName)
      return { RequestId: 'delete-trigger' }
    },
  }

  private collection(name: string) {
    const c = this.collections.get(name)
    if (!c) throw Object.assign(new Error(`collection ${name} not found (-502005)`), { code: 'ResourceNotFound' })
    return c
  }

  database: ManagerLike['database'] = {
    checkCollectionExists: async (name) => {
      this.record('checkCollectionExists', name)
      return { Exists: this.collections.has(name) }
    },
    createCollection: async (name) => {
      this.record('createCollection', name)
      if (this.collections.has(name)) throw new Error(`collection ${name} exists`)
      this.collections.set(name, { indexes: [{ Name: '_id_', Keys: [{ Name: '_id', Direction: '1' }], Unique: true }], docs: [] })
      return { RequestId: 'coll' }
    },
    describeCollection: async (name) => {
      this.record('describeCollection', name)
      return { Indexes: structuredClone(this.collection(name).indexes) }
    },
    updateCollection: async (name, change) => {
      this.record('updateCollection', `${name} ${change.CreateIndexes ? 'create' : 'drop'}`)
      const c = this.collection(name)
      if (change.CreateIndexes && change.DropIndexes) throw new Error('CreateIndexes and DropIndexes cannot be given together')
      for (const d of change.DropIndexes ?? []) c.indexes = c.indexes.filter((i) => i.Name !== d.IndexName)
      for (const i of change.CreateIndexes ?? []) {
        if (i.MgoKeySchema.MgoIsUnique && hasDuplicates(c.docs, i)) throw new Error(`E11000 duplicate key: cannot create unique index ${i.IndexName}`)
        c.indexes = c.indexes.filter((x) => x.Name !== i.IndexName)
        c.indexes.push({ Name: i.IndexName, Keys: i.MgoKeySchema.MgoIndexKeys.map((k) => ({ ...k })), Unique: i.MgoKeySchema.MgoIsUnique })
      }
      return { RequestId: 'update' }
    },
  }

  storage: ManagerLike['storage'] = {
    getStorageAcl: async () => {
      this.record('getStorageAcl')
      return structuredClone(this.storageAcl)
    },
    setStorageAcl: async (acl, rule) => {
      this.record('setStorageAcl', acl)
      if (acl === 'CUSTOM' && !rule) throw new Error('使用 CUSTOM 权限类型时，必须提供 rule 参数')
      this.storageAcl = { acl, ...(acl === 'CUSTOM' ? { rule: structuredClone(rule) } : {}) }
      return { RequestId: 'acl' }
    },
    uploadFile: async ({ localPath, cloudPath }) => {
      this.record('uploadFile', cloudPath)
      // manager-node reads the file itself (a missing one: 本地文件不存在！)
      if (!fs.existsSync(localPath)) throw new Error(`本地文件不存在！ ${localPath}`)
      this.files.set(cloudPath, fs.readFileSync(localPath))
      return { statusCode: 200 }
    },
    getFileInfo: async (cloudPath) => {
      this.record('getFileInfo', cloudPath)
      const b = this.files.get(cloudPath)
      // COS headObject answers 404 for an absent key; manager-node gives the size in KB
      if (!b) throw Object.assign(new Error(`NoSuchKey ${cloudPath}`), { statusCode: 404 })
      return { Size: (b.length / 1024).toFixed(2), Type: 'application/octet-stream', Date: '', ETag: '' }
    },
  }

  /** the environment's cloud storage: cloudPath -> bytes; bucket as GetEnvInfo answers it (null: none) */
  files = new Map<string, Buffer>()
  bucket: string | null = '7775-wuhantong-prod-1a2b-1300000000'

  env: ManagerLike['env'] = {
    getEnvInfo: async () => {
      this.record('getEnvInfo')
      return { EnvInfo: { EnvId: this.envId, Storages: this.bucket ? [{ Bucket: this.bucket, Region: 'ap-shanghai' }] : [] } }
    },
  }

  /** The AppID a WeChat environment's DescribeSafeRule requires (null: not a WeChat environment). */
  wxAppId: string | null = null

  callTcb: ManagerLike['callTcb'] = async (action, param) => {
    this.record(action, String(param.CollectionName))
    if (param.EnvId !== this.envId) throw new Error(`EnvId ${String(param.EnvId)} is not this environment`)
    const name = String(param.CollectionName)
    this.collection(name)
    if (action === 'DescribeSafeRule') {
      if (this.wxAppId !== null && param.WxAppId !== this.wxAppId) throw new Error('InvalidParameter: WxAppId 微信必传')
      return { RequestId: 'describe', ...(this.rules.get(name) ?? { AclTag: 'PRIVATE' }) }
    }
    if ('WxAppId' in param) throw new Error('UnknownParameter: WxAppId')
    const tag = param.AclTag as AclTag
    if (tag === 'CUSTOM' && typeof param.Rule !== 'string') throw new Error('Rule is required with CUSTOM')
    this.rules.set(name, { AclTag: tag, ...(typeof param.Rule === 'string' ? { Rule: param.Rule } : {}) })
    return { RequestId: 'modify' }
  }
}

function hasDuplicates(docs: Record<string, unknown>[], i: IndexKeySchema): boolean {
  const seen = new Set<string>()
  for (const d of docs) {
    const key = JSON.stringify(i.MgoKeySchema.MgoIndexKeys.map((k) => d[k.Name] ?? null))
    if (seen.has(key)) return true
    seen.add(key)
  }
  return false
}
