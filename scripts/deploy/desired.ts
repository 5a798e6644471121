import fs from 'node:fs'
import path from 'node:path'
import { WX_COLLECTIONS, WX_INDEXES, type WxIndexSpec } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { CONFIG_SCHEMA, FUNCTION_NAMES, deploymentProblems, type ConfigProblem, type FunctionName } from '../../cloudfunctions/_core/config'
import type { Cloudbaserc } from './config-gen'
import { ROOT, readFunctionConfig } from './functions'
import type { AclTag, FunctionSpec } from './manager.port'

/**
 * The state a deployment must reach, from the files in the repository: cloudbaserc.json (the
 * functions, with {{env.KEY}} filled from the environment or the schema's default), WX_INDEXES
 * (collections and indexes) and deploy/*.rules.json (security rules). Pure apart from reading
 * those files.
 */
export type Env = Record<string, string | undefined>

export interface DesiredFunction extends FunctionSpec {
  /** the env keys whose values are secret: never printed, compared only for presence */
  secretKeys: string[]
}

export interface StorageRule {
  acl: AclTag
  rule?: { read: boolean | string; write: boolean | string }
}

export interface DesiredState {
  envId: string
  functions: DesiredFunction[]
  collections: string[]
  indexes: readonly WxIndexSpec[]
  databaseRules: { collection: string; aclTag: AclTag; rule?: string }[]
  storageRule: StorageRule
}

const ENV_BYTES_WARN = 3584
const ACL_TAGS: readonly AclTag[] = ['READONLY', 'PRIVATE', 'ADMINWRITE', 'ADMINONLY', 'CUSTOM']
const SCHEMA = new Map(CONFIG_SCHEMA.map((k) => [k.key, k]))

/** {{env.KEY}} -> the environment's value, else the schema's default, else ''. */
export function resolvePlaceholders(value: string, env: Env): string {
  return value.replace(/\{\{env\.([A-Za-z0-9_]+)\}\}/g, (_, key: string) => {
    const v = env[key]
    return v !== undefined && v.trim() !== '' ? v.trim() : (SCHEMA.get(key)?.default ?? '')
  })
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T
}

function aclTag(v: unknown, where: string): AclTag {
  if (!ACL_TAGS.includes(v as AclTag)) throw new Error(`${where}: aclTag must be one of ${ACL_TAGS.join(', ')}`)
  return v as AclTag
}

export function desiredState(env: Env, root = ROOT): DesiredState {
  const rc = readJson<Cloudbaserc>(path.join(root, 'cloudbaserc.json'))
  const functions = rc.functions.map((f) => ({
    ...f,
    envVariables: Object.fromEntries(Object.entries(f.envVariables).map(([k, v]) => [k, resolvePlaceholders(v, env)])),
    secretKeys: Object.keys(f.envVariables).filter((k) => SCHEMA.get(k)?.secret),
  }))
  const collections: string[] = [...new Set<string>(Object.values(WX_COLLECTIONS))]
  const db = readJson<{ default: { aclTag: unknown; rule?: unknown }; overrides?: Record<string, { aclTag: unknown; rule?: unknown }> }>(
    path.join(root, 'deploy', 'database.rules.json'),
  )
  for (const name of Object.keys(db.overrides ?? {}))
    if (!collections.includes(name)) throw new Error(`deploy/database.rules.json: override for unknown collection ${name}`)
  const databaseRules = collections.map((collection) => {
    const r = db.overrides?.[collection] ?? db.default
    const tag = aclTag(r.aclTag, `deploy/database.rules.json ${collection}`)
    if (tag === 'CUSTOM' && typeof r.rule !== 'object') throw new Error(`deploy/database.rules.json ${collection}: CUSTOM needs a rule object`)
    return { collection, aclTag: tag, ...(tag === 'CUSTOM' ? { rule: JSON.stringify(r.rule) } : {}) }
  })
  const storage = readJson<{ acl: unknown; rule?: StorageRule['rule'] }>(path.join(root, 'deploy', 'storage.rules.json'))
  const storageRule: StorageRule = { acl: aclTag(storage.acl, 'deploy/storage.rules.json'), ...(storage.rule ? { rule: storage.rule } : {}) }
  return {
    envId: resolvePlaceholders(rc.envId, env),
    functions,
    collections,
    indexes: WX_INDEXES,
    databaseRules,
    storageRule,
  }
}

export interface Preflight {
  errors: ConfigProblem[]
  warnings: ConfigProblem[]
}

/**
 * What must be right before anything is deployed: every function's configuration is valid and
 * ready for WeChat cloud (deploymentProblems), the cloud environment is named, cloudbaserc.json
 * names every function, and the inline wait of an issuing function leaves it time to answer.
 */
export function preflight(env: Env, desired: DesiredState, root = ROOT): Preflight {
  const errors: ConfigProblem[] = []
  const warnings: ConfigProblem[] = []
  const seen = new Set<string>()
  if (!desired.envId) errors.push({ key: 'CLOUD_ENV_ID', level: 'error', message: 'CLOUD_ENV_ID is required: the environment to deploy to' })
  for (const name of FUNCTION_NAMES)
    if (!desired.functions.some((f) => f.name === name))
      errors.push({ key: '', level: 'error', message: `cloudbaserc.json lacks the function ${name} (run npm run config:gen)` })
  for (const f of desired.functions) {
    if (!(FUNCTION_NAMES as readonly string[]).includes(f.name)) {
      errors.push({ key: '', level: 'error', message: `cloudbaserc.json names an unknown function ${f.name}` })
      continue
    }
    for (const p of deploymentProblems(env, f.name as FunctionName)) {
      const id = `${p.level}|${p.message}`
      if (seen.has(id)) continue
      seen.add(id)
      ;(p.level === 'error' ? errors : warnings).push(p)
    }
    // (check) SCF documents a size limit for a function's environment variables; 4 KB is the
    // figure we design for: warn well before it rather than fail the deploy halfway
    const bytes = Object.entries(f.envVariables).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v) + 2, 0)
    if (bytes > ENV_BYTES_WARN)
      warnings.push({ key: '', level: 'warning', message: `${f.name}: its environment variables take ${bytes} bytes, near the 4 KB a function may carry` })
    const wait = Number(f.envVariables.INVOICE_INLINE_WAIT_MS ?? 0)
    if (wait + 5000 > readFunctionConfig(f.name as FunctionName, path.join(root, 'cloudfunctions')).timeout * 1000)
      errors.push({
        key: 'INVOICE_INLINE_WAIT_MS',
        level: 'error',
        message: `INVOICE_INLINE_WAIT_MS (${wait} ms) leaves ${f.name} less than 5 s of its timeout to answer`,
      })
  }
  return { errors, warnings }
}
