import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { OutgoingSms, PhoneNumberPort, SmsSender } from '../../ports/sms.port'

export interface CapturedSms {
  id: string
  at: string
  phone: string
  templateId: string
  params: string[]
  text: string
}

/**
 * The local cloud's SMS "gateway": every message is appended to <dir>/sms.jsonl and shown on
 * /dev/sms (like /dev/mail for e-mail). failNext(n) makes the next n sends fail, for tests.
 */
export class CaptureSms implements SmsSender {
  private readonly file: string
  private failures = 0
  constructor(
    dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    fs.mkdirSync(dir, { recursive: true })
    this.file = path.join(dir, 'sms.jsonl')
  }

  async send(sms: OutgoingSms): Promise<{ messageId: string }> {
    if (this.failures > 0) {
      this.failures--
      throw new Error('capture sms: failing on purpose (failNext)')
    }
    if (!/^1\d{10}$/.test(sms.phone)) throw new Error('capture sms: not an 11-digit mainland number')
    const rec: CapturedSms = { id: crypto.randomUUID(), at: this.now().toISOString(), ...sms }
    fs.appendFileSync(this.file, JSON.stringify(rec) + '\n')
    return { messageId: rec.id }
  }

  failNext(n = 1): void {
    this.failures = n
  }

  /** newest first; `phone` filters */
  list(opts: { phone?: string; limit?: number } = {}): CapturedSms[] {
    if (!fs.existsSync(this.file)) return []
    const all = fs
      .readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as CapturedSms)
      .filter((m) => !opts.phone || m.phone === opts.phone)
      .reverse()
    return all.slice(0, opts.limit ?? 200)
  }
}

/**
 * Stand-in for WeChat's phonenumber.getPhoneNumber in the local cloud: the "code" is
 * `sandbox-<11 digits>` (what a test or the dev page hands over); anything else is refused as
 * WeChat refuses a stale or forged code.
 */
export const sandboxPhoneNumbers: PhoneNumberPort = {
  async exchange(code: string) {
    const m = /^sandbox-(1\d{10})$/.exec(code)
    if (!m) throw new Error('sandbox getPhoneNumber: invalid code (40029)')
    return m[1]
  },
}
