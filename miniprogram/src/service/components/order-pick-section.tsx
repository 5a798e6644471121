import { View } from '@tarojs/components'
import type { TopupOrder } from '@shared/domain'
import { formatDateTime, formatFen } from '../../services/format'
import { pressable } from '../../components/a11y'

/** Our paid top-ups past the request window, to pick for 补开 (multi-select). */
export function OrderPickSection({
  orders,
  windowDays,
  selected,
  onToggle,
}: {
  orders: TopupOrder[]
  windowDays: number
  selected: string[]
  onToggle: (id: string) => void
}) {
  return (
    <View>
      <View className='section-title'>本平台的充值记录（超过 {windowDays} 天未开票）</View>
      {orders.length === 0 ? (
        <View className='hint' id='supplement-orders-none'>
          没有超过 {windowDays} 天未开票的充值。近 {windowDays} 天内的充值请在「发票 → 待开票」直接开票，无需申请。
        </View>
      ) : (
        <View className='cells' id='supplement-orders'>
          {orders.map((o) => {
            const on = selected.includes(o.id)
            return (
              <View
                key={o.id}
                id={`supplement-order-${o.id}`}
                className={on ? 'cell cell--selected' : 'cell'}
                hoverClass='cell-hover'
                onClick={() => onToggle(o.id)}
                {...pressable('', 'checkbox', { checked: on })}
              >
                <View className={on ? 'check check--on' : 'check'}>{on ? '✓' : ''}</View>
                <View className='cell__body'>
                  <View className='cell__title row-title'>{o.cardNickname || `武汉通 ${o.cardNo.slice(-4)}`}</View>
                  <View className='cell__desc'>{formatDateTime(o.paidAt)}</View>
                </View>
                <View className='row-amount'>{formatFen(o.amountFen)}</View>
              </View>
            )
          })}
        </View>
      )}
    </View>
  )
}
