import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import type { TopupOrder } from '@shared/domain'
import { formatDateTime, maskCardNo } from '../../services/format'
import { pressable } from '../../components/a11y'

/** Card, time, order number (tap to copy) and the WeChat Pay transaction number. */
export function OrderFacts({ order }: { order: TopupOrder }) {
  const copy = () => void Taro.setClipboardData({ data: order.id }).catch(() => undefined)
  return (
    <View className='cells result-details'>
      <View className='cell'>
        <View className='cell__label'>充值卡片</View>
        <View className='cell__body result-value'>
          <View>{order.cardNickname || `武汉通 ${order.cardNo.slice(-4)}`}</View>
          <View className='cell__desc'>{maskCardNo(order.cardNo)}</View>
        </View>
      </View>
      <View className='cell'>
        <View className='cell__label'>{order.paidAt ? '支付时间' : '下单时间'}</View>
        <View className='cell__body result-value'>{formatDateTime(order.paidAt ?? order.createdAt)}</View>
      </View>
      <View className='cell' id='copy-order-id' hoverClass='cell-hover' onClick={copy} {...pressable(`订单号 ${order.id} 复制`)}>
        <View className='cell__label'>订单号</View>
        <View className='cell__body result-value' id='order-id'>
          {order.id}
        </View>
        <View className='cell__value link'>复制</View>
      </View>
      {order.transactionId ? (
        <View className='cell'>
          <View className='cell__label'>交易单号</View>
          <View className='cell__body result-value' id='transaction-id'>
            {order.transactionId}
          </View>
        </View>
      ) : null}
    </View>
  )
}
