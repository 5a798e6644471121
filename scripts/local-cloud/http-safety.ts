import type http from 'node:http'

/**
 * The local cloud's defences against malformed requests, kept apart from its routes: every
 * failure here is an HttpError the server answers with the documented envelope
 * `{ ok: false, error: { code, message } }` and a 4xx status, never a 500 or a reset.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Request bodies past this many bytes are answered 413. */
export const MAX_BODY = 64 * 1024
/** Past this much the rest of an oversized body is no longer read: the answer goes out and the connection closes. */
const MAX_DISCARD = 16 * MAX_BODY

/**
 * A JSON object body (an empty body reads as {}). Over MAX_BODY the rest is read and dropped, so
 * the client gets its 413 answer instead of a reset connection; not JSON, or JSON that is not an
 * object (null, an array, a number), is 400.
 */
export function readJsonObject(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const fail = (e: HttpError) => {
      if (settled) return
      settled = true
      reject(e)
    }
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY) chunks.push(c)
      else if (size > MAX_DISCARD) {
        // a client that keeps sending: answer now (the server closes the connection after it)
        req.pause()
        fail(new HttpError(413, 'COMMON.BAD_REQUEST', '请求内容过大'))
      }
    })
    req.on('end', () => {
      if (settled) return
      if (size > MAX_BODY) return fail(new HttpError(413, 'COMMON.BAD_REQUEST', '请求内容过大'))
      if (size === 0) {
        settled = true
        return resolve({})
      }
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        return fail(new HttpError(400, 'COMMON.BAD_REQUEST', '请求不是合法的 JSON'))
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return fail(new HttpError(400, 'COMMON.BAD_REQUEST', '请求应为 JSON 对象'))
      settled = true
      resolve(body as Record<string, unknown>)
    })
    req.on('error', () => fail(new HttpError(400, 'COMMON.BAD_REQUEST', '请求未完整送达')))
  })
}

/** decodeURIComponent that answers 400 for a bad percent-encoding (`%E0%A4%A`) instead of throwing URIError. */
export function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    throw new HttpError(400, 'COMMON.BAD_REQUEST', '地址编码不正确')
  }
}

/**
 * The request's URL, parsed against a fixed origin so that `//other.host/x` stays a path here.
 * A request target that is not a path (absolute-form, `*`) or does not parse is 400.
 */
export function requestUrl(req: http.IncomingMessage): URL {
  const target = req.url ?? '/'
  if (!target.startsWith('/')) throw new HttpError(400, 'COMMON.BAD_REQUEST', '请求地址不正确')
  try {
    return new URL(`http://local${target}`)
  } catch {
    throw new HttpError(400, 'COMMON.BAD_REQUEST', '请求地址不正确')
  }
}

/**
 * A path on this server: one leading slash, then no slash or backslash (`//x`, `/\x` leave the
 * host) and no control characters or whitespace anywhere (browsers drop tabs and newlines, which
 * would turn `/\t/x` into `//x`).
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const LOCAL_PATH = /^\/(?![/\\])[^\\\u0000-\u0020\u007f]*$/
export const isLocalPath = (s: string) => LOCAL_PATH.test(s)

/**
 * Where a dev page may send the browser back to: a local path, or an absolute URL of this very
 * server (older H5 builds send `location.href`), reduced to its path; anything else is '/'.
 */
export function localReturn(ret: string | null, ownOrigin: string): string {
  if (!ret) return '/'
  if (isLocalPath(ret)) return ret
  try {
    const u = new URL(ret)
    const local = u.pathname + u.search + u.hash
    return u.origin === new URL(ownOrigin).origin && isLocalPath(local) ? local : '/'
  } catch {
    return '/'
  }
}

/** Whether an address the server listens on is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
  return (
    h === 'localhost' ||
    h === '::1' ||
    (h.startsWith('127.') && h.split('.').length === 4 && h.split('.').every((x) => /^\d{1,3}$/.test(x))) ||
    h === '::ffff:127.0.0.1'
  )
}
