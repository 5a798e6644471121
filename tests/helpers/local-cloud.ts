import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../scripts/local-cloud/server'

export interface TestCloud extends LocalCloud {
  dataDir: string
  login(name: string): Promise<Client>
  dev(pathname: string, body?: unknown): Promise<any>
}

export interface Client {
  openid: string
  token: string
  call(fn: string, event: unknown): Promise<{ status: number; body: any }>
  /** calls an action and returns data, failing the test on an error envelope */
  ok(fn: string, action: string, input?: Record<string, unknown>): Promise<any>
}

/** Starts a real local cloud on an ephemeral port with its own data folder on disk. */
export async function startTestCloud(opts: Partial<LocalCloudOptions> = {}): Promise<TestCloud> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wt-cloud-'))
  // Tests move the local clock by days or years (request windows, 72 h confirmations): a
  // sign-in lasts longer than any of them unless a test sets its own session lifetime.
  const cloud = await startLocalCloud({ dataDir, quiet: true, timers: false, ...opts, env: { LOCAL_SESSION_TTL_HOURS: String(24 * 365 * 20), ...opts.env } })
  const post = async (pathname: string, body: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(cloud.url + pathname, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
    return { status: r.status, body: await r.json() }
  }
  return {
    ...cloud,
    dataDir,
    async dev(pathname, body) {
      if (body === undefined) return (await fetch(cloud.url + pathname)).json()
      return (await post(pathname, body)).body
    },
    async login(name) {
      const { status, body } = await post('/auth/login', { name })
      if (status !== 200) throw new Error(`login failed: ${JSON.stringify(body)}`)
      const client: Client = {
        openid: body.openid,
        token: body.token,
        call: (fn, event) => post(`/functions/${fn}`, event, { Authorization: `Bearer ${body.token}` }),
        async ok(fn, action, input = {}) {
          const r = await client.call(fn, { action, ...input })
          if (!r.body.ok) throw new Error(`${fn}.${action} failed: ${JSON.stringify(r.body.error)}`)
          return r.body.data
        },
      }
      return client
    },
  }
}

export const CARD_A = '3104000012345673'
export const CARD_B = '3104000098765430'

/** Polls until fn returns a truthy value (for asynchronous callbacks), or fails after timeoutMs. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}
