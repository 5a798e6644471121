import type { TopupConfig } from '../../types/domain'

/**
 * Typed configuration from the environment (.env.example documents every key). The same
 * keys are set as a function's environment variables in WeChat cloud.
 */
export interface AppConfig {
  topup: TopupConfig
  /** orders still unpaid this long after creation get queried by the reconcile timer */
  reconcileGraceSeconds: number
  pay: {
    /** the function cloudPay calls back */
    notifyFunction: string
    subMchId: string
    envId: string
    body: string
  }
}

type Env = Record<string, string | undefined>

function int(env: Env, key: string, fallback: number, min = 0): number {
  const raw = env[key]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`config ${key} must be an integer >= ${min}`)
  return n
}

function intList(env: Env, key: string, fallback: number[]): number[] {
  const raw = env[key]
  if (!raw) return fallback
  const list = raw.split(',').map((s) => Number(s.trim()))
  if (list.some((n) => !Number.isSafeInteger(n) || n <= 0)) throw new Error(`config ${key} must be a list of positive integers`)
  return list
}

export function loadConfig(env: Env = process.env): AppConfig {
  const minFen = int(env, 'TOPUP_MIN_FEN', 1000, 1)
  const maxFen = int(env, 'TOPUP_MAX_FEN', 50000, 1)
  if (maxFen < minFen) throw new Error('config TOPUP_MAX_FEN must be >= TOPUP_MIN_FEN')
  const presetsFen = intList(env, 'TOPUP_PRESETS_FEN', [2000, 5000, 10000, 20000])
  if (presetsFen.some((p) => p < minFen || p > maxFen)) throw new Error('config TOPUP_PRESETS_FEN must lie within the limits')
  return {
    topup: {
      presetsFen,
      minFen,
      maxFen,
      orderTtlMinutes: int(env, 'ORDER_TTL_MINUTES', 30, 1),
      maxCardsPerUser: int(env, 'MAX_CARDS_PER_USER', 10, 1),
    },
    reconcileGraceSeconds: int(env, 'RECONCILE_GRACE_SECONDS', 60),
    pay: {
      notifyFunction: env.PAY_NOTIFY_FUNCTION || 'payNotify',
      subMchId: env.PAY_SUB_MCH_ID || '',
      envId: env.CLOUD_ENV_ID || '',
      body: env.PAY_BODY || '武汉通-充值',
    },
  }
}
