import { DomainError } from './errors'

/**
 * The SMS channel's rules, pure: what a mainland mobile number is, how long a verification
 * code lives, how often one may be sent and tried, and the texts (short, no link: SMS links
 * are what fraud messages look like, and shorteners hide where they go).
 */

/** a verification code is valid this long */
export const CODE_TTL_MINUTES = 10
/** at most one code per person this often */
export const CODE_RESEND_SECONDS = 60
/** at most this many codes per person per rolling day */
export const CODE_MAX_SENDS_PER_DAY = 5
/** wrong entries before the code is void */
export const CODE_MAX_ATTEMPTS = 5

/** 11 digits, 1 then 3-9: the mainland mobile numbers SMS reaches. Spaces, dashes and +86 are accepted and dropped. */
export function parsePhone(raw: unknown): string {
  const s = typeof raw === 'string' ? raw.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '') : ''
  if (!/^1[3-9]\d{9}$/.test(s)) throw new DomainError('SMS.PHONE_INVALID', '请输入 11 位手机号码')
  return s
}

export const isSixDigitCode = (raw: unknown): raw is string => typeof raw === 'string' && /^\d{6}$/.test(raw)

export interface CodeState {
  sendsInWindow: number
  windowStart: string
  lastSentAt: string
}

/**
 * May another code be sent now? Throws SMS.TOO_MANY with how long to wait. Returns the window
 * to store with the new code (a rolling day from the first send of the window).
 */
export function nextCodeWindow(prev: CodeState | null, now: Date): { sendsInWindow: number; windowStart: string } {
  if (!prev) return { sendsInWindow: 1, windowStart: now.toISOString() }
  const sinceLast = (now.getTime() - Date.parse(prev.lastSentAt)) / 1000
  if (sinceLast < CODE_RESEND_SECONDS) {
    throw new DomainError('SMS.TOO_MANY', `验证码已发送，请 ${Math.ceil(CODE_RESEND_SECONDS - sinceLast)} 秒后再试`)
  }
  const windowOver = now.getTime() - Date.parse(prev.windowStart) >= 24 * 3600_000
  if (windowOver) return { sendsInWindow: 1, windowStart: now.toISOString() }
  if (prev.sendsInWindow >= CODE_MAX_SENDS_PER_DAY) {
    throw new DomainError('SMS.TOO_MANY', `今天获取验证码的次数已用完（每天 ${CODE_MAX_SENDS_PER_DAY} 次），请明天再试`)
  }
  return { sendsInWindow: prev.sendsInWindow + 1, windowStart: prev.windowStart }
}

export function codeText(code: string): string {
  return `【武汉通】您的验证码是 ${code}，${CODE_TTL_MINUTES} 分钟内有效。用于开通发票短信通知，请勿告诉他人。`
}

/** The invoice-issued notice: the number and the amount, where to find it; no link. */
export function issuedSmsText(invoiceNo: string, amountFen: number): string {
  return `【武汉通】您的充值发票已开具，发票号码 ${invoiceNo}，金额 ¥${(amountFen / 100).toFixed(2)}。可在「武汉通充值」小程序「发票」中查看和下载。`
}

/** The reminder: how many top-ups, how many days left; no link. */
export function reminderSmsText(count: number, daysLeft: number): string {
  return `【武汉通】您有 ${count} 笔充值还未开发票，最早一笔 ${daysLeft} 天后超过开票期限，请在「武汉通充值」小程序「发票」中开票。`
}
