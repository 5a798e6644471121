/** A text message to one mainland mobile number (11 digits, no +86). */
export interface OutgoingSms {
  phone: string
  /** the template's parameters in order (Tencent Cloud SMS sends templates, not free text) */
  templateId: string
  params: string[]
  /** the whole text as the person reads it (the local capture shows it; logs never do) */
  text: string
}

/** Sends one SMS. Throws on failure (the caller records it; nothing is retried blindly). */
export interface SmsSender {
  send(sms: OutgoingSms): Promise<{ messageId: string }>
}

/** A person's opted-in phone for SMS notices (verified: WeChat getPhoneNumber or a typed code). */
export interface SmsContact {
  openid: string
  phone: string
  optIn: boolean
  via: 'wechat' | 'code'
  verifiedAt: string
  updatedAt: string
}

/** A verification code for a typed number: only its hash is kept. */
export interface SmsCode {
  openid: string
  phone: string
  codeHash: string
  expiresAt: string
  attempts: number
  sendsInWindow: number
  windowStart: string
  lastSentAt: string
}

/** One SMS notice; id is its never-twice key (issued:<invoice>, reminder:<key>). */
export interface SmsOutboxItem {
  id: string
  openid: string
  phone: string
  text: string
  status: 'claimed' | 'sent' | 'failed'
  lastError: string | null
  createdAt: string
  sentAt: string | null
}

export interface SmsRepo {
  getContact(openid: string): Promise<SmsContact | null>
  saveContact(c: SmsContact): Promise<void>
  removeContact(openid: string): Promise<void>
  getCode(openid: string): Promise<SmsCode | null>
  saveCode(c: SmsCode): Promise<void>
  /** conditional: counts one wrong attempt only while it is still `attempts` (no race past the cap) */
  bumpAttempts(openid: string, attempts: number): Promise<boolean>
  removeCode(openid: string): Promise<void>
  /** insert under the unique id: true for the one caller that claimed it */
  claim(item: SmsOutboxItem): Promise<boolean>
  finish(id: string, status: 'sent' | 'failed', at: string, error: string | null): Promise<void>
  findOutbox(id: string): Promise<SmsOutboxItem | null>
}

/** Exchanges the code of <button open-type="getPhoneNumber"> for the number (phonenumber.getPhoneNumber). */
export interface PhoneNumberPort {
  exchange(code: string): Promise<string>
}
