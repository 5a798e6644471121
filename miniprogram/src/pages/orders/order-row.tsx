import { View } from '@tarojs/components'
import type { OrderListItem } from '@shared/domain'
import { decorative, pressable } from '../../components/a11y'
import { formatDateTime, formatFen } from '../../services/format'
import { invoiceChip, ORDER_STATUS_LABEL } from '../../services/topup.service'

/** What the invoice line under a paid order says besides its chip. */
function invoiceHint(o: OrderListItem): string {
  const s = o.invoice
  if (!s) return ''
  if (s.state === 'none') return s.daysLeft !== null && s.daysLeft <= 1 ? '今天是开票最后一天' : `还可开票 ${s.daysLeft} 天`
  if (s.state === 'expired') return '可申请补开'
  return ''
}

/**
 * One row of 充值记录: the order (opens its result page) and, for a paid one, its invoice state
 * as a chip with its own link: 去开票 (the 发票 tab with this order ticked), 查看发票 (the live
 * invoice). Two separate targets, never one inside the other.
 */
export function OrderRow({
  order,
  onOpen,
  onInvoice,
  onViewInvoice,
  onSupplement,
}: {
  order: OrderListItem
  onOpen: () => void
  onInvoice: () => void
  onViewInvoice: (invoiceId: string) => void
  onSupplement: () => void
}) {
  const name = order.cardNickname || `武汉通 ${order.cardNo.slice(-4)}`
  const status = ORDER_STATUS_LABEL[order.status]
  const chip = invoiceChip(order.invoice)
  const state = order.invoice
  const action =
    state?.state === 'none'
      ? { label: '去开票', run: onInvoice }
      : state?.invoiceId
        ? { label: '查看发票', run: () => onViewInvoice(state.invoiceId!) }
        : state?.state === 'expired'
          ? { label: '申请补开', run: onSupplement }
          : null
  return (
    <View className='order-row' id={`order-${order.id}`}>
      <View className='cell' hoverClass='cell-hover' onClick={onOpen} {...pressable('', 'link')}>
        <View className='cell__body'>
          <View className='cell__title'>{name}</View>
          <View className='cell__desc'>{formatDateTime(order.createdAt)}</View>
        </View>
        <View className='order-side'>
          <View className='order-amount'>{formatFen(order.amountFen)}</View>
          <View className={`tag tag--${order.status}`}>{status}</View>
        </View>
        <View className='cell__arrow' {...decorative()} />
      </View>
      {chip ? (
        <View className='order-invoice' id={`order-invoice-${order.id}`}>
          <View className={`invoice-chip invoice-chip--${chip.tone}`}>{chip.label}</View>
          <View className='order-invoice__hint'>{invoiceHint(order)}</View>
          {action ? (
            <View
              className='order-invoice__go'
              id={`order-invoice-go-${order.id}`}
              hoverClass='cell-hover'
              onClick={action.run}
              {...pressable(`${action.label} ${formatFen(order.amountFen)}`, 'link')}
            >
              {action.label}
            </View>
          ) : null}
        </View>
      ) : null}
    </View>
  )
}
