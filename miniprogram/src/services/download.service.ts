/**
 * Opens an invoice file from a short-lived, owner-only link (invoice.files).
 * Weapp: download, then open the PDF in WeChat's viewer (save / forward from its menu); the XML
 * is saved into the mini-program's files and its link copied for use on a computer.
 * H5: a plain download link on the same origin (the session cookie goes with it).
 */
import Taro from '@tarojs/taro'
import { CloudError } from './cloud'

const DOWNLOAD_FAILED = '下载失败，请稍后重试'

function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]+/g, '_')
}

/** H5: saves `url` (a same-origin link or a blob: URL) as `fileName` through a hidden download link. */
export function downloadLinkH5(url: string, fileName: string): void {
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
}

/** Weapp: downloads `url` to a temporary file; any failure is one NETWORK error the page can show. */
export async function downloadToTemp(url: string): Promise<string> {
  const res = await Taro.downloadFile({ url }).catch(() => null)
  if (!res || res.statusCode !== 200) throw new CloudError('NETWORK', DOWNLOAD_FAILED)
  return res.tempFilePath
}

export async function openInvoiceFile(url: string, kind: 'pdf' | 'xml', fileName: string): Promise<void> {
  const name = safeFileName(fileName)
  if (process.env.TARO_ENV === 'h5') {
    downloadLinkH5(url, name)
    return
  }

  const tempFilePath = await downloadToTemp(url)

  if (kind === 'pdf') {
    try {
      await Taro.openDocument({ filePath: tempFilePath, fileType: 'pdf', showMenu: true })
    } catch {
      throw new CloudError('NETWORK', '无法打开 PDF，请稍后重试或发送到邮箱')
    }
    return
  }

  const target = `${Taro.env.USER_DATA_PATH}/${name}`
  await new Promise<void>((resolve, reject) => {
    Taro.getFileSystemManager().saveFile({
      tempFilePath,
      filePath: target,
      success: () => resolve(),
      fail: () => reject(new CloudError('NETWORK', '保存失败，手机空间可能不足')),
    })
  })
  await Taro.setClipboardData({ data: url }).catch(() => undefined)
  void Taro.showToast({ title: `XML 已保存为 ${name}，下载链接已复制（短时有效）`, icon: 'none', duration: 3000 })
}
