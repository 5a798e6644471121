import { wxPay, WxPayError } from '../../../cloudfunctions/_core/adapters/wx/wx.pay'
import type { PayPort, UnifiedOrderInput } from '../../../cloudfunctions/_core/ports/pay.port'
import { FakeCloudPay, FakeSdkError } from '../../fakes/wx-cloud.fake'

const SUB_MCH_ID = '1900000109'
const ENV_ID = 'prod-4g1x2y3z'
const OUT_TRADE_NO = 'WT20260301080000ABCDEFGHJKLM'

let cloudPay: FakeCloudPay
let pay: PayPort
beforeEach(() => {
  cloudPay = new FakeCloudPay()
  pay = wxPay(cloudPay, { subMchId: SUB_MCH_ID, envId: ENV_ID })
})

const input = (over: Partial<UnifiedOrderInput> = {}): UnifiedOrderInput => ({
  outTradeNo: OUT_TRADE_NO,
  totalFee: 5000,
  body: '武汉通-充值',
  openid: 'oAlice0000000000000000000001',
  functionName: 'payNotify',
  clientIp: '203.0.113.7',
  ...over,
})

/** What cloudPay answers (after the SDK's conversion) for a business failure: errCode is always 0. */
const businessFail = (errCodeDes: string) => ({ returnCode: 'SUCCESS', returnMsg: 'OK', resultCode: 'FAIL', errCode: 0, errCodeDes, errMsg: 'cloudPay.x:ok' })

describe('wxPay.unifiedOrder', () => {
  it('sends cloudPay the merchant, callback and order fields and returns the payment for wx.requestPayment', async () => {
    const payment = await pay.unifiedOrder(input())
    expect(cloudPay.calls).toHaveLength(1)
    const sent = cloudPay.calls[0].params
    expect(sent).toEqual({
      body: '武汉通-充值',
      outTradeNo: OUT_TRADE_NO,
      spbillCreateIp: '203.0.113.7',
      subMchId: SUB_MCH_ID,
      totalFee: 5000,
      envId: ENV_ID,
      functionName: 'payNotify',
      nonceStr: expect.stringMatching(/^[0-9a-f]{32}$/),
      tradeType: 'JSAPI',
    })
    expect(Object.keys(payment).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp'])
    expect(payment.package).toMatch(/^prepay_id=/)
  })

  it('uses a fresh nonceStr for every call', async () => {
    await pay.unifiedOrder(input())
    await pay.unifiedOrder(input())
    const [a, b] = cloudPay.calls.map((c) => c.params.nonceStr)
    expect(a).not.toBe(b)
  })

  it('throws WxPayError with the returnCode when the call itself failed', async () => {
    cloudPay.answerNext('unifiedOrder', { returnCode: 'FAIL', returnMsg: 'sub_mch_id与sub_appid不匹配', errCode: 0 })
    const err = await pay.unifiedOrder(input()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WxPayError)
    expect(err).toMatchObject({ api: 'unifiedOrder', errCode: 'FAIL' })
    expect((err as Error).message).toContain('sub_mch_id与sub_appid不匹配')
  })

  it('throws WxPayError(ORDERPAID) for an order already paid, reading the code from errCodeDes', async () => {
    await pay.unifiedOrder(input())
    cloudPay.pay(OUT_TRADE_NO)
    await expect(pay.unifiedOrder(input())).rejects.toMatchObject({ name: 'WxPayError', errCode: 'ORDERPAID' })
  })

  it('throws when the answer carries no usable payment', async () => {
    cloudPay.answerNext('unifiedOrder', { returnCode: 'SUCCESS', resultCode: 'SUCCESS', errCode: 0 })
    await expect(pay.unifiedOrder(input())).rejects.toMatchObject({ errCode: 'NO_PAYMENT' })
  })

  it('lets an SDK failure (network, permissions) through as it is', async () => {
    const sdkError = new FakeSdkError(-501001, 'cloudPay.unifiedOrder:fail ENOTFOUND')
    cloudPay.answerNext('unifiedOrder', sdkError)
    await expect(pay.unifiedOrder(input())).rejects.toBe(sdkError)
  })

  it('refuses to call cloudPay without a sub-merchant id or callback environment', async () => {
    await expect(wxPay(cloudPay, { subMchId: '', envId: ENV_ID }).unifiedOrder(input())).rejects.toThrow(/PAY_SUB_MCH_ID/)
    await expect(wxPay(cloudPay, { subMchId: SUB_MCH_ID, envId: '' }).unifiedOrder(input())).rejects.toThrow(/CLOUD_ENV_ID/)
    expect(cloudPay.calls).toHaveLength(0)
  })
})

describe('wxPay.queryOrder', () => {
  it('reports an unpaid order as NOTPAY with its amount', async () => {
    await pay.unifiedOrder(input())
    expect(await pay.queryOrder(OUT_TRADE_NO)).toEqual({ tradeState: 'NOTPAY', totalFee: 5000 })
    expect(cloudPay.calls[1]).toEqual({ api: 'queryOrder', params: { subMchId: SUB_MCH_ID, outTradeNo: OUT_TRADE_NO, nonceStr: expect.any(String) } })
  })

  it('reports a paid order with the transaction, amounts and time', async () => {
    await pay.unifiedOrder(input())
    cloudPay.pay(OUT_TRADE_NO, { transactionId: '4200001234', timeEnd: '20260301080500' })
    expect(await pay.queryOrder(OUT_TRADE_NO)).toEqual({
      tradeState: 'SUCCESS',
      transactionId: '4200001234',
      totalFee: 5000,
      cashFee: 5000,
      timeEnd: '20260301080500',
    })
  })

  it('maps ORDERNOTEXIST to NOT_FOUND', async () => {
    expect(await pay.queryOrder('WT-never-ordered')).toEqual({ tradeState: 'NOT_FOUND' })
  })

  it('reads amounts sent as digit strings', async () => {
    cloudPay.answerNext('queryOrder', {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      tradeState: 'SUCCESS',
      transactionId: '42',
      totalFee: '5000',
      cashFee: '4900',
      timeEnd: '20260301080500',
    })
    expect(await pay.queryOrder(OUT_TRADE_NO)).toMatchObject({ totalFee: 5000, cashFee: 4900 })
  })

  it('throws on a trade state it does not know rather than reading it as unpaid', async () => {
    cloudPay.answerNext('queryOrder', { returnCode: 'SUCCESS', resultCode: 'SUCCESS', tradeState: 'ACCEPT' })
    await expect(pay.queryOrder(OUT_TRADE_NO)).rejects.toMatchObject({ errCode: 'UNKNOWN_TRADE_STATE' })
  })

  it('throws on any other business failure', async () => {
    cloudPay.answerNext('queryOrder', businessFail('系统错误'))
    await expect(pay.queryOrder(OUT_TRADE_NO)).rejects.toMatchObject({ errCode: 'SYSTEMERROR' })
  })
})

describe('wxPay.closeOrder', () => {
  it('closes an unpaid order, after which cloudPay reports it CLOSED', async () => {
    await pay.unifiedOrder(input())
    expect(await pay.closeOrder(OUT_TRADE_NO)).toBe('closed')
    expect(await pay.queryOrder(OUT_TRADE_NO)).toMatchObject({ tradeState: 'CLOSED' })
  })

  it("maps ORDERPAID to 'already_paid'", async () => {
    await pay.unifiedOrder(input())
    cloudPay.pay(OUT_TRADE_NO)
    expect(await pay.closeOrder(OUT_TRADE_NO)).toBe('already_paid')
  })

  it("maps ORDERNOTEXIST to 'not_found'", async () => {
    expect(await pay.closeOrder('WT-never-ordered')).toBe('not_found')
  })

  it("treats ORDERCLOSED as 'closed'", async () => {
    cloudPay.answerNext('closeOrder', businessFail('订单已关闭'))
    expect(await pay.closeOrder(OUT_TRADE_NO)).toBe('closed')
  })

  it('also understands a string errCode, should a later SDK stop overwriting it', async () => {
    cloudPay.answerNext('closeOrder', { returnCode: 'SUCCESS', resultCode: 'FAIL', errCode: 'ORDERPAID' })
    expect(await pay.closeOrder(OUT_TRADE_NO)).toBe('already_paid')
  })

  it('throws on an unknown business failure and on a failed call', async () => {
    cloudPay.answerNext('closeOrder', businessFail('参数错误'))
    await expect(pay.closeOrder(OUT_TRADE_NO)).rejects.toMatchObject({ name: 'WxPayError', errCode: 'FAIL' })
    cloudPay.answerNext('closeOrder', { returnCode: 'FAIL', returnMsg: '签名错误' })
    await expect(pay.closeOrder(OUT_TRADE_NO)).rejects.toMatchObject({ errCode: 'FAIL', detail: '签名错误' })
  })
})
