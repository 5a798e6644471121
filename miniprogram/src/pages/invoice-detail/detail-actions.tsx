import { Button, View } from '@tarojs/components'
import type { InvoiceDetail } from '@shared/domain'
import { correctionApplicationUrl, correctionPageUrl, isLiveBlue } from '../../services/correction.service'
import { isPaperActive, paperFormUrl } from '../../services/paper.service'
import { openPage } from '../../services/nav'
import type { PdfActions } from './use-pdf-actions'

const SHARE_LABEL = process.env.TARO_ENV === 'h5' ? '转发 / 分享' : '转发到微信'

/** 换开 / 邮寄纸质版 when self-service allows them (their progress stays in the after-sales block below). */
function afterSalesEntries(invoice: InvoiceDetail): { id: string; label: string; url: string }[] {
  if (!isLiveBlue(invoice)) return []
  const out: { id: string; label: string; url: string }[] = []
  const c = invoice.correction
  if (c && !c.active && c.allowed) out.push({ id: 'action-correct', label: '换开', url: correctionPageUrl(invoice.id) })
  else if (c && !c.active && c.routeToApplication) out.push({ id: 'action-correct', label: '申请换开', url: correctionApplicationUrl(invoice.id) })
  if (!invoice.paper || !isPaperActive(invoice.paper.status)) out.push({ id: 'action-paper', label: '邮寄纸质版', url: paperFormUrl(invoice.id) })
  return out
}

/** What people come for, on the first screen: 下载 PDF, 转发, 发送到邮箱, 换开, 邮寄纸质版. */
export function DetailActions({ invoice, pdf, onEmail }: { invoice: InvoiceDetail; pdf: PdfActions; onEmail: () => void }) {
  if (invoice.status !== 'issued') {
    return <View className='hint center detail-actions'>开具完成后可下载 PDF、转发或发送到邮箱</View>
  }
  return (
    <View className='detail-actions' id='detail-actions'>
      <Button
        className={pdf.busy === 'pdf' ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
        id='download-pdf'
        loading={pdf.busy === 'pdf'}
        onClick={() => void pdf.downloadPdf()}
      >
        下载 PDF
      </Button>
      {pdf.kept ? (
        <View className='detail-actions__kept' id='pdf-kept'>
          已保存在手机上，没有网络也能打开
        </View>
      ) : null}
      <View className='detail-actions__grid'>
        <Button className='btn btn--default' id='share-pdf' loading={pdf.busy === 'share'} onClick={() => void pdf.sharePdf()}>
          {SHARE_LABEL}
        </Button>
        <Button className='btn btn--default' id='resend-email' onClick={onEmail}>
          发送到邮箱
        </Button>
        {afterSalesEntries(invoice).map((e) => (
          <Button key={e.id} className='btn btn--default' id={e.id} onClick={() => openPage(e.url)}>
            {e.label}
          </Button>
        ))}
      </View>
    </View>
  )
}
