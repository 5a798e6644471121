import { tc3Sign, tencentSmsSender } from '../../../cloudfunctions/_core/adapters/sms/tencent.sms'

/**
 * The documented example of 签名方法 v3 (TC3-HMAC-SHA256): CVM DescribeInstances, timestamp
 * 1551113065, SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE. Every intermediate value and the
 * signature are the ones the documentation prints.
 */
describe('tc3Sign', () => {
  const example = tc3Sign({
    secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
    secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
    service: 'cvm',
    host: 'cvm.tencentcloudapi.com',
    payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    timestamp: 1551113065,
  })
  it('hashes the payload and the canonical request as documented', () => {
    expect(example.hashedPayload).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064')
    expect(example.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    )
    expect(example.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    )
  })
  it('derives the documented signature and Authorization (UTC date, not UTC+8)', () => {
    expect(example.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168')
    expect(example.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    )
  })
})

describe('tencentSmsSender', () => {
  const opts = { secretId: 'AKIDtest', secretKey: 'secret', sdkAppId: '1400000000', signName: '武汉通', now: () => new Date(1551113065_000) }
  it('posts a signed SendSms with +86, the template and its parameters, and returns the serial number', async () => {
    const calls: { url: string; init: RequestInit }[] = []
    const fake = (async (url: string, init: RequestInit) => {
      calls.push({ url, init })
      return new Response(JSON.stringify({ Response: { SendStatusSet: [{ SerialNo: 'sn-1', Code: 'Ok', Message: 'send success' }], RequestId: 'r1' } }))
    }) as unknown as typeof fetch
    const sender = tencentSmsSender({ ...opts, fetch: fake })
    expect(await sender.send({ phone: '13800138000', templateId: '123456', params: ['20 位号码', '¥50.00'], text: 'x' })).toEqual({ messageId: 'sn-1' })
    expect(calls[0].url).toBe('https://sms.tencentcloudapi.com/')
    const headers = calls[0].init.headers as Record<string, string>
    expect(headers['X-TC-Action']).toBe('SendSms')
    expect(headers['X-TC-Version']).toBe('2021-01-11')
    expect(headers['X-TC-Timestamp']).toBe('1551113065')
    const body = JSON.parse(calls[0].init.body as string)
    expect(body).toEqual({
      PhoneNumberSet: ['+8613800138000'],
      SmsSdkAppId: '1400000000',
      SignName: '武汉通',
      TemplateId: '123456',
      TemplateParamSet: ['20 位号码', '¥50.00'],
    })
    // the Authorization is the signature of exactly the body sent
    const again = tc3Sign({
      secretId: 'AKIDtest',
      secretKey: 'secret',
      service: 'sms',
      host: 'sms.tencentcloudapi.com',
      payload: calls[0].init.body as string,
      timestamp: 1551113065,
    })
    expect(headers.Authorization).toBe(again.authorization)
  })
  it('throws with the provider code on an error answer or a failed send status', async () => {
    const answer = (body: unknown) => (async () => new Response(JSON.stringify(body))) as unknown as typeof fetch
    await expect(
      tencentSmsSender({ ...opts, fetch: answer({ Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad' } } }) }).send({
        phone: '13800138000',
        templateId: '1',
        params: [],
        text: '',
      }),
    ).rejects.toThrow('AuthFailure.SignatureFailure')
    await expect(
      tencentSmsSender({ ...opts, fetch: answer({ Response: { SendStatusSet: [{ Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: 'limit' }] } }) }).send({
        phone: '13800138000',
        templateId: '1',
        params: [],
        text: '',
      }),
    ).rejects.toThrow('LimitExceeded.PhoneNumberDailyLimit')
    await expect(tencentSmsSender({ ...opts, fetch: answer({}) }).send({ phone: '12345', templateId: '1', params: [], text: '' })).rejects.toThrow(
      'IncorrectPhoneNumber',
    )
  })
})
