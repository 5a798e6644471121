import crypto from 'node:crypto'
import type { OutgoingSms, SmsSender } from '../../ports/sms.port'

/**
 * Tencent Cloud SMS (短信 SendSms, API 3.0, version 2021-01-11) over HTTPS, signed with
 * TC3-HMAC-SHA256 (https://cloud.tencent.com/document/api/382/52071 "签名方法 v3"). No SDK: one
 * signed POST of JSON. The signature is tested against the documented example.
 */
export interface TencentSmsOptions {
  secretId: string
  secretKey: string
  /** SmsSdkAppId of the SMS application (console: 应用管理) */
  sdkAppId: string
  /** 短信签名内容, approved in the console (e.g. 武汉通) */
  signName: string
  region?: string
  host?: string
  /** injectable for tests; defaults to the global fetch */
  fetch?: typeof fetch
  now?: () => Date
  timeoutMs?: number
}

export const TENCENT_SMS_HOST = 'sms.tencentcloudapi.com'
const SERVICE = 'sms'
const VERSION = '2021-01-11'
const CONTENT_TYPE = 'application/json; charset=utf-8'

const sha256Hex = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex')
const hmac = (key: Buffer | string, msg: string) => crypto.createHmac('sha256', key).update(msg, 'utf8').digest()

export interface Tc3Input {
  secretId: string
  secretKey: string
  service: string
  host: string
  /** the exact body bytes sent */
  payload: string
  /** UNIX seconds, the X-TC-Timestamp header */
  timestamp: number
  /** extra signed headers beyond content-type and host (lower-case name -> value) */
  extraHeaders?: Record<string, string>
  contentType?: string
}

export interface Tc3Signature {
  hashedPayload: string
  canonicalRequest: string
  stringToSign: string
  signature: string
  authorization: string
}

/** TC3-HMAC-SHA256 for a POST to "/": canonical request, string to sign, derived key, Authorization. */
export function tc3Sign(i: Tc3Input): Tc3Signature {
  const headers: Record<string, string> = { 'content-type': i.contentType ?? CONTENT_TYPE, host: i.host, ...(i.extraHeaders ?? {}) }
  const names = Object.keys(headers)
    .map((n) => n.toLowerCase())
    .sort()
  const canonicalHeaders = names.map((n) => `${n}:${String(headers[n]).trim().toLowerCase()}\n`).join('')
  const signedHeaders = names.join(';')
  const hashedPayload = sha256Hex(i.payload)
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, hashedPayload].join('\n')
  // the credential date is the UTC date of the timestamp (not UTC+8: that fails at 00:00-08:00)
  const date = new Date(i.timestamp * 1000).toISOString().slice(0, 10)
  const scope = `${date}/${i.service}/tc3_request`
  const stringToSign = ['TC3-HMAC-SHA256', String(i.timestamp), scope, sha256Hex(canonicalRequest)].join('\n')
  const signing = hmac(hmac(hmac(`TC3${i.secretKey}`, date), i.service), 'tc3_request')
  const signature = crypto.createHmac('sha256', signing).update(stringToSign, 'utf8').digest('hex')
  const authorization = `TC3-HMAC-SHA256 Credential=${i.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
  return { hashedPayload, canonicalRequest, stringToSign, signature, authorization }
}

interface SendSmsAnswer {
  Response?: {
    Error?: { Code?: string; Message?: string }
    SendStatusSet?: { SerialNo?: string; Code?: string; Message?: string }[]
    RequestId?: string
  }
}

export class TencentSmsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`tencent sms ${code}: ${message}`)
  }
}

export function tencentSmsSender(opts: TencentSmsOptions): SmsSender {
  for (const k of ['secretId', 'secretKey', 'sdkAppId', 'signName'] as const) if (!opts[k]) throw new Error(`tencentSmsSender: ${k} is required`)
  const host = opts.host ?? TENCENT_SMS_HOST
  const region = opts.region ?? 'ap-guangzhou'
  const doFetch = opts.fetch ?? fetch
  const now = opts.now ?? (() => new Date())
  return {
    async send(sms: OutgoingSms) {
      if (!/^1\d{10}$/.test(sms.phone)) throw new TencentSmsError('InvalidParameterValue.IncorrectPhoneNumber', 'not an 11-digit mainland number')
      const payload = JSON.stringify({
        PhoneNumberSet: [`+86${sms.phone}`],
        SmsSdkAppId: opts.sdkAppId,
        SignName: opts.signName,
        TemplateId: sms.templateId,
        TemplateParamSet: sms.params,
      })
      const timestamp = Math.floor(now().getTime() / 1000)
      const signed = tc3Sign({ secretId: opts.secretId, secretKey: opts.secretKey, service: SERVICE, host, payload, timestamp })
      const res = await doFetch(`https://${host}/`, {
        method: 'POST',
        headers: {
          Authorization: signed.authorization,
          'Content-Type': CONTENT_TYPE,
          Host: host,
          'X-TC-Action': 'SendSms',
          'X-TC-Version': VERSION,
          'X-TC-Timestamp': String(timestamp),
          'X-TC-Region': region,
        },
        body: payload,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      })
      const body = (await res.json().catch(() => ({}))) as SendSmsAnswer
      const err = body.Response?.Error
      if (err) throw new TencentSmsError(err.Code ?? 'Unknown', err.Message ?? '')
      const status = body.Response?.SendStatusSet?.[0]
      if (!res.ok || !status) throw new TencentSmsError(`HTTP${res.status}`, 'no send status in the answer')
      if (status.Code !== 'Ok') throw new TencentSmsError(status.Code ?? 'Unknown', status.Message ?? '')
      return { messageId: status.SerialNo ?? body.Response?.RequestId ?? '' }
    },
  }
}
