import type { PhoneNumberPort } from '../../ports/sms.port'

/**
 * The part of cloud.openapi this adapter uses: phonenumber.getPhoneNumber (needs
 * `"permissions": { "openapi": ["phonenumber.getPhoneNumber"] }` in the function's config.json).
 * It answers { phoneInfo: { phoneNumber, purePhoneNumber, countryCode } }; a stale or forged code
 * rejects (40029). Like every cloud.openapi member it is a Proxy: read per call, never awaited.
 */
export interface WxPhoneOpenApi {
  readonly phonenumber: {
    getPhoneNumber(params: { code: string }): Promise<{ phoneInfo?: { purePhoneNumber?: string; countryCode?: string } }>
  }
}

export function wxPhoneNumbers(openapi: WxPhoneOpenApi): PhoneNumberPort {
  return {
    async exchange(code: string) {
      const answer = await openapi.phonenumber.getPhoneNumber({ code })
      const info = answer?.phoneInfo
      if (!info?.purePhoneNumber) throw new Error('getPhoneNumber: no number in the answer')
      // only mainland numbers can get our SMS
      if (info.countryCode && info.countryCode !== '86') throw new Error('getPhoneNumber: not a mainland number')
      return info.purePhoneNumber
    },
  }
}
