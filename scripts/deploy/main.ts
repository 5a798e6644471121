import fs from 'node:fs'
import path from 'node:path'
import { parseEnv } from 'node:util'
import { checkEnvironment, formatFindings } from './check'
import { deployEnvironment, describePlan } from './deploy'
import { desiredState, preflight, type Env } from './desired'
import { ROOT } from './functions'
import { fromManager, type ManagerLike } from './manager.port'

/**
 * The deploy command line (see docs/deploy.md):
 *   npm run deploy:dry      the plan, from .env and the repository; calls nothing, needs no keys
 *   npm run deploy          build, check the configuration, deploy, then check the result
 *   npm run deploy:check    read the live environment back and list what differs
 * Options: --env-file <path> (default .env). Values in the process environment win over the file.
 */
export interface RunOptions {
  argv: string[]
  env: Env
  /** the manager to use (tests pass the fake); default: @cloudbase/manager-node with the env's keys */
  manager?: (env: Env) => ManagerLike
  root?: string
  out?: (line: string) => void
}

function envFromFile(file: string): Env {
  return fs.existsSync(file) ? parseEnv(fs.readFileSync(file, 'utf8')) : {}
}

function realManager(env: Env): ManagerLike {
  const secretId = (env.TENCENTCLOUD_SECRETID ?? '').trim()
  const secretKey = (env.TENCENTCLOUD_SECRETKEY ?? '').trim()
  if (!secretId || !secretKey)
    throw new Error('TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY are required (an API key of a sub-account allowed to manage the environment)')
  return fromManager({ secretId, secretKey, token: (env.TENCENTCLOUD_SESSIONTOKEN ?? '').trim() || undefined, envId: (env.CLOUD_ENV_ID ?? '').trim() })
}

/** Runs a command; resolves to the process exit code. */
export async function run(o: RunOptions): Promise<number> {
  const out = o.out ?? ((line: string) => process.stdout.write(line + '\n'))
  const root = o.root ?? ROOT
  const [command] = o.argv
  const fileArg = o.argv.indexOf('--env-file')
  const envFile = path.resolve(root, fileArg >= 0 ? (o.argv[fileArg + 1] ?? '.env') : '.env')
  const env: Env = { ...envFromFile(envFile), ...o.env }
  const desired = desiredState(env, root)
  const wxAppId = (env.WX_APP_ID ?? '').trim() || undefined

  if (command === 'check') {
    const m = (o.manager ?? realManager)(env)
    const findings = await checkEnvironment(m, desired, { wxAppId })
    out(formatFindings(findings))
    return findings.some((f) => f.level === 'error') ? 1 : 0
  }
  if (command !== 'deploy') {
    out('usage: main.ts deploy [--dry-run] [--env-file .env] | check [--env-file .env]')
    return 2
  }

  const dry = o.argv.includes('--dry-run')
  const pre = preflight(env, desired, root)
  if (dry) out(describePlan(desired) + '\n')
  for (const w of pre.warnings) out(`warning: ${w.message}`)
  if (pre.errors.length) {
    out(`the configuration is not ready for WeChat cloud (${path.relative(root, envFile) || envFile}):`)
    for (const e of pre.errors) out(`  - ${e.message}`)
    out(dry ? 'a deploy would refuse to start.' : 'nothing was deployed.')
    return 1
  }
  if (dry) {
    out('configuration ready; nothing was called (dry run).')
    return 0
  }
  const functionRoot = path.join(root, 'cloudfunctions')
  const unbuilt = desired.functions.filter((f) => !fs.existsSync(path.join(functionRoot, f.name, 'index.js'))).map((f) => f.name)
  if (unbuilt.length) {
    out(`not built: ${unbuilt.join(', ')} (npm run build:functions). Nothing was deployed.`)
    return 1
  }
  const m = (o.manager ?? realManager)(env)
  out(`deploying to ${desired.envId}`)
  const steps = await deployEnvironment(m, desired, { functionRoot, wxAppId, log: out })
  const failed = steps.filter((s) => !s.ok)
  out(`\n${steps.length - failed.length} step(s) done, ${failed.length} failed. Checking the result:`)
  const findings = await checkEnvironment(m, desired, { wxAppId })
  out(formatFindings(findings))
  return failed.length || findings.some((f) => f.level === 'error') ? 1 : 0
}

if (require.main === module) {
  run({ argv: process.argv.slice(2), env: process.env })
    .then((code) => process.exit(code))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
      process.exit(1)
    })
}
