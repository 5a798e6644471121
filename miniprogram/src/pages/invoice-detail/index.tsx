import { useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Page } from '../../components/page'
import { ErrorState, Loading } from '../../components/state-view'
import { InvoicePreview } from '../../components/invoice-preview'
import { InvoiceChain } from '../../components/invoice-chain'
import { InvoiceAfterSales } from '../../components/invoice-after-sales'
import { ResendSheet } from '../../components/resend-sheet'
import { CustomerService } from '../../components/customer-service'
import { openTab, routeParam } from '../../services/nav'
import { useInvoiceDetail } from './use-invoice-detail'
import { usePdfActions } from './use-pdf-actions'
import { StatusSummary } from './status-summary'
import { DetailActions } from './detail-actions'
import { MoreInfo } from './more-info'
import './index.css'

/**
 * 发票详情: leads with what people come for (下载 PDF, 转发, 发送到邮箱, 换开, 邮寄纸质版) on the
 * first screen, then page 1 of the invoice as the PDF prints it; times, XML, fingerprints and
 * the history are folded under 更多信息.
 */
export default function InvoiceDetailPage() {
  const { params } = useRouter()
  const invoiceId = routeParam(params.id)
  const { watch, invoice, setPartners, blueNo } = useInvoiceDetail(invoiceId)
  const pdf = usePdfActions(invoice)
  const [sheet, setSheet] = useState(false)

  usePullDownRefresh(() => {
    void watch.restart().finally(() => Taro.stopPullDownRefresh())
  })

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

  // a reversed or red invoice leads with its chain: the person needs the valid one
  const chainFirst = invoice.color === 'red' || Boolean(invoice.chain.reversedById)

  return (
    <Page>
      {chainFirst ? <InvoiceChain invoice={invoice} onPartners={setPartners} /> : null}
      <StatusSummary invoice={invoice} slow={watch.slow} />
      <DetailActions invoice={invoice} pdf={pdf} onEmail={() => setSheet(true)} />
      <InvoicePreview invoice={invoice} blueInvoiceNo={blueNo} />
      <InvoiceAfterSales invoice={invoice} />
      {chainFirst ? null : <InvoiceChain invoice={invoice} onPartners={setPartners} />}
      <MoreInfo invoice={invoice} pdf={pdf} />
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
