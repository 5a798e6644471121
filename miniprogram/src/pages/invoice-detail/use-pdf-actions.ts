import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import type { InvoiceDetail } from '@shared/domain'
import { getFiles } from '../../services/invoice.service'
import { isPdfKept, openInvoicePdf, shareInvoicePdf } from '../../services/invoice-pdf.service'
import { openInvoiceFile } from '../../services/download.service'
import { errorMessage } from '../../services/cloud'

type Busy = 'pdf' | 'share' | 'xml' | null

/** 下载 PDF / 转发到微信 / 下载 XML, one at a time; `kept` once the PDF is on the phone. */
export function usePdfActions(invoice: InvoiceDetail | null) {
  const [busy, setBusy] = useState<Busy>(null)
  const [kept, setKept] = useState(false)
  const issued = invoice?.status === 'issued'
  const id = invoice?.id ?? ''
  const no = invoice?.invoiceNo ?? null

  useEffect(() => {
    if (!issued || !id) return
    let live = true
    isPdfKept({ id, invoiceNo: no })
      .then((k) => live && setKept(k))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [issued, id, no])

  async function run(kind: Exclude<Busy, null>, job: () => Promise<void>) {
    if (!invoice || busy) return
    setBusy(kind)
    try {
      await job()
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setBusy(null)
    }
  }

  const target = { id, invoiceNo: no }
  const downloadPdf = () =>
    run('pdf', async () => {
      await openInvoicePdf(target)
      setKept(true)
      if (process.env.TARO_ENV === 'h5') void Taro.showToast({ title: 'PDF 已保存，没网时也能打开', icon: 'none' })
    })
  const sharePdf = () =>
    run('share', async () => {
      const how = await shareInvoicePdf(target)
      setKept(true)
      if (how === 'saved') void Taro.showToast({ title: '此浏览器不能直接转发，PDF 已保存，可从文件中发送', icon: 'none', duration: 3000 })
    })
  const downloadXml = () =>
    run('xml', async () => {
      const files = await getFiles(id)
      await openInvoiceFile(files.xmlUrl, 'xml', `发票_${no ?? id}.xml`)
    })

  return { busy, kept, downloadPdf, sharePdf, downloadXml }
}

export type PdfActions = ReturnType<typeof usePdfActions>
