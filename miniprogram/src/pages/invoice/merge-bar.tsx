import { Button, Text, View } from '@tarojs/components'
import type { InvoiceCaps } from '@shared/domain'
import { formatFen } from '../../services/format'

// in weapp the bar sits on the page bottom (the tab bar is native); H5 draws the tab bar in the page
const BAR_CLASS = process.env.TARO_ENV === 'h5' ? 'bottom-bar bottom-bar--h5-tab' : 'bottom-bar'

/**
 * The caps as they bind now: the count left, or that the invoice is full. Not an amount "still
 * mergeable": with the count cap reached no amount is, and 全选 offers the automatic split anyway.
 */
function capHint(caps: InvoiceCaps, count: number): string {
  if (count >= caps.maxOrders) return `已达单张上限 ${caps.maxOrders} 笔；更多请用全选自动拆分`
  return `单张最多 ${caps.maxOrders} 笔、${formatFen(caps.maxTotalFen)}`
}

/** The bar under 待开票: how many are ticked, their total, what the caps still allow, and 开票. */
export function MergeBar({
  count,
  totalFen,
  caps,
  busy,
  onSubmit,
}: {
  count: number
  totalFen: number
  caps: InvoiceCaps | null
  busy: boolean
  onSubmit: () => void
}) {
  return (
    <View className={BAR_CLASS} id='invoice-bar'>
      <View className='bottom-bar__info'>
        <View className='bottom-bar__sum'>
          已选 <Text id='selected-count'>{count}</Text> 笔 · 合计{' '}
          <Text className='bottom-bar__total' id='selected-total'>
            {formatFen(totalFen)}
          </Text>
        </View>
        {caps ? (
          <View className='bottom-bar__hint' id='cap-hint'>
            {capHint(caps, count)}
          </View>
        ) : null}
      </View>
      <Button
        // never faded when nothing is ticked: faded white-on-green fails 4.5:1; a tap then says what to do
        className={busy ? 'btn btn--primary btn--bar btn--busy' : 'btn btn--primary btn--bar'}
        id='invoice-submit'
        loading={busy}
        onClick={onSubmit}
      >
        开票
      </Button>
    </View>
  )
}
