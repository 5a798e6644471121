import crypto from 'node:crypto'
import type { SmsSettingsView } from '../../../types/domain'
import { DomainError } from '../domain/errors'
import { CODE_MAX_ATTEMPTS, CODE_TTL_MINUTES, codeText, isSixDigitCode, issuedSmsText, nextCodeWindow, parsePhone } from '../domain/sms'
import { maskPhone } from '../domain/staff'
import type { StoredInvoice } from '../ports/invoice.repo'
import type { Deps } from '../runtime/deps'

/**
 * The SMS channel for people without e-mail (issue 9): opt-in with a verified phone (WeChat's
 * getPhoneNumber in the mini-program, a typed number and a 6-digit code in H5), and the notices
 * that go by SMS, each at most once under its key. The phone is masked in every answer and log.
 */

const codeHash = (openid: string, phone: string, code: string) => crypto.createHash('sha256').update(`wt-sms:${openid}:${phone}:${code}`).digest('hex')

/** constant-time comparison of two hex digests */
const sameHash = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b))

function requireSms(deps: Deps) {
  if (!deps.sms) throw new DomainError('SMS.UNAVAILABLE', '短信通知暂未开通，请使用邮箱接收发票')
  return deps.sms
}

export async function smsSettings(deps: Deps, openid: string): Promise<SmsSettingsView> {
  const c = await deps.smsRepo.getContact(openid)
  return {
    available: deps.sms !== null,
    phoneMasked: c ? maskPhone(c.phone) : null,
    optIn: c?.optIn ?? false,
    via: c?.via ?? null,
  }
}

/** H5: sends a 6-digit code to the typed number (one a minute, five a day; the hash only is kept). */
export async function sendSmsCode(deps: Deps, openid: string, rawPhone: unknown): Promise<{ sentTo: string; expiresInSeconds: number }> {
  const sms = requireSms(deps)
  const phone = parsePhone(rawPhone)
  const now = deps.clock.now()
  const prev = await deps.smsRepo.getCode(openid)
  const window = nextCodeWindow(prev, now)
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0')
  await deps.smsRepo.saveCode({
    openid,
    phone,
    codeHash: codeHash(openid, phone, code),
    expiresAt: new Date(now.getTime() + CODE_TTL_MINUTES * 60_000).toISOString(),
    attempts: 0,
    ...window,
    lastSentAt: now.toISOString(),
  })
  try {
    await sms.send({ phone, templateId: deps.config.sms.templates.code, params: [code, String(CODE_TTL_MINUTES)], text: codeText(code) })
  } catch (e) {
    deps.log.warn('sms code not sent', { phone: maskPhone(phone), error: e instanceof Error ? e.message : String(e) })
    throw new DomainError('SMS.UNAVAILABLE', '验证码发送失败，请稍后再试')
  }
  deps.log.info('sms code sent', { phone: maskPhone(phone) })
  return { sentTo: maskPhone(phone) ?? '', expiresInSeconds: CODE_TTL_MINUTES * 60 }
}

/** H5: checks the code for that number and opts the person in. Wrong codes count; the fifth voids it. */
export async function verifySmsCode(deps: Deps, openid: string, rawPhone: unknown, code: unknown): Promise<SmsSettingsView> {
  requireSms(deps)
  const phone = parsePhone(rawPhone)
  if (!isSixDigitCode(code)) throw new DomainError('SMS.CODE_INVALID', '请输入短信中的 6 位验证码')
  const now = deps.clock.now()
  const stored = await deps.smsRepo.getCode(openid)
  if (!stored || stored.phone !== phone) throw new DomainError('SMS.CODE_INVALID', '请先获取验证码')
  if (now.getTime() > Date.parse(stored.expiresAt) || stored.attempts >= CODE_MAX_ATTEMPTS) {
    throw new DomainError('SMS.CODE_EXPIRED', '验证码已失效，请重新获取')
  }
  if (!sameHash(stored.codeHash, codeHash(openid, phone, code))) {
    // counted conditionally: two wrong guesses at once cannot both pass the cap
    await deps.smsRepo.bumpAttempts(openid, stored.attempts)
    const left = CODE_MAX_ATTEMPTS - stored.attempts - 1
    throw new DomainError('SMS.CODE_INVALID', left > 0 ? `验证码不正确，还可再试 ${left} 次` : '验证码不正确，请重新获取')
  }
  await deps.smsRepo.removeCode(openid)
  return optIn(deps, openid, phone, 'code')
}

/** Mini-program: the code of <button open-type="getPhoneNumber"> exchanged on the server for the number. */
export async function bindWechatPhone(deps: Deps, openid: string, code: string): Promise<SmsSettingsView> {
  requireSms(deps)
  let phone: string
  try {
    phone = parsePhone(await deps.phone.exchange(code))
  } catch (e) {
    if (e instanceof DomainError) throw e
    deps.log.warn('getPhoneNumber exchange failed', { error: e instanceof Error ? e.message : String(e) })
    throw new DomainError('SMS.UNAVAILABLE', '暂时无法获取手机号，请稍后再试')
  }
  return optIn(deps, openid, phone, 'wechat')
}

async function optIn(deps: Deps, openid: string, phone: string, via: 'wechat' | 'code'): Promise<SmsSettingsView> {
  const at = deps.clock.now().toISOString()
  await deps.smsRepo.saveContact({ openid, phone, optIn: true, via, verifiedAt: at, updatedAt: at })
  deps.log.info('sms opt-in', { phone: maskPhone(phone), via })
  return smsSettings(deps, openid)
}

/** Turns SMS notices off and forgets the number (nothing kept that is not used). */
export async function smsOptOut(deps: Deps, openid: string): Promise<SmsSettingsView> {
  await deps.smsRepo.removeContact(openid)
  await deps.smsRepo.removeCode(openid)
  return smsSettings(deps, openid)
}

export interface SmsNotice {
  /** the never-twice key: issued:<invoice>, reminder:<key> */
  key: string
  openid: string
  templateId: string
  params: string[]
  text: string
}

/**
 * Sends one SMS notice to an opted-in person, at most once per key: the outbox row is claimed
 * (unique id) before the send, so a retry or a second worker finds it and sends nothing. A send
 * that fails stays 'failed' (visible to staff) and is not retried: a late duplicate SMS is worse
 * than a missing one, the app and the subscribe message carry the same news. Never throws.
 */
export async function sendSmsNotice(deps: Deps, n: SmsNotice): Promise<'sent' | 'already' | 'skipped' | 'failed'> {
  try {
    if (!deps.sms) return 'skipped'
    const contact = await deps.smsRepo.getContact(n.openid)
    if (!contact?.optIn) return 'skipped'
    const at = deps.clock.now().toISOString()
    const claimed = await deps.smsRepo.claim({
      id: n.key,
      openid: n.openid,
      phone: contact.phone,
      text: n.text,
      status: 'claimed',
      lastError: null,
      createdAt: at,
      sentAt: null,
    })
    if (!claimed) return 'already'
    try {
      await deps.sms.send({ phone: contact.phone, templateId: n.templateId, params: n.params, text: n.text })
      await deps.smsRepo.finish(n.key, 'sent', deps.clock.now().toISOString(), null)
      deps.log.info('sms notice sent', { key: n.key.split(':')[0], phone: maskPhone(contact.phone) })
      return 'sent'
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 300)
      await deps.smsRepo.finish(n.key, 'failed', deps.clock.now().toISOString(), error)
      deps.log.warn('sms notice failed', { key: n.key.split(':')[0], phone: maskPhone(contact.phone), error })
      return 'failed'
    }
  } catch (e) {
    deps.log.error('sms notice not sent', { key: n.key.split(':')[0], error: e instanceof Error ? e.message : String(e) })
    return 'failed'
  }
}

/** The invoice-issued SMS: only to people who opted in and have no e-mail for this invoice; once per invoice. */
export async function notifyIssuedBySms(deps: Deps, inv: StoredInvoice): Promise<void> {
  if (inv.status !== 'issued' || !inv.invoiceNo || inv.color === 'red') return
  if (inv.email) return
  // SMS off in this environment: no settings read on every issued invoice (docs/capacity.md counts it)
  if (!deps.sms) return
  const settings = await deps.settings.get(inv.openid).catch(() => null)
  if (settings?.defaultEmail) return
  const amount = `¥${(inv.amountFen / 100).toFixed(2)}`
  await sendSmsNotice(deps, {
    key: `issued:${inv.id}`,
    openid: inv.openid,
    templateId: deps.config.sms.templates.invoiceIssued,
    params: [inv.invoiceNo, amount],
    text: issuedSmsText(inv.invoiceNo, inv.amountFen),
  })
}
