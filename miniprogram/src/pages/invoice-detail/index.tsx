import { useCallback, useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { InvoiceDetail } from '@shared/domain'
import { Page } from '../../components/page'
import { ErrorState, Loading } from '../../components/state-view'
import { usePolling } from '../../components/use-polling'
import { InvoicePreview } from '../../components/invoice-preview'
import { ChainChips, InvoiceChain } from '../../components/invoice-chain'
import { InvoiceAfterSales } from '../../components/invoice-after-sales'
import { ResendSheet } from '../../components/resend-sheet'
import { Timeline } from '../../components/timeline'
import { CustomerService } from '../../components/customer-service'
import { INVOICE_EVENT_LABEL, INVOICE_STATUS_LABEL, INVOICE_STATUS_TAG, getFiles, getInvoice, isInFlight, shortSha } from '../../services/invoice.service'
import { isCorrectionMoving, signedAmountFen } from '../../services/correction.service'
import { openInvoiceFile } from '../../services/download.service'
import { errorMessage } from '../../services/cloud'
import { formatDateTime, formatFen, formatTime } from '../../services/format'
import { openTab, routeParam } from '../../services/nav'

/** lastError comes from the issuing service; keep it short and say what happens next. */
function failureText(inv: InvoiceDetail): string {
  const reason = inv.lastError ? `开票服务返回：${inv.lastError.slice(0, 60)}` : '开票服务暂时出错'
  const retry = inv.nextRetryAt ? `将于 ${formatTime(inv.nextRetryAt)} 自动重试` : '系统会自动重试'
  return `${reason}。${retry}，无需重新申请。`
}

/** Keep asking while the invoice is being issued or its correction is being carried out. */
function isSettled(inv: InvoiceDetail): boolean {
  const moving = inv.correction?.active ? isCorrectionMoving(inv.correction.active.status) : false
  return !isInFlight(inv.status) && !moving
}

export default function InvoiceDetailPage() {
  const { params } = useRouter()
  const invoiceId = routeParam(params.id)
  const fetchInvoice = useCallback(() => getInvoice(invoiceId), [invoiceId])
  const watch = usePolling<InvoiceDetail>({ fetch: invoiceId ? fetchInvoice : null, isSettled })
  const [busy, setBusy] = useState<'pdf' | 'xml' | null>(null)
  const [sheet, setSheet] = useState(false)
  const [partners, setPartners] = useState<Record<string, InvoiceDetail>>({})
  const invoice = watch.data

  usePullDownRefresh(() => {
    void watch.restart().finally(() => Taro.stopPullDownRefresh())
  })

  async function download(kind: 'pdf' | 'xml') {
    if (!invoice || busy) return
    setBusy(kind)
    try {
      const files = await getFiles(invoice.id)
      const name = `发票_${invoice.invoiceNo ?? invoice.id}.${kind}`
      await openInvoiceFile(kind === 'pdf' ? files.pdfUrl : files.xmlUrl, kind, name)
      if (process.env.TARO_ENV === 'h5') void Taro.showToast({ title: '已开始下载', icon: 'none' })
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setBusy(null)
    }
  }

  if (!invoiceId || watch.error) {
    return (
      <Page>
        <ErrorState message={watch.error ?? '缺少发票编号，请从「发票」进入'} onRetry={() => (invoiceId ? watch.retry() : openTab('/pages/invoice/index'))} />
      </Page>
    )
  }
  if (!invoice) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }

  const red = invoice.color === 'red'
  const issued = invoice.status === 'issued'
  const history = invoice.history.map((ev) => ({ at: ev.at, text: INVOICE_EVENT_LABEL[ev.type] ?? ev.type }))
  const chainFirst = red || Boolean(invoice.chain.reversedById)
  const blueNo = red && invoice.chain.originalId ? (partners[invoice.chain.originalId]?.invoiceNo ?? null) : null

  return (
    <Page>
      {/* a reversed or red invoice leads with its chain: the person needs the valid one */}
      {chainFirst ? <InvoiceChain invoice={invoice} onPartners={setPartners} /> : null}
      <InvoicePreview invoice={invoice} blueInvoiceNo={blueNo} />

      <View className='section-title'>开票状态</View>
      <View className='cells'>
        <View className='cell'>
          <View className='cell__label'>状态</View>
          <View className='cell__body'>
            <Text id='invoice-status' className={`tag tag--big ${INVOICE_STATUS_TAG[invoice.status]}`}>
              {INVOICE_STATUS_LABEL[invoice.status]}
            </Text>
            <ChainChips invoice={invoice} idPrefix='detail-chip' />
          </View>
        </View>
        {isInFlight(invoice.status) ? (
          <View className='cell'>
            <View className='cell__body cell__desc' id='invoice-progress'>
              {watch.slow ? '开具时间比平时长，请稍后下拉刷新查看；完成后会通知你。' : '正在开具，通常几秒钟内完成…'}
            </View>
          </View>
        ) : null}
        {invoice.status === 'failed' ? (
          <View className='cell'>
            <View className='cell__body warn-text' id='invoice-failure'>
              {failureText(invoice)}
            </View>
          </View>
        ) : null}
        <View className='cell'>
          <View className='cell__label'>金额</View>
          <View className='cell__body result-value' id='invoice-amount'>
            {formatFen(signedAmountFen(invoice))}
            {invoice.orderCount > 1 ? `（${invoice.orderCount} 笔充值）` : ''}
          </View>
        </View>
        {red ? (
          <View className='cell'>
            <View className='cell__label'>确认单编号</View>
            <View className='cell__body result-value mono' id='confirmation-no'>
              {invoice.confirmationNo ?? '—'}
            </View>
          </View>
        ) : null}
        <View className='cell'>
          <View className='cell__label'>申请时间</View>
          <View className='cell__body result-value'>{formatDateTime(invoice.requestedAt)}</View>
        </View>
        {invoice.issuedAt ? (
          <View className='cell'>
            <View className='cell__label'>开具时间</View>
            <View className='cell__body result-value'>{formatDateTime(invoice.issuedAt)}</View>
          </View>
        ) : null}
        <View className='cell'>
          <View className='cell__label'>接收邮箱</View>
          <View className='cell__body result-value' id='invoice-email'>
            {invoice.email ?? '未填写'}
          </View>
        </View>
      </View>

      <View className='btn-area'>
        {issued ? (
          <View>
            <Button
              className={busy === 'pdf' ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
              id='download-pdf'
              loading={busy === 'pdf'}
              onClick={() => void download('pdf')}
            >
              下载 PDF
            </Button>
            <Button className='btn btn--default' id='download-xml' loading={busy === 'xml'} onClick={() => void download('xml')}>
              下载 XML
            </Button>
            <Button className='btn btn--default' id='resend-email' onClick={() => setSheet(true)}>
              发送到邮箱
            </Button>
            <Button
              className='btn btn--default'
              id='copy-number'
              onClick={() => invoice.invoiceNo && void Taro.setClipboardData({ data: invoice.invoiceNo }).catch(() => undefined)}
            >
              复制号码
            </Button>
          </View>
        ) : (
          <View className='hint center'>开具完成后可下载 PDF、XML 或发送到邮箱</View>
        )}
      </View>
      <View className='hint center'>没收到邮件？请查看垃圾邮件箱</View>

      <InvoiceAfterSales invoice={invoice} />
      {chainFirst ? null : <InvoiceChain invoice={invoice} onPartners={setPartners} />}

      {history.length > 0 ? (
        <View>
          <View className='section-title'>处理记录</View>
          <Timeline id='invoice-history' items={history} />
        </View>
      ) : null}

      {invoice.pdf || invoice.xml ? (
        <View>
          <View className='section-title'>文件指纹（SHA-256 前 16 位）</View>
          <View className='cells'>
            {invoice.pdf ? (
              <View className='cell'>
                <View className='cell__label'>PDF</View>
                <View className='cell__body mono' id='pdf-sha'>
                  {shortSha(invoice.pdf.sha256)}
                </View>
              </View>
            ) : null}
            {invoice.xml ? (
              <View className='cell'>
                <View className='cell__label'>XML</View>
                <View className='cell__body mono' id='xml-sha'>
                  {shortSha(invoice.xml.sha256)}
                </View>
              </View>
            ) : null}
          </View>
          <View className='hint'>可用此指纹核对下载的文件</View>
        </View>
      ) : null}

      <CustomerService invoiceId={invoice.id} />

      <ResendSheet
        open={sheet}
        invoiceId={invoice.id}
        email={invoice.email}
        onClose={() => setSheet(false)}
        onSent={() => {
          setSheet(false)
          void watch.restart()
        }}
      />
    </Page>
  )
}
