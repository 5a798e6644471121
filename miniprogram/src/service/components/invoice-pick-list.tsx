import { View } from '@tarojs/components'
import type { InvoiceSummary } from '@shared/domain'
import { INVOICE_STATUS_LABEL, INVOICE_STATUS_TAG } from '../../services/invoice.service'
import { formatDateTime, formatFen } from '../../services/format'
import { pressable } from '../../components/a11y'

/** Which invoice did not arrive? The person's recent invoices, and a way on without one. */
export function InvoicePickList({ invoices, onPick, onNone }: { invoices: InvoiceSummary[]; onPick: (id: string) => void; onNone: () => void }) {
  return (
    <View>
      <View className='section-title'>哪一张发票没收到？</View>
      <View className='cells' id='ticket-invoice-pick'>
        {invoices.map((inv) => (
          <View key={inv.id} className='cell' id={`ticket-invoice-${inv.id}`} hoverClass='cell-hover' onClick={() => onPick(inv.id)} {...pressable('')}>
            <View className='cell__body'>
              <View className='cell__title row-title'>{inv.title.name}</View>
              <View className='cell__desc'>{formatDateTime(inv.requestedAt)}</View>
            </View>
            <View className='row-side'>
              <View className='row-amount'>{formatFen(inv.amountFen)}</View>
              <View className={`tag ${INVOICE_STATUS_TAG[inv.status]}`}>{INVOICE_STATUS_LABEL[inv.status]}</View>
            </View>
          </View>
        ))}
        <View className='cell cell--link' id='ticket-invoice-none' hoverClass='cell-hover' onClick={onNone} {...pressable('')}>
          <View className='cell__body'>
            <View className='cell__title'>{invoices.length > 0 ? '不在列表中，直接描述问题' : '还没有发票记录，直接描述问题'}</View>
          </View>
          <View className='cell__arrow' />
        </View>
      </View>
    </View>
  )
}
