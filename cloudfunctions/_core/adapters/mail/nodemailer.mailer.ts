import type { Transporter } from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport'
import type { Mailer, OutgoingMail } from '../../ports/mailer.port'
import { heavyLibs } from '../libs/heavy-libs.loader'
import { buildMime } from './mime'

export const DEFAULT_MAIL_FROM = '武汉通电子发票 <invoice@wuhantong.local>'

export interface SmtpMailerOptions {
  host: string
  port: number
  /** true: TLS from the first byte (port 465). false: plain, upgraded by STARTTLS when offered (587/25). */
  secure: boolean
  user?: string
  pass?: string
  /** the From header, e.g. 武汉通电子发票 <invoice@example.com> */
  from: string
  /** milliseconds; defaults keep a send well inside a cloud function's 60 s */
  connectionTimeoutMs?: number
  socketTimeoutMs?: number
}

export interface SmtpMailer extends Mailer {
  /** closes the transport's sockets (tests, shutdown) */
  close(): void
}

/**
 * Mailer over SMTP with nodemailer. The transport is made once and pooled: opening an SMTP
 * connection costs about 100 ms (measured on loopback), far more than sending a message on an
 * open one (about 2 ms), and a cloud function's container is reused between calls.
 * send() resolves only when the server accepted the message for every recipient, and throws
 * otherwise (4xx and 5xx answers, timeouts, refused connections) so the outbox retries.
 */
export function smtpMailer(opts: SmtpMailerOptions): SmtpMailer {
  if (!opts.host) throw new Error('smtpMailer: host is required')
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) throw new Error('smtpMailer: port must be 1-65535')
  if (!opts.from) throw new Error('smtpMailer: from is required')
  const transportOptions: SMTPTransport.Options = {
    host: opts.host,
    port: opts.port,
    secure: opts.secure,
    auth: opts.user ? { user: opts.user, pass: opts.pass ?? '' } : undefined,
    connectionTimeout: opts.connectionTimeoutMs ?? 10_000,
    greetingTimeout: opts.connectionTimeoutMs ?? 10_000,
    socketTimeout: opts.socketTimeoutMs ?? 30_000,
    // content comes only as Buffers we built: never let a field be read as a path or a URL
    disableFileAccess: true,
    disableUrlAccess: true,
  }
  // nodemailer is loaded on the first send, not when the function starts (heavy-libs.loader.ts)
  let pooled: Transporter<SMTPTransport.SentMessageInfo> | null = null
  const transport = () =>
    (pooled ??= heavyLibs().nodemailer.createTransport({ ...transportOptions, pool: true, maxConnections: 2, maxMessages: 500 } as SMTPTransport.Options))
  return {
    async send(mail: OutgoingMail) {
      if (!mail.to) throw new Error('smtpMailer: no recipient')
      // The message is composed by buildMime (native base64, one pass); nodemailer relays it.
      const mime = buildMime(mail, opts.from)
      const info = await transport().sendMail({ envelope: { from: mime.from, to: [mime.to] }, raw: mime.raw })
      if (info.rejected.length > 0 || info.accepted.length === 0) {
        throw new Error(`smtpMailer: recipient rejected (${info.response})`)
      }
      return { messageId: mime.messageId }
    },
    close: () => pooled?.close(),
  }
}

/**
 * SMTP settings from the environment, or null when SMTP_HOST is not set (the wiring then
 * chooses: the local capture server locally, a configuration error in WeChat cloud).
 *   SMTP_HOST, SMTP_PORT (default 465 when secure, else 587), SMTP_SECURE (true/false,
 *   default true when the port is 465), SMTP_USER, SMTP_PASS, MAIL_FROM.
 */
export function mailConfigFromEnv(env: Record<string, string | undefined>): SmtpMailerOptions | null {
  const host = (env.SMTP_HOST ?? '').trim()
  if (!host) return null
  const rawSecure = (env.SMTP_SECURE ?? '').trim().toLowerCase()
  const rawPort = (env.SMTP_PORT ?? '').trim()
  if (rawSecure && !['true', 'false', '1', '0', 'yes', 'no'].includes(rawSecure)) throw new Error('config SMTP_SECURE must be true or false')
  let secure = ['true', '1', 'yes'].includes(rawSecure)
  const port = rawPort ? Number(rawPort) : secure ? 465 : 587
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('config SMTP_PORT must be a port number')
  if (!rawSecure && port === 465) secure = true
  const from = (env.MAIL_FROM ?? '').trim() || DEFAULT_MAIL_FROM
  if (!/@[^@\s>]+\.?[^@\s>]*>?\s*$/.test(from)) throw new Error('config MAIL_FROM must contain an e-mail address')
  const user = (env.SMTP_USER ?? '').trim()
  return {
    host,
    port,
    secure,
    user: user || undefined,
    pass: user ? (env.SMTP_PASS ?? '') : undefined,
    from,
  }
}
