import { execFileSync } from 'node:child_process'
import { nuonuoSign, requestNonces, signString } from '../../../cloudfunctions/_core/adapters/nuonuo/nuonuo.sign'

describe('X-Nuonuo-Sign', () => {
  const input = {
    path: '/open/v1/services',
    appKey: 'SD63236305',
    appSecret: 'SDDED2523BED4643',
    senid: '0123456789abcdef0123456789abcdef',
    nonce: '12345678',
    timestamp: '1767225600',
    body: '{"order":{"buyerName":"王𪚥","orderNo":"ABC"}}',
  }

  it('signs the documented string: a/l/p from the gateway path, then appKey, senid, nonce, timestamp and the exact body', () => {
    expect(signString(input)).toBe(
      'a=services&l=v1&p=open&k=SD63236305&i=0123456789abcdef0123456789abcdef&n=12345678&t=1767225600&f={"order":{"buyerName":"王𪚥","orderNo":"ABC"}}',
    )
  })

  it('is base64 HMAC-SHA1 with the app secret, as openssl computes it', () => {
    const expected = execFileSync('sh', ['-c', 'printf "%s" "$S" | openssl dgst -sha1 -hmac "$K" -binary | base64'], {
      env: { ...process.env, S: signString(input), K: input.appSecret },
    })
      .toString()
      .trim()
    expect(nuonuoSign(input)).toBe(expected)
    // one byte of the body more and the signature changes
    expect(nuonuoSign({ ...input, body: input.body + ' ' })).not.toBe(expected)
  })

  it('refuses a gateway path without three segments', () => {
    expect(() => signString({ ...input, path: '/services' })).toThrow(/three segments/)
  })

  it('makes a 32-hex senid and an 8-digit nonce without a leading zero', () => {
    for (let i = 0; i < 50; i++) {
      const { senid, nonce } = requestNonces()
      expect(senid).toMatch(/^[0-9a-f]{32}$/)
      expect(nonce).toMatch(/^[1-9]\d{7}$/)
    }
  })
})
