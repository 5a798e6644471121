import type { ConfigProblemView } from '../../../types/api'
import { CONFIG_SCHEMA, ISSUING_FUNCTIONS, deploymentProblems, type ConfigProblem, type FunctionName } from '../config'
import { checkTaxId } from '../domain/tax-id'

type Env = Record<string, string | undefined>

/**
 * Whether a cloud function may run in WeChat cloud with the environment it was deployed with.
 * One rule, two users: `npm run deploy` refuses to deploy (config.ts deploymentProblems, the
 * schema's placeholders and required keys), and a function checks it again when its container
 * starts (wiring/wx.ts wxMain), because the console can change a function's variables after a
 * deploy. On top of the schema's rules, what only issuing for real adds:
 *   - 诺诺 over plain http (only the local stub is http) is an error in the cloud;
 *   - a token for another tax number (NUONUO_USER_TAX_NUM != SELLER_TAX_ID) is an error: every
 *     invoice would be issued, or refused, under the wrong seller;
 *   - a seller tax ID failing the GB 32100 checksum is a warning (real ones that fail exist);
 *   - the sandbox, explicitly allowed, is a warning: every document is marked 测试样张.
 * Pure: reads only the env it is given.
 */
export interface StartupVerdict {
  fn: FunctionName
  errors: ConfigProblem[]
  warnings: ConfigProblem[]
}

const truthy = (v: string | undefined) => ['1', 'true', 'yes'].includes((v ?? '').trim().toLowerCase())

export function providerProblems(env: Env, fn: FunctionName): ConfigProblem[] {
  if (!ISSUING_FUNCTIONS.includes(fn)) return []
  const out: ConfigProblem[] = []
  const kind = (env.INVOICE_PROVIDER ?? '').trim() || 'sandbox'
  const sellerTaxId = (env.SELLER_TAX_ID ?? '').trim().toUpperCase()
  if (kind === 'nuonuo') {
    const base = (env.NUONUO_BASE_URL ?? '').trim()
    if (base && !/^https:\/\//i.test(base)) {
      out.push({ key: 'NUONUO_BASE_URL', level: 'error', message: 'NUONUO_BASE_URL must be https in WeChat cloud (http is for the local stub only)' })
    }
    const userTax = (env.NUONUO_USER_TAX_NUM ?? '').trim().toUpperCase()
    if (userTax && sellerTaxId && userTax !== sellerTaxId) {
      out.push({ key: 'NUONUO_USER_TAX_NUM', level: 'error', message: 'NUONUO_USER_TAX_NUM differs from SELLER_TAX_ID: the token must belong to the seller' })
    }
    if (sellerTaxId && sellerTaxId.length === 18 && checkTaxId(sellerTaxId).checksumOk === false) {
      out.push({ key: 'SELLER_TAX_ID', level: 'warning', message: 'SELLER_TAX_ID fails the GB 32100 checksum: check it against the registration' })
    }
  } else if (kind === 'sandbox' && truthy(env.INVOICE_ALLOW_SANDBOX)) {
    out.push({
      key: 'INVOICE_PROVIDER',
      level: 'warning',
      message: 'the sandbox issues here (INVOICE_ALLOW_SANDBOX): every document is marked 测试样张 非正式发票',
    })
  }
  return out
}

export function startupCheck(env: Env, fn: FunctionName): StartupVerdict {
  let problems: ConfigProblem[]
  try {
    problems = [...deploymentProblems(env, fn), ...providerProblems(env, fn)]
  } catch (e) {
    problems = [{ key: '', level: 'error', message: `configuration unreadable: ${e instanceof Error ? e.message : String(e)}` }]
  }
  const seen = new Set<string>()
  const unique = problems.filter((p) => {
    const k = `${p.level}|${p.key}|${p.message}`
    return seen.has(k) ? false : (seen.add(k), true)
  })
  return { fn, errors: unique.filter((p) => p.level === 'error'), warnings: unique.filter((p) => p.level === 'warning') }
}

/** The one log line: the function and every problem, keys and reasons only (never a value). */
export function verdictLine(v: StartupVerdict): string {
  const what = v.errors.length ? 'refuses to start' : 'starts with warnings'
  return `${v.fn} ${what}: ${[...v.errors, ...v.warnings].map((p) => `[${p.level}] ${p.message}`).join('; ')}`
}

/**
 * The verdict as staff see it (the `config` of staff.queues): errors first, then warnings, an
 * empty key left out. Messages name keys and reasons only; should one ever quote the value of a
 * secret key of `env` (app secret, SMTP password, API keys), that value is masked anyway.
 */
export function problemViews(v: StartupVerdict, env: Env): ConfigProblemView[] {
  const secrets = CONFIG_SCHEMA.filter((k) => k.secret)
    .map((k) => (env[k.key] ?? '').trim())
    .filter((s) => s.length >= 4)
  const masked = (message: string) => secrets.reduce((m, s) => m.split(s).join('***'), message)
  return [...v.errors, ...v.warnings].map((p) => ({ ...(p.key ? { key: p.key } : {}), level: p.level, message: masked(p.message) }))
}

/** The deployment problems of `fn` with this environment, as staff see them (pure). */
export const configProblems = (env: Env, fn: FunctionName): ConfigProblemView[] => problemViews(startupCheck(env, fn), env)

/** What a refusing function answers every caller (the envelope's coded error). */
export const MISCONFIGURED = { code: 'COMMON.MISCONFIGURED', message: '服务配置尚未完成，暂时无法办理，请稍后再试' } as const
