import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { DeliveryMode } from '../../cloudfunctions/_core/adapters/local/sandbox.pay'
import type { LocalInvokeMode } from '../../cloudfunctions/_core/adapters/local/local.invoke'
import type { CallContext, CallSource } from '../../cloudfunctions/_core/runtime/context'
import { jsonLogger } from '../../cloudfunctions/_core/runtime/logger'
import { createLocalRuntime, type LocalRuntime } from '../../cloudfunctions/_core/wiring/local'
import { releaseDeadLeases } from '../../cloudfunctions/_core/adapters/local/sqlite.leases'
import { nextFire, parseCron, type Cron } from './cron'
import { FUNCTIONS, type AnyHandler } from './functions'
import { mayUpload } from '../../cloudfunctions/_core/app/upload.service'
import { devMenu, loginPage, payPage } from './pages'
import { devMailRoute } from './dev-mail-pages'
import { devStaffRoute } from './dev-staff-pages'
import { devSmsRoute } from './dev-sms-pages'
import { scheduleLocalBackup } from './daily-backup'
import { startSmtpCapture, type SmtpCapture } from './smtp-capture'
import { isPlainLine } from '../../types/text-rules'
import { decodeComponent, HttpError, isLoopbackHost, localReturn, readJsonObject, requestUrl } from './http-safety'

export interface LocalCloudOptions {
  dataDir: string
  host?: string
  port?: number
  /** the Taro H5 build to serve at / */
  h5Dir?: string
  /** cloudfunctions/ (for each function's config.json timer triggers) */
  functionsDir?: string
  env?: Record<string, string | undefined>
  /** run timer triggers on their cron schedule (tests fire them by hand instead) */
  timers?: boolean
  quiet?: boolean
}

export interface LocalCloud {
  url: string
  runtime: LocalRuntime
  /** the SMTP capture server every e-mail of the local cloud goes to */
  smtp: SmtpCapture
  /** invoke a function as the given source (what WeChat does for triggers and pay callbacks) */
  invoke(name: string, event: unknown, source: CallSource, openid?: string | null): Promise<unknown>
  close(): Promise<void>
}

const ROOT = path.resolve(__dirname, '../..')
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
  '.xml': 'application/xml; charset=utf-8',
  '.ofd': 'application/ofd',
}

/** The local openid of a test user: stable per name, shaped like a real one (28 chars). */
export const localOpenid = (name: string) => 'o' + crypto.createHash('sha256').update(`local:${name}`).digest('base64url').slice(0, 27)

export async function startLocalCloud(opts: LocalCloudOptions): Promise<LocalCloud> {
  const env = { ...process.env, ...opts.env }
  const log = opts.quiet ? jsonLogger(() => undefined) : jsonLogger()
  let baseUrl = ''
  let clockOffsetMs = 0
  const now = () => new Date(Date.now() + clockOffsetMs)
  const handlers = new Map<string, AnyHandler>()

  const invoke = async (name: string, event: unknown, source: CallSource, openid: string | null = null, clientIp = '127.0.0.1') => {
    const h = handlers.get(name)
    if (!h) throw new HttpError(404, 'COMMON.UNKNOWN_ACTION', `不存在的云函数：${name}`)
    const ctx: CallContext = { openid, source, requestId: crypto.randomUUID(), clientIp }
    return h(event, ctx)
  }

  const smtp = await startSmtpCapture({
    dir: path.join(opts.dataDir, 'mail'),
    host: '127.0.0.1',
    port: Number(env.LOCAL_SMTP_PORT ?? 0),
  })
  const runtime = createLocalRuntime({
    dataDir: opts.dataDir,
    smtp: {
      host: smtp.host,
      port: smtp.port,
      accepted: (key) => smtp.list({ limit: 1000 }).some((m) => m.messageId?.startsWith(`<${key}@`) === true),
    },
    env,
    baseUrl: () => baseUrl,
    now,
    log,
    deliverPayCallback: async (fn, n) => (await invoke(fn, n, 'wx_paycallback')) as { errcode: number },
  })
  for (const [name, create] of Object.entries(FUNCTIONS)) handlers.set(name, create(runtime.deps))
  // payNotify and reconcile start invoiceWorker directly, as cloud.callFunction does in WeChat cloud:
  // the callee sees SOURCE scf and no OPENID
  runtime.invoker.bind((fn, event) => invoke(fn, event, 'scf'))

  const db = runtime.db
  // work whose owner died (kill -9, a crash) resumes at the next worker run, not when its lease runs out
  const released = releaseDeadLeases(db, now())
  if (released.invoices + released.mails > 0) log.warn('released the leases of a process that died', released)
  db.exec(`CREATE TABLE IF NOT EXISTS local_users (name TEXT PRIMARY KEY, openid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
           CREATE TABLE IF NOT EXISTS local_sessions (token TEXT PRIMARY KEY, openid TEXT NOT NULL, created_at TEXT NOT NULL);`)

  // a local session lasts LOCAL_SESSION_TTL_HOURS from sign-in (by the local clock, so tests move it)
  const sessionTtlHours = Number(env.LOCAL_SESSION_TTL_HOURS ?? 168)
  const sessionTtlMs = (Number.isFinite(sessionTtlHours) && sessionTtlHours > 0 ? sessionTtlHours : 168) * 3600_000
  const sessionCutoff = () => new Date(now().getTime() - sessionTtlMs).toISOString()
  const sessionToken = (req: http.IncomingMessage): string | null => {
    const auth = req.headers.authorization
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : null
    return token || (/(?:^|;\s*)wt_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1] ?? null)
  }
  const sessionOpenid = (req: http.IncomingMessage): string | null => {
    const token = sessionToken(req)
    if (!token) return null
    const row = db.prepare('SELECT openid FROM local_sessions WHERE token = ? AND created_at > ?').get(token, sessionCutoff()) as { openid: string } | undefined
    return row?.openid ?? null
  }

  // Timer triggers from each function's config.json (one trigger per function, as in WeChat cloud).
  const triggers: { fn: string; cron: Cron }[] = []
  const functionsDir = opts.functionsDir ?? path.join(ROOT, 'cloudfunctions')
  for (const fn of handlers.keys()) {
    const file = path.join(functionsDir, fn, 'config.json')
    if (!fs.existsSync(file)) continue
    const cfg = JSON.parse(fs.readFileSync(file, 'utf8')) as { triggers?: { type: string; config: string }[] }
    const t = cfg.triggers?.find((x) => x.type === 'timer')
    if (t) triggers.push({ fn, cron: parseCron(t.config) })
  }
  const timers: NodeJS.Timeout[] = []
  const schedule = (t: { fn: string; cron: Cron }) => {
    const next = nextFire(t.cron, now())
    if (!next) return
    const timer = setTimeout(
      () => {
        invoke(t.fn, { Type: 'Timer', TriggerName: t.fn, Time: next.toISOString() }, 'wx_trigger')
          .catch((e) => log.error('timer trigger failed', { fn: t.fn, error: String(e) }))
          .finally(() => schedule(t))
      },
      Math.min(Math.max(next.getTime() - now().getTime(), 0), 2 ** 31 - 1),
    )
    timer.unref()
    timers.push(timer)
  }
  if (opts.timers) triggers.forEach(schedule)
  // the daily snapshot of this data dir (LOCAL_BACKUP_CRON / _DIR / _KEEP; daily-backup.ts): logged, never fatal
  if (opts.timers) scheduleLocalBackup({ dataDir: opts.dataDir, env, root: ROOT, log, now, timers })

  const h5Dir = opts.h5Dir ?? path.join(ROOT, 'miniprogram', 'dist-h5')
  const devAllowed = isLoopbackHost(opts.host ?? '127.0.0.1') || ['1', 'true', 'yes'].includes((env.LOCAL_CLOUD_ALLOW_DEV_REMOTE ?? '').toLowerCase())

  const readBody = readJsonObject

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    })
    res.end(text)
  }

  const serveStatic = (res: http.ServerResponse, pathname: string) => {
    const rel = pathname === '/' ? 'index.html' : decodeComponent(pathname.slice(1))
    const file = path.join(h5Dir, path.normalize(rel))
    if (!file.startsWith(h5Dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      if (!fs.existsSync(path.join(h5Dir, 'index.html'))) {
        return send(res, 404, `<p>H5 build not found in ${h5Dir}. Run <code>npm run build:h5</code>.</p>`)
      }
      return send(res, 404, '<p>404</p>')
    }
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': rel === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
    })
    fs.createReadStream(file).pipe(res)
  }

  const route = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = requestUrl(req)
    const p = url.pathname
    const method = req.method ?? 'GET'

    if (p === '/healthz') return send(res, 200, { ok: true })
    // the dev menu and the sandboxes let anyone pay, sign in as anyone and move the clock: on this machine only
    if (!devAllowed && (p === '/dev' || p.startsWith('/dev/') || p === '/sandbox' || p.startsWith('/sandbox/'))) {
      throw new HttpError(403, 'COMMON.FORBIDDEN', '开发工具只在本机可用（对外监听时设 LOCAL_CLOUD_ALLOW_DEV_REMOTE=true 才开放）')
    }

    // --- cloud functions: POST /functions/<name>, the event as the JSON body ---
    const fnMatch = /^\/functions\/([A-Za-z0-9_-]+)$/.exec(p)
    if (fnMatch) {
      if (method !== 'POST') throw new HttpError(405, 'COMMON.BAD_REQUEST', '请使用 POST')
      const event = await readBody(req)
      const openid = sessionOpenid(req)
      const result = (await invoke(fnMatch[1], event, 'wx_client', openid, req.socket.remoteAddress ?? '127.0.0.1')) as {
        ok?: boolean
        error?: { code?: string }
      }
      return send(res, result?.ok === false && result.error?.code === 'COMMON.UNAUTHENTICATED' ? 401 : 200, result)
    }

    // --- local sign-in, the stand-in for the WeChat identity ---
    if (p === '/auth/login' && method === 'POST') {
      const body = (await readBody(req)) as { name?: unknown }
      const name = typeof body.name === 'string' ? body.name.trim() : ''
      if (!name || [...name].length > 20 || !isPlainLine(name)) {
        throw new HttpError(400, 'COMMON.BAD_REQUEST', '测试用户名须为 1 到 20 个字')
      }
      const openid = localOpenid(name)
      db.prepare('INSERT OR IGNORE INTO local_users (name, openid, created_at) VALUES (?, ?, ?)').run(name, openid, now().toISOString())
      const token = crypto.randomBytes(24).toString('base64url')
      db.prepare('DELETE FROM local_sessions WHERE created_at <= ?').run(sessionCutoff())
      db.prepare('INSERT INTO local_sessions (token, openid, created_at) VALUES (?, ?, ?)').run(token, openid, now().toISOString())
      const expiresAt = new Date(now().getTime() + sessionTtlMs).toISOString()
      return send(
        res,
        200,
        { token, openid, name, expiresAt },
        { 'Set-Cookie': `wt_session=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(sessionTtlMs / 1000)}` },
      )
    }
    // sign out: the session (Bearer or cookie) ends at once; without one it is a no-op
    if (p === '/auth/logout' && method === 'POST') {
      const token = sessionToken(req)
      const ended = token ? db.prepare('DELETE FROM local_sessions WHERE token = ?').run(token).changes : 0
      return send(res, 200, { ok: true, ended: ended > 0 }, { 'Set-Cookie': 'wt_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' })
    }
    if (p === '/auth/users' && method === 'GET') {
      return send(res, 200, { users: db.prepare('SELECT name, openid FROM local_users ORDER BY created_at').all() })
    }
    if (p === '/dev/login') {
      const users = db.prepare('SELECT name, openid FROM local_users ORDER BY created_at').all() as { name: string; openid: string }[]
      return send(res, 200, loginPage(users, localReturn(url.searchParams.get('return'), baseUrl)))
    }

    // --- cloud-pay sandbox ---
    if (p === '/sandbox/pay' && method === 'GET') {
      return send(res, 200, payPage(runtime.pay.byPrepayId(url.searchParams.get('prepayId') ?? ''), localReturn(url.searchParams.get('return'), baseUrl)))
    }
    if (p === '/sandbox/pay/confirm' && method === 'POST') {
      const body = (await readBody(req)) as { prepayId?: unknown }
      try {
        const paid = runtime.pay.confirm(typeof body.prepayId === 'string' ? body.prepayId : '')
        return send(res, 200, { ok: true, state: paid.state, outTradeNo: paid.outTradeNo })
      } catch (e) {
        const code = e instanceof Error ? e.message : 'ERROR'
        return send(res, 409, { ok: false, code, message: code === 'ORDERCLOSED' ? '订单已关闭，无法支付' : '找不到这笔支付' })
      }
    }

    // --- storage upload (H5's stand-in for Taro.cloud.uploadFile): raw bytes, the session's own
    // after-sales folder only, at most the configured photo size. The record that names the file
    // checks its content (JPEG/PNG) when it is used. ---
    if (p === '/storage/upload' && method === 'PUT') {
      const openid = sessionOpenid(req)
      if (!openid) throw new HttpError(401, 'COMMON.UNAUTHENTICATED', '请先登录')
      const cloudPath = url.searchParams.get('cloudPath') ?? ''
      if (!mayUpload(openid, cloudPath)) throw new HttpError(403, 'COMMON.FORBIDDEN', '只能上传到自己的目录')
      const max = runtime.deps.config.afterSales.photoMaxBytes
      if (Number(req.headers['content-length'] ?? 0) > max) throw new HttpError(413, 'UPLOAD.INVALID', '文件过大')
      const content = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = []
        let size = 0
        // past the limit the rest is read and dropped, so the client still gets the 413 answer
        req.on('data', (c: Buffer) => {
          size += c.length
          if (size <= max) chunks.push(c)
        })
        req.on('end', () => (size > max ? reject(new HttpError(413, 'UPLOAD.INVALID', '文件过大')) : resolve(Buffer.concat(chunks))))
        req.on('error', reject)
      })
      if (content.length === 0) throw new HttpError(400, 'UPLOAD.INVALID', '文件为空')
      const { fileID } = await runtime.storage.upload({ cloudPath, content })
      return send(res, 200, { fileID })
    }

    // --- storage: short-lived, signed, owner-only links ---
    if (p.startsWith('/storage/') && method === 'GET') {
      const cloudPath = p.slice('/storage/'.length).split('/').map(decodeComponent).join('/')
      const verdict = runtime.storage.verify(cloudPath, Number(url.searchParams.get('exp')), url.searchParams.get('sig') ?? '', sessionOpenid(req))
      if (verdict !== 'ok') throw new HttpError(verdict === 'expired' ? 410 : 403, 'COMMON.FORBIDDEN', `链接无效：${verdict}`)
      let file: string
      try {
        file = runtime.storage.safePath(cloudPath)
      } catch {
        throw new HttpError(404, 'COMMON.BAD_REQUEST', '文件不存在')
      }
      if (!fs.existsSync(file)) throw new HttpError(404, 'COMMON.BAD_REQUEST', '文件不存在')
      res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'private, no-store' })
      return fs.createReadStream(file).pipe(res)
    }

    // --- developer menu and test hooks ---
    const mailRoute = await devMailRoute({ mail: smtp, messages: runtime.subscribe }, method, url)
    if (mailRoute) {
      res.writeHead(mailRoute.status, mailRoute.headers)
      return res.end(mailRoute.body)
    }
    // captured text messages (/dev/sms), like /dev/mail
    const smsRoute = await devSmsRoute(runtime.sms, method, url, () => readBody(req))
    if (smsRoute) {
      res.writeHead(smsRoute.status, smsRoute.headers)
      return res.end(smsRoute.body)
    }
    // the staff page: the local stand-in for the cloud console's test panel (source 'external')
    const staffRoute = await devStaffRoute(
      {
        invoke: async (event) => (await invoke('staff', event, 'external')) as Awaited<ReturnType<Parameters<typeof devStaffRoute>[0]['invoke']>>,
        users: () => db.prepare('SELECT name, openid FROM local_users ORDER BY created_at').all() as { name: string; openid: string }[],
      },
      method,
      url,
      () => readBody(req),
    )
    if (staffRoute) {
      res.writeHead(staffRoute.status, staffRoute.headers)
      return res.end(staffRoute.body)
    }
    if (p === '/dev' || p === '/dev/') {
      return send(
        res,
        200,
        devMenu({
          triggers: triggers.map((t) => ({ fn: t.fn, cron: t.cron.source, next: nextFire(t.cron, now())?.toISOString() ?? null })),
          delivery: runtime.pay.delivery,
          clockOffsetMs,
        }),
      )
    }
    if (p === '/dev/api/pay' && method === 'GET') {
      return send(res, 200, { delivery: runtime.pay.delivery, lateMs: runtime.pay.lateMs, deliveries: runtime.pay.deliveries })
    }
    if (p === '/dev/api/pay/delivery' && method === 'POST') {
      const body = (await readBody(req)) as { mode?: DeliveryMode; lateMs?: number }
      if (!['once', 'twice', 'late', 'never'].includes(String(body.mode))) throw new HttpError(400, 'COMMON.BAD_REQUEST', 'mode: once|twice|late|never')
      runtime.pay.delivery = body.mode as DeliveryMode
      if (typeof body.lateMs === 'number') runtime.pay.lateMs = body.lateMs
      return send(res, 200, { ok: true, delivery: runtime.pay.delivery, lateMs: runtime.pay.lateMs })
    }
    if (p === '/dev/api/pay/deliver' && method === 'POST') {
      // Delivers the callback of a payment the sandbox took, as WeChat would. The only override is a
      // WRONG amount (the anomaly path): never another order and never the paid amount, so this hook
      // cannot mark an unpaid order paid.
      const body = await readBody(req)
      const { outTradeNo, override = {} } = body
      const times = body.times ?? 1
      if (typeof outTradeNo !== 'string' || !outTradeNo) throw new HttpError(400, 'COMMON.BAD_REQUEST', 'outTradeNo: string')
      if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > 200) throw new HttpError(400, 'COMMON.BAD_REQUEST', 'times: 1..200')
      if (!override || typeof override !== 'object' || Array.isArray(override)) throw new HttpError(400, 'COMMON.BAD_REQUEST', 'override: object')
      const o = override as Record<string, unknown>
      const fee = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
      if (
        Object.keys(o).some((k) => k !== 'totalFee' && k !== 'cashFee') ||
        (Object.keys(o).length > 0 && !fee(o.totalFee)) ||
        ('cashFee' in o && !fee(o.cashFee))
      ) {
        throw new HttpError(400, 'COMMON.BAD_REQUEST', 'override: only { totalFee, cashFee? } (a wrong amount); never outTradeNo or other fields')
      }
      const paid = await runtime.pay.queryOrder(outTradeNo)
      if (paid.tradeState !== 'SUCCESS') throw new HttpError(409, 'COMMON.BAD_REQUEST', '这笔支付尚未完成，不能投递回调')
      if ('totalFee' in o && o.totalFee === paid.totalFee) throw new HttpError(400, 'COMMON.BAD_REQUEST', 'override.totalFee must differ from the paid amount')
      const answers = await runtime.pay.deliverNow(outTradeNo, times, o)
      return send(res, 200, { ok: true, answers })
    }
    // the direct invocation of the invoice worker after a payment: run | refuse | lose | inline
    if (p === '/dev/api/invoke' && method === 'POST') {
      const body = (await readBody(req)) as { mode?: unknown }
      if (!['run', 'refuse', 'lose', 'inline'].includes(String(body.mode))) throw new HttpError(400, 'COMMON.BAD_REQUEST', 'mode: run|refuse|lose|inline')
      runtime.invoker.mode = body.mode as LocalInvokeMode
      return send(res, 200, { ok: true, mode: runtime.invoker.mode })
    }
    if (p === '/dev/api/invoke' && method === 'GET') {
      return send(res, 200, { mode: runtime.invoker.mode, starts: runtime.invoker.starts.slice(-100) })
    }
    const trig = /^\/dev\/api\/triggers\/([A-Za-z0-9_-]+)$/.exec(p)
    if (trig && method === 'POST') {
      if (!triggers.some((t) => t.fn === trig[1])) throw new HttpError(404, 'COMMON.UNKNOWN_ACTION', '该云函数没有定时触发器')
      return send(res, 200, await invoke(trig[1], { Type: 'Timer', TriggerName: trig[1], Time: now().toISOString() }, 'wx_trigger'))
    }
    // 换开: what the sandbox's enterprise buyer does with a red-letter form (红字确认单)
    if (p === '/dev/api/provider/red-confirmations' && method === 'POST') {
      const body = (await readBody(req)) as { confirmationNo?: unknown; requestNo?: unknown; decision?: unknown }
      if (!['confirm', 'refuse', 'lapse'].includes(String(body.decision))) throw new HttpError(400, 'COMMON.BAD_REQUEST', 'decision: confirm|refuse|lapse')
      if (typeof body.confirmationNo !== 'string' && typeof body.requestNo !== 'string')
        throw new HttpError(400, 'COMMON.BAD_REQUEST', 'confirmationNo or requestNo')
      const key = {
        confirmationNo: typeof body.confirmationNo === 'string' ? body.confirmationNo : undefined,
        requestNo: typeof body.requestNo === 'string' ? body.requestNo : undefined,
      }
      const state = runtime.provider.decideRedConfirmation(key, body.decision as 'confirm' | 'refuse' | 'lapse')
      if (state.state === 'not_found') throw new HttpError(404, 'COMMON.BAD_REQUEST', '找不到该红字确认单')
      return send(res, 200, { ok: true, ...state })
    }
    if (p === '/dev/api/provider/buyer' && method === 'POST') {
      const body = (await readBody(req)) as { decision?: unknown }
      if (!['wait', 'confirm', 'refuse'].includes(String(body.decision))) throw new HttpError(400, 'COMMON.BAD_REQUEST', 'decision: wait|confirm|refuse')
      runtime.provider.buyerDecision = body.decision as 'wait' | 'confirm' | 'refuse'
      return send(res, 200, { ok: true, buyerDecision: runtime.provider.buyerDecision })
    }
    if (p === '/dev/api/provider' && method === 'POST') {
      const body = (await readBody(req)) as { latencyMs?: unknown; failureRate?: unknown }
      if (body.latencyMs !== undefined) {
        if (typeof body.latencyMs !== 'number' || body.latencyMs < 0) throw new HttpError(400, 'COMMON.BAD_REQUEST', 'latencyMs: number >= 0')
        runtime.provider.latencyMs = body.latencyMs
      }
      if (body.failureRate !== undefined) {
        if (typeof body.failureRate !== 'number' || body.failureRate < 0 || body.failureRate > 1)
          throw new HttpError(400, 'COMMON.BAD_REQUEST', 'failureRate: 0..1')
        runtime.provider.failureRate = body.failureRate
      }
      return send(res, 200, { ok: true, latencyMs: runtime.provider.latencyMs, failureRate: runtime.provider.failureRate })
    }
    if (p === '/dev/api/mail/fail' && method === 'POST') {
      const body = (await readBody(req)) as { n?: unknown }
      smtp.failNext(typeof body.n === 'number' ? body.n : 1)
      return send(res, 200, { ok: true })
    }
    if (p === '/dev/api/clock' && method === 'POST') {
      const body = (await readBody(req)) as { offsetMs?: unknown }
      if (typeof body.offsetMs !== 'number' || !Number.isFinite(body.offsetMs)) throw new HttpError(400, 'COMMON.BAD_REQUEST', 'offsetMs: number')
      clockOffsetMs = body.offsetMs
      return send(res, 200, { ok: true, now: now().toISOString() })
    }

    if (method === 'GET') return serveStatic(res, p)
    throw new HttpError(404, 'COMMON.BAD_REQUEST', '不存在的地址')
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((e) => {
      if (res.headersSent) return res.destroy()
      // after a 413 the rest of the body is not read: the connection closes after the answer
      if (e instanceof HttpError)
        return send(res, e.status, { ok: false, error: { code: e.code, message: e.message } }, e.status === 413 ? { Connection: 'close' } : {})
      const requestId = crypto.randomUUID()
      log.error('local cloud error', { requestId, path: (req.url ?? '').split('?')[0], error: e instanceof Error ? e.message : String(e) })
      send(res, 500, { ok: false, error: { code: 'INTERNAL', message: '系统繁忙，请稍后重试', requestId } })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve)
  })
  const addr = server.address() as AddressInfo
  baseUrl = `http://${opts.host ?? '127.0.0.1'}:${addr.port}`

  return {
    url: baseUrl,
    runtime,
    smtp,
    invoke: (name, event, source, openid = null) => invoke(name, event, source, openid),
    async close() {
      timers.forEach(clearTimeout)
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      // a worker started by a payment may still be issuing: let it end before the database closes
      await runtime.invoker.idle()
      runtime.close()
      await smtp.close()
    },
  }
}
