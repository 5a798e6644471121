import { missingIndexes, type ExistingIndex, type WxIndexSpec } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import type { DesiredFunction, DesiredState } from './desired'
import type { FunctionDetail, IndexInfo, ManagerLike } from './manager.port'

/**
 * `npm run deploy:check`: reads a live environment back through @cloudbase/manager-node and lists
 * what is missing or different from the repository's desired state: functions (runtime, timeout,
 * memory, dependencies), their env keys and values, timer triggers, collections, indexes (with
 * uniqueness: exactly-once depends on the unique ones), database and storage security rules.
 * Reads only; never changes anything.
 */
export interface Finding {
  area: 'function' | 'env' | 'trigger' | 'collection' | 'index' | 'database-rule' | 'storage-rule' | 'storage'
  subject: string
  /** error: the deployment is wrong; info: worth knowing, harmless */
  level: 'error' | 'info'
  message: string
}

export interface CheckOptions {
  /** the mini-program AppID: WeChat cloud environments need it to read database rules */
  wxAppId?: string
}

/** Lists the names of all functions (listFunctions pages; 100 a page). */
export async function listFunctionNames(m: ManagerLike): Promise<Set<string>> {
  const names = new Set<string>()
  for (let offset = 0; ; offset += 100) {
    const page = await m.functions.listFunctions(100, offset)
    for (const f of page) if (f.FunctionName) names.add(f.FunctionName)
    if (page.length < 100) return names
  }
}

/** A timer's cron from GetFunction: the raw cron, or SCF's JSON {"cron": "..."}. */
export function cronOf(desc: string | undefined): string {
  const d = (desc ?? '').trim()
  if (d.startsWith('{')) {
    try {
      const parsed = JSON.parse(d) as { cron?: unknown }
      if (typeof parsed.cron === 'string') return parsed.cron.trim()
    } catch {
      // not JSON after all: compare as given
    }
  }
  return d
}

/** describeCollection's indexes in WX_INDEXES's terms (Direction "1" asc, "-1" desc). */
export function existingIndexes(collection: string, infos: readonly IndexInfo[]): (ExistingIndex & { name: string })[] {
  return infos
    .filter((i) => i.Name !== '_id_')
    .map((i) => ({
      collection,
      name: i.Name,
      unique: i.Unique === true || String(i.Unique).toLowerCase() === 'true',
      fields: i.Keys.map((k) => ({ field: k.Name ?? '', order: String(k.Direction) === '-1' ? ('desc' as const) : ('asc' as const) })),
    }))
}

const fieldsText = (i: { fields: { field: string; order: string }[] }) => i.fields.map((f) => `${f.field} ${f.order}`).join(', ')

/** Findings for one declared index that is missing: absent, or present without uniqueness. */
export function describeMissingIndex(d: WxIndexSpec, existing: readonly (ExistingIndex & { name: string })[]): Finding {
  const sameFields = existing.find((e) => fieldsText(e) === fieldsText(d))
  const named = existing.find((e) => e.name === d.name)
  const message = sameFields
    ? `${d.collection}: index on (${fieldsText(d)}) exists as ${sameFields.name} but is not unique: twins are accepted`
    : named
      ? `${d.collection}: index ${d.name} has other fields (${fieldsText(named)}) than declared (${fieldsText(d)})`
      : `${d.collection}: index ${d.name} (${fieldsText(d)}${d.unique ? ', unique' : ''}) is missing`
  return { area: 'index', subject: `${d.collection}.${d.name}`, level: 'error', message }
}

export function checkFunction(want: DesiredFunction, live: FunctionDetail): Finding[] {
  const out: Finding[] = []
  const fn = (message: string): Finding => ({ area: 'function', subject: want.name, level: 'error', message: `${want.name}: ${message}` })
  if (live.Runtime !== want.runtime) out.push(fn(`runtime is ${live.Runtime}, expected ${want.runtime} (the runtime is set at creation: delete and redeploy)`))
  if (Number(live.Timeout) !== want.timeout) out.push(fn(`timeout is ${live.Timeout} s, expected ${want.timeout} s`))
  if (Number(live.MemorySize) !== want.memorySize) out.push(fn(`memory is ${live.MemorySize} MB, expected ${want.memorySize} MB`))
  if ((live.InstallDependency === 'TRUE') !== want.installDependency)
    out.push(fn(`installDependency is ${live.InstallDependency}, expected ${String(want.installDependency)}`))
  const vars = new Map((live.Environment?.Variables ?? []).map((v) => [v.Key, v.Value]))
  for (const [key, value] of Object.entries(want.envVariables)) {
    const subject = `${want.name}.${key}`
    if (!vars.has(key)) {
      out.push({ area: 'env', subject, level: 'error', message: `${want.name}: env ${key} is missing` })
      continue
    }
    const actual = vars.get(key) ?? ''
    if (want.secretKeys.includes(key)) {
      // a secret is never compared or printed: it only has to be there when it is meant to be
      if (value !== '' && actual === '') out.push({ area: 'env', subject, level: 'error', message: `${want.name}: secret env ${key} is empty` })
    } else if (actual !== value) out.push({ area: 'env', subject, level: 'error', message: `${want.name}: env ${key} is "${actual}", expected "${value}"` })
  }
  for (const key of vars.keys())
    if (!(key in want.envVariables))
      out.push({ area: 'env', subject: `${want.name}.${key}`, level: 'info', message: `${want.name}: env ${key} is set but not declared` })
  const triggers = live.Triggers ?? []
  for (const t of want.triggers ?? []) {
    const found = triggers.find((x) => x.TriggerName === t.name)
    if (!found)
      out.push({ area: 'trigger', subject: `${want.name}.${t.name}`, level: 'error', message: `${want.name}: timer ${t.name} (${t.config}) is missing` })
    else if (cronOf(found.TriggerDesc) !== t.config)
      out.push({
        area: 'trigger',
        subject: `${want.name}.${t.name}`,
        level: 'error',
        message: `${want.name}: timer ${t.name} runs "${cronOf(found.TriggerDesc)}", expected "${t.config}"`,
      })
  }
  for (const x of triggers)
    if (!(want.triggers ?? []).some((t) => t.name === x.TriggerName))
      out.push({
        area: 'trigger',
        subject: `${want.name}.${x.TriggerName}`,
        level: 'error',
        message: `${want.name}: undeclared trigger ${x.TriggerName ?? '?'}`,
      })
  return out
}

export async function checkEnvironment(m: ManagerLike, desired: DesiredState, o: CheckOptions = {}): Promise<Finding[]> {
  const out: Finding[] = []
  const names = await listFunctionNames(m)
  for (const want of desired.functions) {
    if (!names.has(want.name)) {
      out.push({ area: 'function', subject: want.name, level: 'error', message: `${want.name}: function is missing` })
      continue
    }
    out.push(...checkFunction(want, await m.functions.getFunctionDetail(want.name)))
  }
  for (const collection of desired.collections) {
    const { Exists } = await m.database.checkCollectionExists(collection)
    if (!Exists) {
      out.push({ area: 'collection', subject: collection, level: 'error', message: `${collection}: collection is missing (writes fail with -502005)` })
      continue
    }
    const declared = desired.indexes.filter((i) => i.collection === collection)
    const existing = existingIndexes(collection, (await m.database.describeCollection(collection)).Indexes ?? [])
    for (const d of missingIndexes(existing, declared)) out.push(describeMissingIndex(d, existing))
    const rule = desired.databaseRules.find((r) => r.collection === collection)
    if (rule) {
      const live = await m.callTcb('DescribeSafeRule', { EnvId: desired.envId, CollectionName: collection, ...(o.wxAppId ? { WxAppId: o.wxAppId } : {}) })
      const liveTag = typeof live.AclTag === 'string' ? live.AclTag : ''
      const liveRule = typeof live.Rule === 'string' ? live.Rule : ''
      if (liveTag !== rule.aclTag || (rule.rule !== undefined && !sameJson(liveRule, rule.rule)))
        out.push({
          area: 'database-rule',
          subject: collection,
          level: 'error',
          message: `${collection}: security rule is ${liveTag || 'unknown'}, expected ${rule.aclTag}`,
        })
    }
  }
  const storage = await m.storage.getStorageAcl({ withRule: true })
  const want = desired.storageRule
  if (storage.acl !== want.acl || (want.rule !== undefined && !sameJson(JSON.stringify(storage.rule ?? null), JSON.stringify(want.rule))))
    out.push({
      area: 'storage-rule',
      subject: 'storage',
      level: 'error',
      message: `storage: security rule is ${storage.acl} ${JSON.stringify(storage.rule ?? null)}, expected ${want.acl} ${JSON.stringify(want.rule ?? null)}`,
    })
  return out
}

/** Two JSON texts with the same meaning (key order and spacing aside). */
export function sameJson(a: string, b: string): boolean {
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b))
  } catch {
    return a.trim() === b.trim()
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(v)
}

export function formatFindings(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.level === 'error')
  const infos = findings.filter((f) => f.level === 'info')
  const lines = [
    errors.length ? `✗ ${errors.length} problem(s):` : '✓ the environment matches the repository',
    ...errors.map((f) => `  - [${f.area}] ${f.message}`),
  ]
  if (infos.length) lines.push(`  note:`, ...infos.map((f) => `  - [${f.area}] ${f.message}`))
  return lines.join('\n')
}
