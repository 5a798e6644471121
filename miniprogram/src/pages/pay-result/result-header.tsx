import { View } from '@tarojs/components'
import type { TopupOrder } from '@shared/domain'
import { formatDateTime, formatFen } from '../../services/format'
import { decorative, live } from '../../components/a11y'
import { RESULT_ICON, RESULT_LABEL, RESULT_TONE, type ResultView } from './result-view'

function description(view: ResultView, order: TopupOrder, offline: boolean): string | null {
  switch (view) {
    case 'confirming':
      return offline ? '网络不给力，恢复后会自动继续确认，请不要重复支付。' : '正在确认支付结果，请稍候…'
    case 'checking':
      return '暂未收到微信支付的结果。如已付款，请不要重复支付：我们会继续核实，确认后自动到账，可在充值记录中查看。'
    case 'unpaid':
      return `这笔充值还没有付款。订单将于 ${formatDateTime(order.expiresAt)} 关闭，请在此之前完成支付。`
    case 'awaiting':
      return `订单将于 ${formatDateTime(order.expiresAt)} 关闭。如已付款，结果可能稍有延迟，请勿重复支付。`
    case 'closed':
      return '订单未支付已关闭，请返回首页重新下单。'
    default:
      return null
  }
}

/** The big status line: icon, what happened, the amount and what to do next. */
export function ResultHeader({ view, order, offline }: { view: ResultView; order: TopupOrder; offline: boolean }) {
  const desc = description(view, order, offline)
  return (
    <View className={`result result--${RESULT_TONE[view]}`}>
      <View className='result__icon' {...decorative()}>
        {RESULT_ICON[view]}
      </View>
      <View className='result__title' id='result-status' {...live()}>
        {RESULT_LABEL[view]}
      </View>
      <View className='result__amount'>{formatFen(order.amountFen)}</View>
      {desc ? (
        <View className='result__desc' id='result-desc'>
          {desc}
        </View>
      ) : null}
    </View>
  )
}
