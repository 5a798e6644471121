import fs from 'node:fs'
import path from 'node:path'
import { parseEnv } from 'node:util'
import { checkEnvironment, formatFindings, type Finding } from './check'
import { deployEnvironment, describePlan } from './deploy'
import { desiredState, preflight, type Env } from './desired'
import { BUCKET_PLACEHOLDER, defaultFontSources, describeFont, fileIdOf, fontPlan, syncFonts, withFontIds } from './fonts'
import { ROOT } from './functions'
import { fromManager, type ManagerLike } from './manager.port'

/**
 * The deploy command line (see docs/deploy.md):
 *   npm run deploy:dry      the plan, from .env and the repository; calls nothing, needs no keys
 *   npm run deploy          build, check the configuration, upload the fallback fonts (fonts.ts),
 *                           deploy, then check the result
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
  /** the rare-character fallback fonts to upload (tests pass small files); default: scripts/deploy/fonts.ts */
  fontSources?: { name: string; localPath: string }[]
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
  const wxAppId = (env.WX_APP_ID ?? '').trim() || undefined
  // The fallback fonts: uploaded by the deploy, their fileIDs set on the issuing functions. Until
  // the environment names its bucket, the plan (and the configuration check) carries a placeholder.
  const fonts = fontPlan(env, o.fontSources ?? defaultFontSources(env, root))
  const envId = (env.CLOUD_ENV_ID ?? '').trim()
  const planned =
    'fonts' in fonts
      ? withFontIds(
          env,
          fonts.fonts.map((f) => fileIdOf(envId, BUCKET_PLACEHOLDER, f.cloudPath)),
        )
      : env
  const desired = desiredState(planned, root)

  if (command === 'check') {
    const m = (o.manager ?? realManager)(env)
    let withIds = desired
    const fontFindings: Finding[] = []
    if ('fonts' in fonts) {
      const { ids, steps } = await syncFonts(m, desired.envId, fonts.fonts, false)
      withIds = desiredState(withFontIds(env, ids), root)
      for (const s of steps.filter((x) => x.action === 'missing'))
        fontFindings.push({
          area: 'storage',
          subject: s.font.cloudPath,
          level: 'error',
          message: `fallback font ${s.font.name} is not in cloud storage at ${s.font.cloudPath} (npm run deploy uploads it)`,
        })
    }
    const findings = [...fontFindings, ...(await checkEnvironment(m, withIds, { wxAppId }))]
    out(formatFindings(findings))
    return findings.some((f) => f.level === 'error') ? 1 : 0
  }
  if (command !== 'deploy') {
    out('usage: main.ts deploy [--dry-run] [--env-file .env] | check [--env-file .env]')
    return 2
  }

  const dry = o.argv.includes('--dry-run')
  const pre = preflight(planned, desired, root)
  if (dry) {
    out(describePlan(desired) + '\n')
    if ('fonts' in fonts)
      out(
        [
          `fallback fonts (uploaded unless already stored; ${BUCKET_PLACEHOLDER} is read from the environment):`,
          ...fonts.fonts.map((f) => `  ${describeFont(f)}`),
          '',
        ].join('\n'),
      )
  }
  if ('skip' in fonts) out(`fallback fonts: ${fonts.skip}`)
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
  let target = desiredState(env, root)
  if ('fonts' in fonts) {
    out('fallback fonts')
    try {
      const { ids, steps: done } = await syncFonts(m, desired.envId, fonts.fonts, true)
      for (const s of done) out(`  ✓ ${describeFont(s.font)}: ${s.action === 'uploaded' ? 'uploaded' : 'already stored'}`)
      target = desiredState(withFontIds(env, ids), root)
    } catch (e) {
      // the functions would get fileIDs of fonts that are not there: deploy nothing instead
      out(`  ✗ upload failed: ${e instanceof Error ? e.message : String(e)}\nnothing else was deployed.`)
      return 1
    }
  }
  const steps = await deployEnvironment(m, target, { functionRoot, wxAppId, log: out })
  const failed = steps.filter((s) => !s.ok)
  out(`\n${steps.length - failed.length} step(s) done, ${failed.length} failed. Checking the result:`)
  const findings = await checkEnvironment(m, target, { wxAppId })
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
