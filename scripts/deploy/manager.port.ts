import type CloudBase from '@cloudbase/manager-node'

/**
 * The part of @cloudbase/manager-node (5.6.x) the deploy and the check use, and nothing more,
 * so the tests can stand in for it with an in-memory fake (tests/deploy/manager.fake.ts).
 * Method names and shapes follow the package's own typings (types/function, types/database,
 * types/storage, types/common) and docs (TencentCloudBase/cloudbase-manager-node docs/database.md:
 * updateCollection CreateIndexes / DropIndexes, describeCollection Indexes[].Keys/Unique).
 * fromManager() below binds it to the real package, so a renamed method fails to compile.
 *
 * Why manager-node and not `tcb fn deploy`: one library for deploying and for reading back
 * (the check), the same one the tests stand in for; the CLI cannot create indexes or set
 * database rules, and it sends env vars from .env only, without our schema's defaults.
 */
export interface FunctionSpec {
  name: string
  runtime: string
  handler: string
  timeout: number
  memorySize: number
  installDependency: boolean
  ignore: string[]
  envVariables: Record<string, string>
  triggers?: { name: string; type: string; config: string }[]
}

/** GetFunction as manager-node returns it (types/function/types.d.ts IFunctionInfo), the fields we read. */
export interface FunctionDetail {
  FunctionName: string
  Runtime: string
  Handler?: string
  Timeout: number
  MemorySize: number
  InstallDependency: 'TRUE' | 'FALSE'
  Environment?: { Variables?: { Key: string; Value: string }[] }
  /** TriggerDesc of a timer is its cron, or SCF's JSON {"cron": "..."}; both are accepted */
  Triggers?: { TriggerName?: string; Type?: string; TriggerDesc?: string }[]
}

export interface IndexKeySchema {
  IndexName: string
  MgoKeySchema: { MgoIndexKeys: { Name: string; Direction: string }[]; MgoIsUnique: boolean }
}

/** describeCollection's Indexes (interfaces/flexdb.interface.d.ts IndexInfo). */
export interface IndexInfo {
  Name: string
  Keys: { Name?: string; Direction?: string }[]
  Unique: boolean
}

export type AclTag = 'READONLY' | 'PRIVATE' | 'ADMINWRITE' | 'ADMINONLY' | 'CUSTOM'

export interface ManagerLike {
  functions: {
    /** FunctionName of each function in the environment (listFunctions pages by 100) */
    listFunctions(limit?: number, offset?: number): Promise<Record<string, string>[]>
    getFunctionDetail(name: string): Promise<FunctionDetail>
    /** packs functionRootPath/<name> (minus `ignore`), creates the function and its triggers */
    createFunction(p: { func: FunctionSpec; functionRootPath: string; force: boolean }): Promise<unknown>
    updateFunctionCode(p: { func: FunctionSpec; functionRootPath: string }): Promise<unknown>
    /** REPLACES the environment variables with the ones given (SCF UpdateFunctionConfiguration) */
    updateFunctionConfig(func: FunctionSpec): Promise<unknown>
    /** resolves once the function is Active again (after a code upload it installs dependencies) */
    waitFunctionActive(name: string): Promise<void>
    createFunctionTriggers(name: string, triggers: { name: string; type: string; config: string }[]): Promise<unknown>
    deleteFunctionTrigger(name: string, triggerName: string): Promise<unknown>
  }
  database: {
    checkCollectionExists(name: string): Promise<{ Exists: boolean }>
    createCollection(name: string): Promise<unknown>
    describeCollection(name: string): Promise<{ Indexes?: IndexInfo[] }>
    /** CreateIndexes or DropIndexes, never both in one call (docs/database.md) */
    updateCollection(name: string, change: { CreateIndexes?: IndexKeySchema[]; DropIndexes?: { IndexName: string }[] }): Promise<unknown>
  }
  storage: {
    getStorageAcl(options: { withRule: true }): Promise<{ acl: AclTag; rule?: { read: boolean | string; write: boolean | string } }>
    setStorageAcl(acl: AclTag, rule?: { read: boolean | string; write: boolean | string }): Promise<unknown>
    /** puts a local file at cloudPath in the environment's bucket (large files in slices) */
    uploadFile(p: { localPath: string; cloudPath: string }): Promise<unknown>
    /** HEAD of the object: Size in KB with two decimals (types/interfaces IFileInfo); throws when absent */
    getFileInfo(cloudPath: string): Promise<{ Size: string }>
  }
  env: {
    /** the environment and its storage (types/interfaces/tcb.interface.d.ts EnvInfo.Storages[].Bucket) */
    getEnvInfo(): Promise<{ EnvInfo: { EnvId?: string; Storages?: { Bucket?: string; Region?: string }[] } }>
  }
  /**
   * TencentCloud API tcb 2018-06-08 through manager-node's commonService (docs/common.md):
   * DescribeSafeRule {EnvId, CollectionName, WxAppId} -> {AclTag, Rule} and
   * ModifySafeRule {EnvId, CollectionName, AclTag, Rule?}: the database security rules.
   */
  callTcb(action: 'DescribeSafeRule' | 'ModifySafeRule', param: Record<string, unknown>): Promise<Record<string, unknown>>
}

export interface Credentials {
  secretId: string
  secretKey: string
  token?: string
  envId: string
}

/** The real manager. Loaded lazily: tests and the dry run never load the package. */
export function fromManager(credentials: Credentials): ManagerLike {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a real deploy or check runs
  const mod = require('@cloudbase/manager-node') as { default?: typeof CloudBase } & typeof CloudBase
  const Ctor = mod.default ?? mod
  const app = new Ctor({ secretId: credentials.secretId, secretKey: credentials.secretKey, token: credentials.token, envId: credentials.envId })
  const fns = app.functions
  const db = app.database
  const tcb = app.commonService('tcb', '2018-06-08')
  return {
    functions: {
      listFunctions: (limit, offset) => fns.listFunctions(limit, offset),
      getFunctionDetail: async (name) => await fns.getFunctionDetail(name),
      createFunction: (p) => fns.createFunction(p),
      updateFunctionCode: (p) => fns.updateFunctionCode(p),
      updateFunctionConfig: (func) => fns.updateFunctionConfig(func),
      waitFunctionActive: (name) => fns.waitFunctionActive(name),
      createFunctionTriggers: (name, triggers) => fns.createFunctionTriggers(name, triggers),
      deleteFunctionTrigger: (name, triggerName) => fns.deleteFunctionTrigger(name, triggerName),
    },
    database: {
      checkCollectionExists: (name) => db.checkCollectionExists(name),
      createCollection: (name) => db.createCollection(name) as Promise<unknown>,
      describeCollection: (name) => db.describeCollection(name),
      updateCollection: (name, change) => db.updateCollection(name, change) as Promise<unknown>,
    },
    storage: {
      getStorageAcl: (options) => app.storage.getStorageAcl(options),
      setStorageAcl: (acl, rule) => app.storage.setStorageAcl(acl, rule),
      uploadFile: (p) => app.storage.uploadFile(p),
      getFileInfo: (cloudPath) => app.storage.getFileInfo(cloudPath),
    },
    env: {
      getEnvInfo: () => app.env.getEnvInfo(),
    },
    callTcb: (action, param) => tcb.call({ Action: action, Param: param }) as Promise<Record<string, unknown>>,
  }
}
