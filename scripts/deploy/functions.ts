import fs from 'node:fs'
import path from 'node:path'
import { FUNCTION_NAMES, ISSUING_FUNCTIONS, type FunctionName } from '../../cloudfunctions/_core/config'

/**
 * What a cloud function is deployed with, beyond its env vars (which come from the config
 * schema): the runtime, memory and the parts of its own config.json (timeout, timer trigger,
 * openapi permissions). cloudbaserc.json is generated from these (scripts/deploy/config-gen.ts).
 */
export const ROOT = path.resolve(__dirname, '../..')
export const FUNCTION_ROOT = path.join(ROOT, 'cloudfunctions')

/** Every function runs on Nodejs 18.15: the bundles target node18 and tests/deploy/node18.test.ts runs them there. */
export const RUNTIME = 'Nodejs18.15'

/**
 * Memory in MB. The issuing functions parse a 10 MB CJK font (and the rare-character fallback)
 * and render PDFs with pdfkit, so they get 512; the others only hold wx-server-sdk and the
 * handler: 256, the platform's default. Watch the console's memory graph after launch.
 */
export const MEMORY_MB: Readonly<Record<FunctionName, number>> = Object.fromEntries(
  FUNCTION_NAMES.map((n) => [n, ISSUING_FUNCTIONS.includes(n) ? 512 : 256]),
) as Record<FunctionName, number>

export interface Trigger {
  name: string
  type: 'timer'
  /** 7-field cron (second minute hour day month weekday year), UTC+8 */
  config: string
}

/** The deploy-relevant part of cloudfunctions/<name>/config.json. */
export interface FunctionConfigJson {
  timeout: number
  triggers: Trigger[]
  openapi: string[]
}

export function readFunctionConfig(name: FunctionName, root = FUNCTION_ROOT): FunctionConfigJson {
  const file = path.join(root, name, 'config.json')
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    timeout?: unknown
    triggers?: { name?: unknown; type?: unknown; config?: unknown }[]
    permissions?: { openapi?: unknown }
  }
  const timeout = json.timeout
  // WeChat cloud's ceiling for an event function is 60 s; its default (3 s) is far too short for us
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 3 || timeout > 60)
    throw new Error(`${file}: timeout must be an integer from 3 to 60 seconds`)
  const triggers = (json.triggers ?? []).map((t) => {
    if (typeof t.name !== 'string' || t.type !== 'timer' || typeof t.config !== 'string' || t.config.trim().split(/\s+/).length !== 7)
      throw new Error(`${file}: a trigger must be { name, type: "timer", config: a 7-field cron }`)
    return { name: t.name, type: 'timer' as const, config: t.config }
  })
  // one timer per function is all WeChat cloud allows
  if (triggers.length > 1) throw new Error(`${file}: at most one trigger per function`)
  const openapi = Array.isArray(json.permissions?.openapi) ? (json.permissions.openapi as string[]) : []
  return { timeout, triggers, openapi }
}

/** The functions with a source entry, as the build sees them (for the test that FUNCTION_NAMES is complete). */
export function functionFolders(root = FUNCTION_ROOT): string[] {
  return fs
    .readdirSync(root)
    .filter((n) => fs.existsSync(path.join(root, n, 'src', 'index.ts')))
    .sort()
}
