/// <reference types="jest" />
/// <reference types="miniprogram-api-typings" />
/**
 * 验真 on weapp (TARO_ENV=weapp): the file chosen from a chat is read on the device and only its
 * SHA-256 (the same digest node's crypto computes) and the invoice numbers found in it are sent
 * to ledger.verifyFile; a cancelled choice sends nothing; a file over the limit is refused.
 */
import crypto from 'node:crypto'
import { chooseChatFile, fileFacts, verifyBytes } from '../../miniprogram/src/services/ledger.service'

type Fn = jest.Mock
const readFileSync = jest.fn()
const mockTaro = {
  cloud: { callFunction: jest.fn() as Fn },
  chooseMessageFile: jest.fn() as Fn,
  getFileSystemManager: jest.fn(() => ({ readFileSync })),
}
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  get default() {
    return mockTaro
  },
}))

const NO = '26421000000000000042'
const file = Buffer.from(`%PDF-1.7\n/Title <FEFF${Buffer.from(`电子发票 ${NO}`, 'utf16le').swap16().toString('hex')}>\n%%EOF\n`, 'latin1')

beforeEach(() => jest.clearAllMocks())

it('hashes the chosen file on the device and sends only the digest and the numbers', async () => {
  mockTaro.chooseMessageFile.mockResolvedValue({
    tempFiles: [{ path: 'wxfile://tmp/a.pdf', name: 'a.pdf', size: file.length, type: 'file', time: 0 }],
    errMsg: 'ok',
  })
  readFileSync.mockReturnValue(file.buffer.slice(file.byteOffset, file.byteOffset + file.length))
  const chosen = await chooseChatFile()
  expect(chosen?.name).toBe('a.pdf')
  const facts = fileFacts(chosen!.bytes)
  expect(facts).toEqual({ sha256: crypto.createHash('sha256').update(file).digest('hex'), numbers: [NO] })

  mockTaro.cloud.callFunction.mockResolvedValue({ result: { ok: true, data: { result: 'unknown', invoice: null, remaining: 9 } }, errMsg: 'ok' })
  await expect(verifyBytes(chosen!.bytes)).resolves.toEqual({ result: 'unknown', invoice: null, remaining: 9 })
  expect(mockTaro.cloud.callFunction).toHaveBeenCalledWith({ name: 'ledger', data: { action: 'verifyFile', ...facts } })
})

it('sends nothing when the choice is cancelled, and refuses a file over the limit', async () => {
  mockTaro.chooseMessageFile.mockRejectedValue({ errMsg: 'chooseMessageFile:fail cancel' })
  await expect(chooseChatFile()).resolves.toBeNull()
  mockTaro.chooseMessageFile.mockResolvedValue({ tempFiles: [{ path: 'p', name: 'big.pdf', size: 50 * 1024 * 1024, type: 'file', time: 0 }], errMsg: 'ok' })
  await expect(chooseChatFile()).rejects.toMatchObject({ code: 'VERIFY.INPUT_INVALID' })
  expect(readFileSync).not.toHaveBeenCalled()
  expect(mockTaro.cloud.callFunction).not.toHaveBeenCalled()
})
