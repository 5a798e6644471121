import { View } from '@tarojs/components'
import type { UninvoicedSummary } from '@shared/domain'
import { openTab } from '../services/nav'
import { pressable } from './a11y'
import { useUninvoiced } from './use-uninvoiced'
import './uninvoiced-line.css'

/** "有 N 笔充值还未开票，最早 M 天后过期 去开票" on the home page; nothing when all are invoiced. */
export function UninvoicedLine({ summary }: { summary: UninvoicedSummary | null }) {
  if (!summary || summary.count === 0) return null
  const when = summary.soonestDaysLeft === null ? '' : summary.soonestDaysLeft <= 1 ? '，最早一笔今天过期' : `，最早 ${summary.soonestDaysLeft} 天后过期`
  const text = `有 ${summary.count} 笔充值还未开票${when}`
  const urgent = summary.soonestDaysLeft !== null && summary.soonestDaysLeft <= 7
  return (
    <View
      className={urgent ? 'uninvoiced-line uninvoiced-line--urgent' : 'uninvoiced-line'}
      id='uninvoiced-line'
      hoverClass='cell-hover'
      onClick={() => openTab('/pages/invoice/index')}
      {...pressable(`${text} 去开票`, 'link')}
    >
      <View className='uninvoiced-line__text'>{text}</View>
      <View className='uninvoiced-line__go'>去开票</View>
    </View>
  )
}

/** The line with its data (components/use-uninvoiced.ts): one element to drop into a page; it also keeps the 发票 tab badge right. */
export function UninvoicedNudge() {
  const { summary } = useUninvoiced()
  return <UninvoicedLine summary={summary} />
}
