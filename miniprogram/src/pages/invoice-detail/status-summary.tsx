import { Text, View } from '@tarojs/components'
import type { InvoiceDetail } from '@shared/domain'
import { ChainChips } from '../../components/invoice-chain'
import { INVOICE_STATUS_LABEL, INVOICE_STATUS_TAG, isInFlight } from '../../services/invoice.service'
import { signedAmountFen } from '../../services/correction.service'
import { formatFen } from '../../services/format'
import { HelpLink } from '../../components/help-link'
import { failureText } from './failure-text'

/** The first lines: status, amount, title, and while it is not issued, what happens next. */
export function StatusSummary({ invoice, slow }: { invoice: InvoiceDetail; slow: boolean }) {
  return (
    <View className='detail-summary' id='invoice-summary'>
      <View>
        <Text id='invoice-status' className={`tag tag--big ${INVOICE_STATUS_TAG[invoice.status]}`}>
          {INVOICE_STATUS_LABEL[invoice.status]}
        </Text>
        <ChainChips invoice={invoice} idPrefix='detail-chip' />
      </View>
      <View className='detail-summary__amount' id='invoice-amount'>
        {formatFen(signedAmountFen(invoice))}
        {invoice.orderCount > 1 ? `（${invoice.orderCount} 笔充值）` : ''}
      </View>
      <View className='detail-summary__title'>{invoice.title.name}</View>
      {invoice.color === 'red' ? (
        <View className='detail-summary__title'>
          红字确认单编号：
          <Text className='mono' id='confirmation-no'>
            {invoice.confirmationNo ?? '—'}
          </Text>
        </View>
      ) : null}
      {isInFlight(invoice.status) ? (
        <View className='detail-summary__note hint' id='invoice-progress'>
          {slow ? '开具时间比平时长，请稍后下拉刷新查看；开好后会通知你。' : '正在开具，通常几秒钟内完成…'}
        </View>
      ) : null}
      {invoice.status === 'failed' ? (
        <View className='detail-summary__note warn-text' id='invoice-failure'>
          {failureText(invoice)}
        </View>
      ) : null}
      {invoice.status === 'failed' ? <HelpLink topic='invoice' text='开票失败怎么办？查看帮助' id='help-link-invoice-failed' /> : null}
    </View>
  )
}
