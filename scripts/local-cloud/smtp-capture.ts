import crypto from 'node:crypto'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser'
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server'

/**
 * The local cloud's mailbox: an SMTP server that accepts every message (any sender, any
 * recipient, any or no login, no TLS) and keeps it on disk instead of delivering it, so the
 * mailer is exercised over real SMTP and what people would receive can be read on /dev/mail.
 *
 * Layout under dir, one pair per message, written so a crash never leaves a half entry:
 *   <id>.eml   the message exactly as received (after SMTP dot-unstuffing)
 *   <id>.json  its index: CapturedMail (the attachments' bytes stay in the .eml)
 * Ids sort by arrival time; captured mail survives a restart of the local cloud.
 */

export interface CapturedAttachment {
  filename: string | null
  contentType: string
  size: number
  sha256: string
}

export interface CapturedMail {
  id: string
  messageId: string | null
  from: string
  /** addresses of the To header, lower-cased */
  to: string[]
  /** RCPT TO of the SMTP envelope, lower-cased (includes Bcc) */
  envelopeTo: string[]
  subject: string
  /** the Date header, else the arrival time (ISO 8601) */
  date: string
  receivedAt: string
  text: string
  html: string | null
  size: number
  attachments: CapturedAttachment[]
}

export interface MailFilter {
  /** an address among To or the envelope recipients (case-insensitive) */
  to?: string
  /** only mail received at or after this moment */
  since?: Date
  limit?: number
}

export interface SmtpCaptureOptions {
  dir: string
  host?: string
  port?: number
  /** bytes; larger messages are refused with 552 (default 20 MB) */
  maxSize?: number
}

export interface SmtpCapture {
  host: string
  port: number
  /** newest first */
  list(filter?: MailFilter): CapturedMail[]
  get(id: string): CapturedMail | null
  /** the raw message, for download as .eml */
  raw(id: string): Buffer | null
  /** an attachment's bytes, by its position in CapturedMail.attachments */
  getAttachment(id: string, index: number): Promise<{ filename: string | null; contentType: string; content: Buffer } | null>
  /** resolves with the oldest captured message that matches, else the next one to arrive (use since to skip old mail) */
  waitFor(filter: MailFilter, timeoutMs?: number): Promise<CapturedMail>
  /** test hook: the next n messages are answered with a temporary failure (451 by default) */
  failNext(n?: number, code?: number): void
  /** forgets and deletes every captured message */
  clear(): void
  close(): Promise<void>
}

const ID = /^\d{17}-[0-9a-f]{8}$/
const DEFAULT_MAX_SIZE = 20 * 1024 * 1024

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.flatMap((v) => (v.address ? [v.address.toLowerCase()] : [])))

function newId(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}${p(now.getUTCMilliseconds(), 3)}`
  return `${stamp}-${crypto.randomBytes(4).toString('hex')}`
}

function writeAtomic(file: string, content: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, content)
  fs.renameSync(tmp, file)
}

function indexOf(id: string, parsed: ParsedMail, session: SMTPServerSession, size: number, receivedAt: Date): CapturedMail {
  return {
    id,
    messageId: parsed.messageId ?? null,
    from: parsed.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
    to: addresses(parsed.to),
    envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
    subject: parsed.subject ?? '',
    date: (parsed.date ?? receivedAt).toISOString(),
    receivedAt: receivedAt.toISOString(),
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    size,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? null,
      contentType: a.contentType,
      size: a.content.length,
      sha256: crypto.createHash('sha256').update(a.content).digest('hex'),
    })),
  }
}

const matches = (m: CapturedMail, f: MailFilter) => {
  if (f.since && Date.parse(m.receivedAt) < f.since.getTime()) return false
  if (!f.to) return true
  const to = f.to.trim().toLowerCase()
  return m.to.includes(to) || m.envelopeTo.includes(to)
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code })

export async function startSmtpCapture(opts: SmtpCaptureOptions): Promise<SmtpCapture> {
  const dir = path.resolve(opts.dir)
  fs.mkdirSync(dir, { recursive: true })
  const maxSize = opts.maxSize ?? DEFAULT_MAX_SIZE

  // What an earlier run captured. Oldest first in memory; list() reverses.
  const mails: CapturedMail[] = []
  for (const name of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const id = name.slice(0, -'.json'.length)
    if (!ID.test(id) || !fs.existsSync(path.join(dir, `${id}.eml`))) continue
    try {
      mails.push(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as CapturedMail)
    } catch {
      // an unreadable index is skipped, not fatal: the .eml is still there to look at
    }
  }

  const failures: number[] = []
  const waiters = new Set<{ filter: MailFilter; resolve: (m: CapturedMail) => void }>()

  const store = async (raw: Buffer, session: SMTPServerSession): Promise<CapturedMail> => {
    const parsed = await simpleParser(raw)
    const receivedAt = new Date()
    const id = newId(receivedAt)
    const mail = indexOf(id, parsed, session, raw.length, receivedAt)
    writeAtomic(path.join(dir, `${id}.eml`), raw)
    writeAtomic(path.join(dir, `${id}.json`), JSON.stringify(mail, null, 2))
    mails.push(mail)
    for (const w of [...waiters]) {
      if (matches(mail, w.filter)) {
        waiters.delete(w)
        w.resolve(mail)
      }
    }
    return mail
  }

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    size: maxSize,
    logger: false,
    banner: 'local cloud mail capture',
    closeTimeout: 1000,
    // any login is accepted: the mailer's SMTP_USER/SMTP_PASS path is exercised, nothing guarded
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'local' }),
    onData: (stream: SMTPServerDataStream, session, callback) => {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('error', (e) => callback(e))
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, `Message exceeds the size limit of ${maxSize} bytes`))
        const forced = failures.shift()
        if (forced !== undefined) return callback(smtpError(forced, 'Temporary local failure, try again later (test hook)'))
        store(Buffer.concat(chunks), session).then(
          (m) => callback(null, `Ok: captured as ${m.id}`),
          (e: unknown) => callback(smtpError(451, `Could not store the message: ${e instanceof Error ? e.message : String(e)}`)),
        )
      })
    },
  })

  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  // a client dropping mid-session is the client's problem, not a crash of the local cloud
  server.on('error', () => undefined)
  const port = (server.server.address() as AddressInfo).port

  const get = (id: string) => (ID.test(id) ? (mails.find((m) => m.id === id) ?? null) : null)
  const raw = (id: string) => {
    if (!get(id)) return null
    try {
      return fs.readFileSync(path.join(dir, `${id}.eml`))
    } catch {
      return null
    }
  }

  return {
    host,
    port,
    list(filter = {}) {
      const limit = Math.min(Math.max(filter.limit ?? 200, 1), 1000)
      const out: CapturedMail[] = []
      for (let i = mails.length - 1; i >= 0 && out.length < limit; i--) if (matches(mails[i], filter)) out.push(mails[i])
      return out
    },
    get,
    raw,
    async getAttachment(id, index) {
      const bytes = raw(id)
      if (!bytes || !Number.isInteger(index) || index < 0) return null
      const a = (await simpleParser(bytes)).attachments[index]
      return a ? { filename: a.filename ?? null, contentType: a.contentType, content: a.content } : null
    },
    waitFor(filter, timeoutMs = 5000) {
      const found = mails.find((m) => matches(m, filter))
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const w = {
          filter,
          resolve: (m: CapturedMail) => {
            clearTimeout(timer)
            resolve(m)
          },
        }
        const timer = setTimeout(() => {
          waiters.delete(w)
          reject(new Error(`no mail${filter.to ? ` to ${filter.to}` : ''} within ${timeoutMs} ms`))
        }, timeoutMs)
        waiters.add(w)
      })
    },
    failNext(n = 1, code = 451) {
      if (code < 400 || code > 599) throw new Error('failNext: code must be a 4xx or 5xx SMTP reply')
      for (let i = 0; i < n; i++) failures.push(code)
    },
    clear() {
      for (const m of mails.splice(0)) {
        for (const ext of ['.json', '.eml']) fs.rmSync(path.join(dir, m.id + ext), { force: true })
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
