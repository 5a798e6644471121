/// <reference types="jest" />
/// <reference types="miniprogram-api-typings" />
/**
 * The mini-program's weapp code paths (TARO_ENV=weapp, tests/weapp/taro-env.setup.js), with the
 * Taro API mocked by answers typed as WeChat declares them (miniprogram-api-typings): what the
 * services send to WeChat and what they make of every answer it can give.
 */
import type { Envelope } from '@shared/envelope'
import { callFunction, CloudError } from '../../miniprogram/src/services/cloud'
import { openInvoiceFile } from '../../miniprogram/src/services/download.service'
import { pay } from '../../miniprogram/src/services/payment.service'
import { askInvoiceNotices, FLOW_MS, primeInvoiceNotices } from '../../miniprogram/src/services/subscribe.service'
import { addressFromWechat, titleFromWechat } from '../../miniprogram/src/services/wechat-import'

type Fn = jest.Mock
/** wx storage of the device (the subscribe flow memory lives there) */
const deviceStorage = new Map<string, unknown>()
const mockTaro: Record<string, Fn | Record<string, unknown>> & {
  cloud: { callFunction: Fn }
  env: { USER_DATA_PATH: string }
} = {
  cloud: { callFunction: jest.fn() },
  requestPayment: jest.fn(),
  requestSubscribeMessage: jest.fn(),
  downloadFile: jest.fn(),
  openDocument: jest.fn(),
  getFileSystemManager: jest.fn(),
  setClipboardData: jest.fn(async () => undefined),
  showToast: jest.fn(async () => undefined),
  showModal: jest.fn(),
  getCurrentPages: jest.fn(() => []),
  navigateTo: jest.fn(async () => undefined),
  redirectTo: jest.fn(async () => undefined),
  getStorageSync: jest.fn((key: string) => deviceStorage.get(key) ?? ''),
  setStorageSync: jest.fn((key: string, value: unknown) => void deviceStorage.set(key, value)),
  env: { USER_DATA_PATH: 'wxfile://usr' },
}
// lazy: the mock factory is hoisted above this file's declarations, the services read Taro at call time
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  get default() {
    return mockTaro
  },
}))

const fn = (name: string) => mockTaro[name] as Fn
/** What wx.cloud.callFunction resolves with: the function's return value under `result`. */
const answer = (result: unknown): ICloud.CallFunctionResult => ({ result: result as ICloud.CallFunctionResult['result'], errMsg: 'cloud.callFunction:ok' })
/** A rejected WeChat API call: `{ errMsg: '<api>:fail ...' }`. */
const failure = (errMsg: string): WechatMiniprogram.GeneralCallbackResult => ({ errMsg })

beforeEach(() => {
  jest.clearAllMocks()
  mockTaro.cloud.callFunction.mockReset()
})

describe('services/cloud.ts on weapp: Taro.cloud.callFunction', () => {
  it('calls the function by name with the action merged into the data, and unwraps ok envelopes', async () => {
    const ok: Envelope<{ cards: [] }> = { ok: true, data: { cards: [] } }
    mockTaro.cloud.callFunction.mockResolvedValue(answer(ok))
    await expect(callFunction('card', 'list', {})).resolves.toEqual({ cards: [] })
    expect(mockTaro.cloud.callFunction).toHaveBeenCalledWith({ name: 'card', data: { action: 'list' } })
  })

  it('turns an error envelope into a CloudError with its code, message and request id', async () => {
    mockTaro.cloud.callFunction.mockResolvedValue(answer({ ok: false, error: { code: 'CARD.NOT_FOUND', message: '卡片不存在', requestId: 'req-9' } }))
    await expect(callFunction('card', 'list', {})).rejects.toMatchObject({ code: 'CARD.NOT_FOUND', message: '卡片不存在', requestId: 'req-9' })
  })

  it('reads a rejected call (no network, function missing) as NETWORK, and an answer that is no envelope as INTERNAL', async () => {
    mockTaro.cloud.callFunction.mockRejectedValue(failure('cloud.callFunction:fail Error: errCode: -404011 cloud function execution error'))
    await expect(callFunction('card', 'list', {})).rejects.toMatchObject({ code: 'NETWORK' })
    mockTaro.cloud.callFunction.mockResolvedValue(answer(null))
    await expect(callFunction('card', 'list', {})).rejects.toMatchObject({ code: 'INTERNAL' })
    mockTaro.cloud.callFunction.mockResolvedValue(answer({ errorCode: 1, errorMessage: 'Invoking task timed out after 3 seconds' }))
    await expect(callFunction('card', 'list', {})).rejects.toBeInstanceOf(CloudError)
  })
})

describe('services/payment.service.ts on weapp: Taro.requestPayment', () => {
  const order = { id: 'WT20260301ABC' } as Parameters<typeof pay>[0]
  const payment = { timeStamp: '1700000000', nonceStr: 'n0nce', package: 'prepay_id=wx123', signType: 'MD5', paySign: 'SIGN' } as Parameters<typeof pay>[1]

  it('passes the five parameters cloudPay returned, untouched, then opens the result page', async () => {
    fn('requestPayment').mockResolvedValue(failure('requestPayment:ok'))
    await pay(order, payment)
    const sent: WechatMiniprogram.RequestPaymentOption = fn('requestPayment').mock.calls[0][0]
    expect(sent).toEqual({ timeStamp: '1700000000', nonceStr: 'n0nce', package: 'prepay_id=wx123', signType: 'MD5', paySign: 'SIGN' })
    expect(fn('navigateTo')).toHaveBeenCalledWith({ url: '/pages/pay-result/index?orderId=WT20260301ABC' })
  })

  it.each([
    ['requestPayment:fail cancel', '&from=cancel'],
    ['requestPayment:fail (detail message)', '&from=fail'],
  ])('after %s still goes to the result page (which asks the cloud), marked %s', async (errMsg, mark) => {
    fn('requestPayment').mockRejectedValue(failure(errMsg))
    await pay(order, payment)
    expect(fn('navigateTo')).toHaveBeenCalledWith({ url: `/pages/pay-result/index?orderId=WT20260301ABC${mark}` })
  })

  it('replaces the result page when paying again from it, so Back does not walk through old results', async () => {
    fn('getCurrentPages').mockReturnValue([{ route: 'pages/pay-result/index' }])
    fn('requestPayment').mockResolvedValue(failure('requestPayment:ok'))
    await pay(order, payment)
    expect(fn('redirectTo')).toHaveBeenCalled()
    expect(fn('navigateTo')).not.toHaveBeenCalled()
  })
})

describe('services/subscribe.service.ts on weapp: Taro.requestSubscribeMessage', () => {
  const templates = { ids: { invoiceIssued: 'TPL-ISSUED', invoiceFailed: 'TPL-FAILED', afterSalesUpdate: 'TPL-AS' } }
  // every answer WeChat documents for a template, the newer accept variants included
  const ANSWERS = ['accept', 'acceptWithAlert', 'acceptWithAudio', 'acceptWithForcePush', 'reject', 'ban', 'filter'] as const

  // the dialog is shown at most once per flow (FLOW_MS): each case starts a new flow
  let clock = Date.now()
  let now: jest.SpyInstance<number, []>
  beforeEach(() => {
    clock += FLOW_MS + 1
    now = jest.spyOn(Date, 'now').mockImplementation(() => clock)
  })
  afterEach(() => now.mockRestore())

  function cloudAnswers(recorded: unknown[]) {
    mockTaro.cloud.callFunction.mockImplementation(async ({ data }: { data: { action: string; results?: unknown } }) => {
      if (data.action === 'getSettings') return answer({ ok: true, data: { settings: {}, templates, quota: {} } })
      if (data.action === 'recordSubscriptions') {
        recorded.push(data.results)
        return answer({ ok: true, data: { quota: {} } })
      }
      return answer({ ok: false, error: { code: 'COMMON.BAD_REQUEST', message: 'x' } })
    })
  }

  it.each(ANSWERS)('hands "%s" to the cloud as WeChat answered it (the cloud decides what counts as consent)', async (a) => {
    const recorded: unknown[] = []
    cloudAnswers(recorded)
    const res: WechatMiniprogram.RequestSubscribeMessageSuccessCallbackResult = {
      errMsg: 'requestSubscribeMessage:ok',
      'TPL-ISSUED': a,
      'TPL-FAILED': 'reject',
    }
    fn('requestSubscribeMessage').mockResolvedValue(res)
    primeInvoiceNotices()
    await new Promise((r) => setImmediate(r))
    await askInvoiceNotices()
    expect(fn('requestSubscribeMessage')).toHaveBeenCalledWith({ tmplIds: ['TPL-ISSUED', 'TPL-FAILED'] })
    expect(recorded).toEqual([{ invoiceIssued: a, invoiceFailed: 'reject' }])
  })

  it('swallows a refused or failed dialog (20004 switched off, no tap): nothing recorded, nothing thrown', async () => {
    const recorded: unknown[] = []
    cloudAnswers(recorded)
    fn('requestSubscribeMessage').mockRejectedValue({ errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.', errCode: 20003 })
    await expect(askInvoiceNotices()).resolves.toBeUndefined()
    expect(recorded).toEqual([])
  })

  it('does not open the dialog again within the same flow, whichever page asks; a later flow asks again', async () => {
    cloudAnswers([])
    fn('requestSubscribeMessage').mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', 'TPL-ISSUED': 'accept' })
    await askInvoiceNotices()
    clock += FLOW_MS - 1
    await askInvoiceNotices({ invoiceStatus: 'issuing' })
    expect(fn('requestSubscribeMessage')).toHaveBeenCalledTimes(1)
    clock += 2
    await askInvoiceNotices({ invoiceStatus: 'issued' })
    expect(fn('requestSubscribeMessage')).toHaveBeenCalledTimes(1)
    await askInvoiceNotices({ invoiceStatus: 'issuing' })
    expect(fn('requestSubscribeMessage')).toHaveBeenCalledTimes(2)
  })

  it('asks once while the dialog is up, however often the button is tapped', async () => {
    cloudAnswers([])
    let answerDialog!: (r: WechatMiniprogram.RequestSubscribeMessageSuccessCallbackResult) => void
    fn('requestSubscribeMessage').mockImplementation(() => new Promise((r) => (answerDialog = r)))
    const first = askInvoiceNotices()
    const second = askInvoiceNotices()
    await new Promise((r) => setImmediate(r))
    answerDialog({ errMsg: 'requestSubscribeMessage:ok', 'TPL-ISSUED': 'accept' })
    await Promise.all([first, second])
    expect(fn('requestSubscribeMessage')).toHaveBeenCalledTimes(1)
  })
})

describe('services/wechat-import.ts: what chooseInvoiceTitle and chooseAddress answer', () => {
  it('maps a 单位 title (type 0) with its tax number normalised, and 个人 (type 1) as personal', () => {
    const unit: WechatMiniprogram.ChooseInvoiceTitleSuccessCallbackResult = {
      errMsg: 'chooseInvoiceTitle:ok',
      type: 0,
      title: '武汉某某科技有限公司',
      taxNumber: '91420100 ma4k0000xj',
      companyAddress: '武汉市洪山区',
      telephone: '027-88888888',
      bankName: '招商银行武汉分行',
      bankAccount: '6225880000000000',
    }
    expect(titleFromWechat(unit)).toEqual({
      kind: 'enterprise',
      name: '武汉某某科技有限公司',
      taxId: '91420100MA4K0000XJ',
      address: '武汉市洪山区',
      phone: '027-88888888',
      bankName: '招商银行武汉分行',
      bankAccount: '6225880000000000',
    })
    const person: WechatMiniprogram.ChooseInvoiceTitleSuccessCallbackResult = { ...unit, type: 1, title: '张三', taxNumber: '' }
    expect(titleFromWechat(person)).toMatchObject({ kind: 'personal', name: '张三', taxId: '' })
    // older clients have been seen to answer the type as a string
    expect(titleFromWechat({ ...person, type: '1' })).toMatchObject({ kind: 'personal' })
  })

  it('maps a WeChat address to the paper-copy form field by field', () => {
    const r: WechatMiniprogram.ChooseAddressSuccessCallbackResult = {
      errMsg: 'chooseAddress:ok',
      userName: '张三',
      telNumber: '13800138000',
      provinceName: '湖北省',
      cityName: '武汉市',
      countyName: '洪山区',
      streetName: '珞南街道',
      detailInfo: '珞喻路 1037 号',
      detailInfoNew: '珞喻路 1037 号',
      nationalCode: '420111',
      postalCode: '430074',
    }
    expect(addressFromWechat(r)).toEqual({
      recipient: '张三',
      phone: '13800138000',
      province: '湖北省',
      city: '武汉市',
      district: '洪山区',
      detail: '珞喻路 1037 号',
      postalCode: '430074',
    })
  })
})

describe('services/download.service.ts on weapp: Taro.downloadFile + openDocument', () => {
  const url = 'https://prod-1.tcb.qcloud.la/users/o/invoices/INV1.pdf?sign=x&t=600'

  it('downloads the PDF and opens it in WeChat with the menu (save, forward)', async () => {
    const dl: WechatMiniprogram.DownloadFileSuccessCallbackResult = {
      tempFilePath: 'wxfile://tmp/a.pdf',
      filePath: '',
      statusCode: 200,
      errMsg: 'downloadFile:ok',
      profile: {} as WechatMiniprogram.DownloadFileSuccessCallbackResult['profile'],
    }
    fn('downloadFile').mockResolvedValue(dl)
    fn('openDocument').mockResolvedValue(failure('openDocument:ok'))
    await openInvoiceFile(url, 'pdf', '电子发票 INV1.pdf')
    expect(fn('downloadFile')).toHaveBeenCalledWith({ url })
    const opened: WechatMiniprogram.OpenDocumentOption = fn('openDocument').mock.calls[0][0]
    expect(opened).toEqual({ filePath: 'wxfile://tmp/a.pdf', fileType: 'pdf', showMenu: true })
  })

  it('refuses an answer that is not 200 (an expired link answers 403 with a body)', async () => {
    fn('downloadFile').mockResolvedValue({ tempFilePath: 'wxfile://tmp/err', statusCode: 403, errMsg: 'downloadFile:ok' })
    await expect(openInvoiceFile(url, 'pdf', 'a.pdf')).rejects.toMatchObject({ code: 'NETWORK', message: '下载失败，请稍后重试' })
    expect(fn('openDocument')).not.toHaveBeenCalled()
  })

  it('reports a download that fails (domain not in downloadFile 合法域名) and a viewer that fails', async () => {
    fn('downloadFile').mockRejectedValue(failure('downloadFile:fail url not in domain list'))
    await expect(openInvoiceFile(url, 'pdf', 'a.pdf')).rejects.toMatchObject({ code: 'NETWORK' })
    fn('downloadFile').mockResolvedValue({ tempFilePath: 'wxfile://tmp/a.pdf', statusCode: 200, errMsg: 'downloadFile:ok' })
    fn('openDocument').mockRejectedValue(failure('openDocument:fail filetype not supported'))
    await expect(openInvoiceFile(url, 'pdf', 'a.pdf')).rejects.toMatchObject({ message: '无法打开 PDF，请稍后重试或发送到邮箱' })
  })

  it('saves the XML under the user data path with a safe name and copies the link', async () => {
    fn('downloadFile').mockResolvedValue({ tempFilePath: 'wxfile://tmp/b.xml', statusCode: 200, errMsg: 'downloadFile:ok' })
    const saveFile = jest.fn((o: WechatMiniprogram.SaveFileOption) => o.success?.({ savedFilePath: String(o.filePath), errMsg: 'saveFile:ok' }))
    fn('getFileSystemManager').mockReturnValue({ saveFile })
    await openInvoiceFile(url, 'xml', '电子发票 INV1/2.xml')
    expect(saveFile.mock.calls[0][0]).toMatchObject({ tempFilePath: 'wxfile://tmp/b.xml', filePath: 'wxfile://usr/电子发票_INV1_2.xml' })
    expect(fn('setClipboardData')).toHaveBeenCalledWith({ data: url })
  })
})
