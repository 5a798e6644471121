import crypto from 'node:crypto'

/**
 * X-Nuonuo-Sign, the request signature of 诺诺开放平台: base64(HMAC-SHA1(appSecret, S)) over
 *
 *   S = a=<path[3]>&l=<path[2]>&p=<path[1]>&k=<appKey>&i=<senid>&n=<nonce>&t=<timestamp>&f=<body>
 *
 * where path is the gateway URL's path split on "/" (/open/v1/services gives a=services, l=v1,
 * p=open) and f is the exact JSON body sent, byte for byte. Followed from the public SDKs:
 * ZUOXIANGE/NuoNuoSdk (NuoNuoSdk.cs GetSign, HmacSha1WithBase64), axolo/node-nuonuo (getSign)
 * and the Go/Odoo clients built on the same documentation. senid, nonce, timestamp and appkey
 * travel as query parameters; accessToken, userTax and method as headers.
 */
export interface SignInput {
  /** the gateway URL's path, e.g. /open/v1/services */
  path: string
  appKey: string
  appSecret: string
  senid: string
  nonce: string
  timestamp: string
  body: string
}

export function signString(i: Omit<SignInput, 'appSecret'>): string {
  const pieces = i.path.split('/')
  if (pieces.length < 4) throw new Error(`nuonuo gateway path must have three segments (/open/v1/services), got ${i.path}`)
  return `a=${pieces[3]}&l=${pieces[2]}&p=${pieces[1]}&k=${i.appKey}&i=${i.senid}&n=${i.nonce}&t=${i.timestamp}&f=${i.body}`
}

export function nuonuoSign(i: SignInput): string {
  return crypto.createHmac('sha1', i.appSecret).update(signString(i), 'utf8').digest('base64')
}

/** Constant-time comparison of two signatures (the stub's check). */
export function sameSign(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}

/** senid: 32 random hex characters; nonce: an 8-digit positive integer (no leading zero). */
export function requestNonces(random: (n: number) => Buffer = crypto.randomBytes): { senid: string; nonce: string } {
  const senid = random(16).toString('hex')
  const nonce = String(10_000_000 + (random(4).readUInt32BE(0) % 90_000_000))
  return { senid, nonce }
}
