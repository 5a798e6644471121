/**
 * How the staff CLI reaches the `staff` function. Both doors call the function itself, so the
 * same entry checks (operator, role, reasons) and the same audit trail apply as in the console:
 *  - local cloud: POST {LOCAL_CLOUD_URL}/dev/api/staff, which invokes the staff handler as the
 *    console does (source 'external');
 *  - WeChat cloud: @cloudbase/node-sdk callFunction({ name: 'staff', data }) with the
 *    environment's credentials (an external call: the function sees no OPENID).
 */

export type Envelope = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }

/** one call of the staff function with an event { action, operator, ...input } */
export type StaffInvoker = (event: Record<string, unknown>) => Promise<Envelope>

const bad = (code: string, message: string): Envelope => ({ ok: false, error: { code, message } })

function asEnvelope(v: unknown): Envelope {
  if (v && typeof v === 'object' && 'ok' in v) {
    const e = v as { ok: unknown; data?: unknown; error?: { code?: unknown; message?: unknown } }
    if (e.ok === true) return { ok: true, data: e.data }
    if (e.ok === false && e.error && typeof e.error.code === 'string')
      return { ok: false, error: { code: e.error.code, message: typeof e.error.message === 'string' ? e.error.message : '' } }
  }
  return bad('CLI.BAD_RESPONSE', `staff 函数的应答不是约定的信封格式：${JSON.stringify(v)?.slice(0, 200)}`)
}

export const DEFAULT_LOCAL_URL = 'http://127.0.0.1:8787'

/** The local cloud's console door (scripts/local-cloud/dev-staff-pages.ts POST /dev/api/staff). */
export function httpInvoker(baseUrl: string, fetchImpl: typeof fetch = fetch): StaffInvoker {
  const url = `${baseUrl.replace(/\/+$/, '')}/dev/api/staff`
  return async (event) => {
    let r: Response
    try {
      r = await fetchImpl(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) })
    } catch (e) {
      return bad('CLI.UNREACHABLE', `连不上本地云 ${baseUrl}（npm run dev 是否在运行？）：${e instanceof Error ? e.message : String(e)}`)
    }
    const text = await r.text()
    try {
      return asEnvelope(JSON.parse(text))
    } catch {
      return bad('CLI.BAD_RESPONSE', `本地云应答 HTTP ${r.status}：${text.slice(0, 200)}`)
    }
  }
}

/** The part of @cloudbase/node-sdk's app the CLI uses. */
export interface CloudApp {
  callFunction(options: { name: string; data: unknown }): Promise<{ result: unknown; requestId?: string }>
}

export interface CloudCredentials {
  envId: string
  secretId: string
  secretKey: string
  sessionToken?: string
}

/** Reads CLOUD_ENV_ID and TENCENTCLOUD_SECRETID / SECRETKEY / SESSIONTOKEN (see CONFIG_SCHEMA). */
export function cloudCredentials(env: NodeJS.ProcessEnv): CloudCredentials {
  const envId = env.CLOUD_ENV_ID?.trim() ?? ''
  const secretId = env.TENCENTCLOUD_SECRETID?.trim() ?? ''
  const secretKey = env.TENCENTCLOUD_SECRETKEY?.trim() ?? ''
  const missing = [!envId && 'CLOUD_ENV_ID', !secretId && 'TENCENTCLOUD_SECRETID', !secretKey && 'TENCENTCLOUD_SECRETKEY'].filter(Boolean)
  if (missing.length) throw new Error(`连接云开发环境需要环境变量 ${missing.join('、')}`)
  return { envId, secretId, secretKey, sessionToken: env.TENCENTCLOUD_SESSIONTOKEN?.trim() || undefined }
}

/**
 * The real app. @cloudbase/node-sdk (a dev dependency, the version wx-server-sdk is built on) is
 * loaded only when the cloud door is used. `App` names the part of it a caller uses (CloudApp
 * here; the backup's NodeSdkApp in scripts/backup/cloud-env.ts).
 */
export function nodeSdkApp<App = CloudApp>(c: CloudCredentials): App {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for the cloud door, so the local door never needs the SDK
  const tcb = require('@cloudbase/node-sdk') as { init(config: Record<string, unknown>): App }
  return tcb.init({ env: c.envId, secretId: c.secretId, secretKey: c.secretKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) })
}

export function cloudInvoker(app: CloudApp): StaffInvoker {
  return async (event) => {
    try {
      const r = await app.callFunction({ name: 'staff', data: event })
      return asEnvelope(r.result)
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown }
      return bad('CLI.CLOUD_CALL_FAILED', `调用云函数 staff 失败${typeof err.code === 'string' ? `（${err.code}）` : ''}：${String(err.message ?? e)}`)
    }
  }
}
