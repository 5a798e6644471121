import { type WxIndexSpec } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { missingIndexes } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { cronOf, existingIndexes, listFunctionNames, sameJson, type CheckOptions } from './check'
import type { DesiredFunction, DesiredState } from './desired'
import type { IndexKeySchema, ManagerLike } from './manager.port'

/**
 * `npm run deploy`: brings an environment to the desired state, step by step, each step only
 * when the live state differs (so a second run changes nothing):
 *   1. functions: create (with its timer) or update code, then configuration — the WHOLE env
 *      var set each time, because UpdateFunctionConfiguration replaces a function's variables
 *      (a key left out is deleted); then the timer, recreated only when its cron changed;
 *   2. collections, then their indexes (unique ones included); an index with the declared name
 *      but other fields or no uniqueness is dropped and recreated;
 *   3. database security rules per collection, then the storage rule.
 * A failing step is reported and the others still run; the caller runs the check afterwards.
 */
export interface DeployStep {
  subject: string
  action: string
  ok: boolean
  error?: string
}

export interface DeployOptions extends CheckOptions {
  /** the folder holding cloudfunctions/<name> (the built bundles) */
  functionRoot: string
  log?: (line: string) => void
}

const toKeySchema = (i: WxIndexSpec): IndexKeySchema => ({
  IndexName: i.name,
  MgoKeySchema: { MgoIndexKeys: i.fields.map((f) => ({ Name: f.field, Direction: f.order === 'asc' ? '1' : '-1' })), MgoIsUnique: i.unique },
})

/** The function as the manager takes it: no secretKeys. */
function spec(f: DesiredFunction) {
  const { secretKeys: _secret, ...rest } = f
  return rest
}

export async function deployEnvironment(m: ManagerLike, desired: DesiredState, o: DeployOptions): Promise<DeployStep[]> {
  const steps: DeployStep[] = []
  const log = o.log ?? (() => {})
  const step = async (subject: string, action: string, run: () => Promise<unknown>) => {
    try {
      await run()
      steps.push({ subject, action, ok: true })
      log(`  ✓ ${subject}: ${action}`)
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e)
      steps.push({ subject, action, ok: false, error })
      log(`  ✗ ${subject}: ${action} failed: ${error}`)
    }
  }

  log('functions')
  const existing = await listFunctionNames(m)
  for (const f of desired.functions) {
    const func = spec(f)
    if (!existing.has(f.name)) {
      await step(f.name, 'create (code, configuration, timer)', () => m.functions.createFunction({ func, functionRootPath: o.functionRoot, force: false }))
      continue
    }
    // the configuration can only change once the new code is installed (the function is Active again)
    await step(f.name, 'update code', async () => {
      await m.functions.updateFunctionCode({ func, functionRootPath: o.functionRoot })
      await m.functions.waitFunctionActive(f.name)
    })
    await step(f.name, `update configuration (${Object.keys(f.envVariables).length} env vars, ${f.timeout} s, ${f.memorySize} MB)`, () =>
      m.functions.updateFunctionConfig(func),
    )
    const live = (await m.functions.getFunctionDetail(f.name)).Triggers ?? []
    for (const t of f.triggers ?? []) {
      const found = live.find((x) => x.TriggerName === t.name)
      if (found && cronOf(found.TriggerDesc) === t.config) continue
      if (found) await step(f.name, `remove timer ${t.name} (${cronOf(found.TriggerDesc)})`, () => m.functions.deleteFunctionTrigger(f.name, t.name))
      await step(f.name, `create timer ${t.name} (${t.config})`, () => m.functions.createFunctionTriggers(f.name, [t]))
    }
    // WeChat cloud allows one timer per function: an undeclared one would block ours
    for (const x of live)
      if (x.TriggerName && !(f.triggers ?? []).some((t) => t.name === x.TriggerName))
        await step(f.name, `remove undeclared trigger ${x.TriggerName}`, () => m.functions.deleteFunctionTrigger(f.name, x.TriggerName!))
  }

  log('database')
  for (const collection of desired.collections) {
    const { Exists } = await m.database.checkCollectionExists(collection)
    if (!Exists) await step(collection, 'create collection', () => m.database.createCollection(collection))
    const declared = desired.indexes.filter((i) => i.collection === collection)
    const have = existingIndexes(collection, Exists ? ((await m.database.describeCollection(collection)).Indexes ?? []) : [])
    const missing = missingIndexes(have, declared)
    // one of ours under the same name but different (fields, uniqueness): creating it again would
    // replace it anyway (docs/database.md); drop it explicitly so the step says what happened
    const stale = missing.filter((d) => have.some((e) => e.name === d.name))
    if (stale.length)
      await step(collection, `drop index ${stale.map((d) => d.name).join(', ')} (differs from the declaration)`, () =>
        m.database.updateCollection(collection, { DropIndexes: stale.map((d) => ({ IndexName: d.name })) }),
      )
    if (missing.length)
      await step(collection, `create index ${missing.map((d) => d.name + (d.unique ? ' (unique)' : '')).join(', ')}`, () =>
        m.database.updateCollection(collection, { CreateIndexes: missing.map(toKeySchema) }),
      )
    const rule = desired.databaseRules.find((r) => r.collection === collection)
    if (!rule) continue
    const live = await m.callTcb('DescribeSafeRule', { EnvId: desired.envId, CollectionName: collection, ...(o.wxAppId ? { WxAppId: o.wxAppId } : {}) })
    const same = live.AclTag === rule.aclTag && (rule.rule === undefined || sameJson(typeof live.Rule === 'string' ? live.Rule : '', rule.rule))
    if (!same)
      await step(collection, `security rule ${rule.aclTag}`, () =>
        m.callTcb('ModifySafeRule', { EnvId: desired.envId, CollectionName: collection, AclTag: rule.aclTag, ...(rule.rule ? { Rule: rule.rule } : {}) }),
      )
  }

  log('storage')
  const storage = await m.storage.getStorageAcl({ withRule: true })
  const want = desired.storageRule
  if (storage.acl !== want.acl || (want.rule !== undefined && !sameJson(JSON.stringify(storage.rule ?? null), JSON.stringify(want.rule))))
    await step('storage', `security rule ${want.acl}`, () => m.storage.setStorageAcl(want.acl, want.rule))
  return steps
}

const mask = (key: string, value: string, secret: boolean) => `${key}=${secret ? (value ? '***' : '(empty)') : value}`

/** `npm run deploy:dry`: what a deploy would establish, without calling anything. Secrets masked. */
export function describePlan(desired: DesiredState): string {
  const lines = [`environment ${desired.envId || '(CLOUD_ENV_ID not set)'}`, '', `functions (${desired.functions.length}):`]
  for (const f of desired.functions) {
    const timer = (f.triggers ?? []).map((t) => `, timer ${t.name} "${t.config}"`).join('')
    lines.push(
      `  ${f.name}: ${f.runtime}, ${f.timeout} s, ${f.memorySize} MB${timer}, ${Object.keys(f.envVariables).length} env vars (all sent: a deploy replaces them)`,
    )
    for (const [k, v] of Object.entries(f.envVariables)) lines.push(`      ${mask(k, v, f.secretKeys.includes(k))}`)
  }
  lines.push('', `collections (${desired.collections.length}), each with security rule:`)
  for (const c of desired.collections) {
    const rule = desired.databaseRules.find((r) => r.collection === c)
    const idx = desired.indexes.filter((i) => i.collection === c)
    lines.push(`  ${c} [${rule?.aclTag ?? '-'}]${idx.length ? ': ' + idx.map((i) => i.name + (i.unique ? ' (unique)' : '')).join(', ') : ''}`)
  }
  const unique = desired.indexes.filter((i) => i.unique).length
  lines.push(`  = ${desired.indexes.length} indexes, ${unique} of them unique`)
  lines.push('', `storage rule: ${desired.storageRule.acl} ${JSON.stringify(desired.storageRule.rule ?? null)}`)
  return lines.join('\n')
}
