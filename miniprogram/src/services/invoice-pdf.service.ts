/**
 * The invoice PDF kept on the phone, so it opens again without network (an invoice's PDF never
 * changes once issued), and forwarded as a file.
 *
 * Weapp: downloaded once, saved under USER_DATA_PATH, its path remembered per invoice in storage;
 * opened with openDocument, forwarded with wx.shareFileMessage (to a chat or 文件传输助手).
 * H5: fetched once into Cache Storage (same origin, the session cookie goes with the request);
 * saved through a blob link, forwarded with the Web Share API when the browser can share files.
 */
import Taro from '@tarojs/taro'
import { CloudError } from './cloud'
import { downloadLinkH5 } from './download.service'
import { getFiles } from './invoice.service'

export interface PdfInvoice {
  id: string
  invoiceNo: string | null
}

const DOWNLOAD_FAILED = '下载失败，请检查网络后重试'
const STORAGE_PREFIX = 'invoicePdf:'
const CACHE_NAME = 'invoice-pdfs-v1'

export function pdfFileName(inv: PdfInvoice): string {
  return `发票_${inv.invoiceNo ?? inv.id}.pdf`.replace(/[\\/:*?"<>|\s]+/g, '_')
}

// ---- weapp: a saved file per invoice ----

function keptPathWeapp(id: string): string | null {
  const path = Taro.getStorageSync<string>(STORAGE_PREFIX + id)
  if (!path) return null
  try {
    Taro.getFileSystemManager().accessSync(path)
    return path
  } catch {
    // cleared by WeChat (storage space) or by the person: download again
    Taro.removeStorageSync(STORAGE_PREFIX + id)
    return null
  }
}

async function pdfPathWeapp(inv: PdfInvoice): Promise<string> {
  const kept = keptPathWeapp(inv.id)
  if (kept) return kept
  const { pdfUrl } = await getFiles(inv.id)
  let tempFilePath: string
  try {
    const res = await Taro.downloadFile({ url: pdfUrl })
    if (res.statusCode !== 200) throw new Error(String(res.statusCode))
    tempFilePath = res.tempFilePath
  } catch {
    throw new CloudError('NETWORK', DOWNLOAD_FAILED)
  }
  const target = `${Taro.env.USER_DATA_PATH}/${pdfFileName(inv)}`
  const saved = await new Promise<boolean>((resolve) => {
    Taro.getFileSystemManager().saveFile({ tempFilePath, filePath: target, success: () => resolve(true), fail: () => resolve(false) })
  })
  // no space to keep it: still open this once from the temporary file
  if (!saved) return tempFilePath
  Taro.setStorageSync(STORAGE_PREFIX + inv.id, target)
  return target
}

// ---- H5: Cache Storage ----

const cacheKey = (id: string) => `${window.location.origin}/__kept/invoice/${encodeURIComponent(id)}.pdf`

async function keptBlobH5(id: string): Promise<Blob | null> {
  if (typeof caches === 'undefined') return null
  try {
    const hit = await (await caches.open(CACHE_NAME)).match(cacheKey(id))
    return hit ? await hit.blob() : null
  } catch {
    return null
  }
}

async function pdfBlobH5(inv: PdfInvoice): Promise<Blob> {
  const kept = await keptBlobH5(inv.id)
  if (kept) return kept
  const { pdfUrl } = await getFiles(inv.id)
  let blob: Blob
  try {
    const res = await fetch(pdfUrl, { credentials: 'same-origin' })
    if (!res.ok) throw new Error(String(res.status))
    blob = await res.blob()
  } catch {
    throw new CloudError('NETWORK', DOWNLOAD_FAILED)
  }
  if (typeof caches !== 'undefined') {
    const copy = new Response(blob, { headers: { 'Content-Type': 'application/pdf' } })
    await caches
      .open(CACHE_NAME)
      .then((c) => c.put(cacheKey(inv.id), copy))
      .catch(() => undefined) // private mode or no space: it still downloads, just not kept
  }
  return blob
}

function saveBlobH5(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  downloadLinkH5(url, name)
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

// ---- both ----

/** Whether the PDF is already on this phone (opens without network). */
export async function isPdfKept(inv: PdfInvoice): Promise<boolean> {
  if (process.env.TARO_ENV === 'h5') return (await keptBlobH5(inv.id)) !== null
  return keptPathWeapp(inv.id) !== null
}

/** 下载 PDF: open it (weapp) or save it (H5), from the phone when kept, else downloaded and kept. */
export async function openInvoicePdf(inv: PdfInvoice): Promise<void> {
  if (process.env.TARO_ENV === 'h5') {
    saveBlobH5(await pdfBlobH5(inv), pdfFileName(inv))
    return
  }
  const filePath = await pdfPathWeapp(inv)
  try {
    await Taro.openDocument({ filePath, fileType: 'pdf', showMenu: true })
  } catch {
    throw new CloudError('NETWORK', '无法打开 PDF，请稍后重试或发送到邮箱')
  }
}

/**
 * 转发到微信: the PDF as a file message (weapp), or through the browser's share sheet (H5);
 * where the browser cannot share files it is saved instead. 'saved' tells the page to say so.
 */
export async function shareInvoicePdf(inv: PdfInvoice): Promise<'shared' | 'saved' | 'cancelled'> {
  const name = pdfFileName(inv)
  if (process.env.TARO_ENV === 'h5') {
    const blob = await pdfBlobH5(inv)
    const file = new File([blob], name, { type: 'application/pdf' })
    const nav = navigator as Navigator & { canShare?: (data: ShareData) => boolean }
    if (typeof nav.share === 'function' && nav.canShare?.({ files: [file] })) {
      try {
        await nav.share({ files: [file], title: name })
        return 'shared'
      } catch (e) {
        if ((e as { name?: string }).name === 'AbortError') return 'cancelled'
      }
    }
    saveBlobH5(blob, name)
    return 'saved'
  }
  const filePath = await pdfPathWeapp(inv)
  try {
    await Taro.shareFileMessage({ filePath, fileName: name })
    return 'shared'
  } catch (e) {
    const msg = (e as { errMsg?: string }).errMsg ?? ''
    if (msg.includes('cancel')) return 'cancelled'
    throw new CloudError('NETWORK', '转发失败，请先下载 PDF，再从右上角菜单转发')
  }
}
