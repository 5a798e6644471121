/// <reference types="jest" />
/// <reference types="miniprogram-api-typings" />
/**
 * services/invoice-pdf.service.ts on weapp (TARO_ENV=weapp), the Taro API mocked as WeChat
 * answers: the PDF is downloaded once, saved, remembered per invoice, and then opened and
 * forwarded (wx.shareFileMessage) from the phone without asking the network again.
 */
import { isPdfKept, openInvoicePdf, shareInvoicePdf } from '../../miniprogram/src/services/invoice-pdf.service'

type Fn = jest.Mock
const storage = new Map<string, unknown>()
const files = new Set<string>()
const fsm = {
  accessSync: jest.fn((p: string) => {
    if (!files.has(p)) throw new Error('accessSync:fail no such file or directory ' + p)
  }),
  saveFile: jest.fn((o: WechatMiniprogram.SaveFileOption) => {
    files.add(String(o.filePath))
    o.success?.({ savedFilePath: String(o.filePath), errMsg: 'saveFile:ok' })
  }),
}
const mockTaro: Record<string, Fn | Record<string, unknown>> & { cloud: { callFunction: Fn } } = {
  cloud: { callFunction: jest.fn() },
  downloadFile: jest.fn(),
  openDocument: jest.fn(async () => ({ errMsg: 'openDocument:ok' })),
  shareFileMessage: jest.fn(async () => ({ errMsg: 'shareFileMessage:ok' })),
  getFileSystemManager: jest.fn(() => fsm),
  getStorageSync: jest.fn((k: string) => storage.get(k) ?? ''),
  setStorageSync: jest.fn((k: string, v: unknown) => void storage.set(k, v)),
  removeStorageSync: jest.fn((k: string) => void storage.delete(k)),
  showToast: jest.fn(async () => undefined),
  env: { USER_DATA_PATH: 'wxfile://usr' },
}
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  get default() {
    return mockTaro
  },
}))
const fn = (name: string) => mockTaro[name] as Fn

const INV = { id: 'INV1', invoiceNo: '26420000000000000001' }
const SAVED = 'wxfile://usr/发票_26420000000000000001.pdf'

beforeEach(() => {
  jest.clearAllMocks()
  storage.clear()
  files.clear()
  mockTaro.cloud.callFunction.mockResolvedValue({
    result: { ok: true, data: { pdfUrl: 'https://x.tcb.qcloud.la/a.pdf?sign=1', xmlUrl: 'https://x/a.xml', expiresAt: '2026-01-01T00:00:00Z' } },
    errMsg: 'cloud.callFunction:ok',
  })
  fn('downloadFile').mockResolvedValue({ tempFilePath: 'wxfile://tmp/a.pdf', statusCode: 200, errMsg: 'downloadFile:ok' })
})

it('downloads and keeps the PDF once, then opens it from the phone without the network', async () => {
  expect(await isPdfKept(INV)).toBe(false)
  await openInvoicePdf(INV)
  expect(fsm.saveFile.mock.calls[0][0]).toMatchObject({ tempFilePath: 'wxfile://tmp/a.pdf', filePath: SAVED })
  expect(fn('openDocument')).toHaveBeenLastCalledWith({ filePath: SAVED, fileType: 'pdf', showMenu: true })
  expect(await isPdfKept(INV)).toBe(true)

  // offline: neither the cloud nor the download is asked again
  mockTaro.cloud.callFunction.mockRejectedValue(new Error('offline'))
  fn('downloadFile').mockRejectedValue({ errMsg: 'downloadFile:fail offline' })
  await openInvoicePdf(INV)
  expect(mockTaro.cloud.callFunction).toHaveBeenCalledTimes(1)
  expect(fn('downloadFile')).toHaveBeenCalledTimes(1)
  expect(fn('openDocument')).toHaveBeenLastCalledWith({ filePath: SAVED, fileType: 'pdf', showMenu: true })
})

it('forwards the kept file with shareFileMessage, and downloads again when WeChat cleared it', async () => {
  await openInvoicePdf(INV)
  expect(await shareInvoicePdf(INV)).toBe('shared')
  expect(fn('shareFileMessage')).toHaveBeenCalledWith({ filePath: SAVED, fileName: '发票_26420000000000000001.pdf' })
  expect(fn('downloadFile')).toHaveBeenCalledTimes(1)

  files.clear() // the saved file is gone (storage cleaned)
  expect(await isPdfKept(INV)).toBe(false)
  await shareInvoicePdf(INV)
  expect(fn('downloadFile')).toHaveBeenCalledTimes(2)
})

it('treats a cancelled share as no error and a failed one as a plain message', async () => {
  fn('shareFileMessage').mockRejectedValueOnce({ errMsg: 'shareFileMessage:fail cancel' })
  expect(await shareInvoicePdf(INV)).toBe('cancelled')
  fn('shareFileMessage').mockRejectedValueOnce({ errMsg: 'shareFileMessage:fail not supported' })
  await expect(shareInvoicePdf(INV)).rejects.toMatchObject({ message: '转发失败，请先下载 PDF，再从右上角菜单转发' })
})
