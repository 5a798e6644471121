import fs from 'node:fs'
import path from 'node:path'
import type { Logger } from '../ports/runtime.port'

/**
 * Masks personal data before anything reaches a log line (PIPL): taxpayer IDs, phone
 * numbers, e-mails and card numbers inside any string value, and whole values of keys that
 * name them.
 */
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g
const PHONE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g
const LONG_DIGITS = /(?<![0-9A-Z])(\d{4})\d{6,}(\d{4})(?![0-9A-Z])/g
const TAX_ID = /(?<![0-9A-Z])([0-9A-Z]{4})[0-9A-Z]{7,12}([0-9A-Z]{4})(?![0-9A-Z])/g

export function maskText(s: string): string {
  return s
    .replace(EMAIL, '$1***@$2')
    .replace(PHONE, '$1****$2')
    .replace(LONG_DIGITS, '$1********$2')
    .replace(TAX_ID, (m, a: string, b: string) => (/[A-Z]/.test(m) && /\d/.test(m) ? `${a}********${b}` : m))
}

const SENSITIVE_KEYS = /^(openid|subOpenid|token|authorization|email|phone|telephone|taxNumber|taxId|bankAccount)$/i

export function maskFields(v: unknown, depth = 0): unknown {
  if (depth > 4) return '[…]'
  if (typeof v === 'string') return maskText(v)
  if (Array.isArray(v)) return v.slice(0, 20).map((x) => maskFields(x, depth + 1))
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, val] of Object.entries(v)) {
      if (SENSITIVE_KEYS.test(k) && typeof val === 'string') out[k] = val.length > 6 ? `${val.slice(0, 3)}***${val.slice(-2)}` : '***'
      else out[k] = maskFields(val, depth + 1)
    }
    return out
  }
  return v
}

/**
 * Where log lines go by default: standard output (what WeChat cloud's log console reads), or the
 * file named by LOG_FILE when set (the test run sets it so the platform's lines do not mix with
 * the test runner's output; read at each line so a process can set it after start).
 */
export const defaultSink = (line: string): void => {
  const file = process.env.LOG_FILE
  if (!file) {
    process.stdout.write(line + '\n')
    return
  }
  try {
    fs.appendFileSync(file, line + '\n')
  } catch {
    // A log line must never fail the work it reports on: recreate the folder once, else stdout.
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.appendFileSync(file, line + '\n')
    } catch {
      process.stdout.write(line + '\n')
    }
  }
}

export function jsonLogger(sink: (line: string) => void = defaultSink, base: Record<string, unknown> = {}): Logger {
  const write = (level: string, msg: string, fields?: Record<string, unknown>) =>
    sink(JSON.stringify({ level, msg, ...(maskFields({ ...base, ...fields }) as object), at: new Date().toISOString() }))
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  }
}
