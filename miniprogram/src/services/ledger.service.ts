/**
 * Exports (ZIP + 台账), the year statement and 验真 through the `ledger` function.
 * 验真 hashes the file on the device (SHA-256, @noble/hashes: the same code in weapp and H5) and
 * sends only the digest and the invoice numbers found in it: a forwarded invoice is someone
 * else's document, it never leaves the phone, and its size does not matter.
 */
import Taro from '@tarojs/taro'
import { sha256 } from '@noble/hashes/sha2'
import { bytesToHex } from '@noble/hashes/utils'
import type { ExportFilter, ExportView, StatementView, VerifyAnswer } from '@shared/ledger'
import { VERIFY_MAX_FILE_BYTES, invoiceNumbersIn } from '@shared/verify-rules'
import { CloudError, callFunction } from './cloud'
import { downloadLinkH5, downloadToTemp } from './download.service'

export { newClientToken } from './topup.service'

export async function createExport(input: { invoiceIds?: string[]; filter?: ExportFilter; email?: string | null; clientToken: string }): Promise<ExportView> {
  return (await callFunction('ledger', 'createExport', input)).export
}

export async function getExport(exportId: string): Promise<ExportView> {
  return (await callFunction('ledger', 'getExport', { exportId })).export
}

export async function listExports(): Promise<ExportView[]> {
  return (await callFunction('ledger', 'listExports', {})).exports
}

export const exportSettled = (e: ExportView) => e.status === 'done' || e.status === 'failed'

export function exportProgressText(e: ExportView): string {
  if (e.status === 'done') return `已完成，共 ${e.total} 张发票`
  if (e.status === 'failed') return e.error ?? '导出失败，请重试'
  return e.total ? `正在打包 ${e.done} / ${e.total}` : '正在准备…'
}

export async function statement(year: number): Promise<StatementView> {
  return callFunction('ledger', 'statement', { year })
}

export async function verifyNumber(invoiceNo: string, amountFen: number, issueDate: string): Promise<VerifyAnswer> {
  return callFunction('ledger', 'verifyNumber', { invoiceNo: invoiceNo.trim(), amountFen, issueDate })
}

/** The digest and the numbers of a file's bytes (pure; the page and the tests use it). */
export function fileFacts(bytes: Uint8Array): { sha256: string; numbers: string[] } {
  return { sha256: bytesToHex(sha256(bytes)), numbers: invoiceNumbersIn(bytes) }
}

export async function verifyBytes(bytes: Uint8Array): Promise<VerifyAnswer> {
  if (bytes.length > VERIFY_MAX_FILE_BYTES) throw new CloudError('VERIFY.INPUT_INVALID', '文件过大，不是本平台开具的电子发票')
  return callFunction('ledger', 'verifyFile', fileFacts(bytes))
}

/** Weapp: a PDF/XML/OFD from a chat (wx.chooseMessageFile), read on the device. */
export async function chooseChatFile(): Promise<{ name: string; bytes: Uint8Array } | null> {
  let file: { path: string; name: string; size: number }
  try {
    const res = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['pdf', 'xml', 'ofd'] })
    file = res.tempFiles[0]
  } catch {
    return null // cancelled
  }
  if (file.size > VERIFY_MAX_FILE_BYTES) throw new CloudError('VERIFY.INPUT_INVALID', '文件过大，不是本平台开具的电子发票')
  const data = Taro.getFileSystemManager().readFileSync(file.path) as ArrayBuffer
  return { name: file.name, bytes: new Uint8Array(data) }
}

export const VERIFY_RESULT_TEXT: Record<VerifyAnswer['result'], { title: string; desc: string }> = {
  genuine: { title: '真实', desc: '与本平台开具的发票文件完全一致' },
  altered: { title: '已被修改', desc: '发票号码属于本平台，但文件或信息与原件不一致，请向开票人索取原件' },
  unknown: { title: '未找到', desc: '本平台没有开具过这张发票（或信息有误）' },
}

/**
 * Saves the export's ZIP from its short-lived link. H5: a download link (same origin, the
 * session goes with it). Weapp: download, then hand it to WeChat's share-file sheet (send it to
 * a chat or 文件传输助手 to open it on a computer); where that is missing, the link is copied.
 */
export async function saveExportZip(url: string, fileName: string): Promise<void> {
  if (process.env.TARO_ENV === 'h5') {
    downloadLinkH5(url, fileName)
    return
  }
  const tempFilePath = await downloadToTemp(url)
  const share = (Taro as unknown as { shareFileMessage?: (o: { filePath: string; fileName: string }) => Promise<unknown> }).shareFileMessage
  if (share) {
    await share({ filePath: tempFilePath, fileName }).catch(() => undefined)
    return
  }
  await Taro.setClipboardData({ data: url }).catch(() => undefined)
  void Taro.showToast({ title: '下载链接已复制，请在电脑浏览器中打开（短时有效）', icon: 'none', duration: 3000 })
}
