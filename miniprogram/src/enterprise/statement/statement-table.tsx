import { View } from '@tarojs/components'
import type { StatementView } from '@shared/ledger'
import { formatFen } from '../../services/format'

const isH5 = process.env.TARO_ENV === 'h5'
/** Table semantics for our View grid (same spelling rule as components/a11y.ts). */
const part = (role: 'table' | 'row' | 'columnheader' | 'cell' | 'rowheader', label?: string) => ({
  ...(isH5 ? { role } : { 'aria-role': role }),
  ...(label ? { 'aria-label': label } : {}),
})

/** The statement as a table: the chart's text alternative, month by month, with the totals. */
export function StatementTable({ s }: { s: StatementView }) {
  const head = ['月份', '充值', '已开票', '未开票', '可开剩余天数']
  const rows = s.months.filter((m) => m.toppedUpFen > 0)
  return (
    <View className='stmt-table' id='stmt-table' {...part('table', `${s.year} 年每月充值与开票`)}>
      <View className='stmt-row stmt-row--head' {...part('row')}>
        {head.map((h) => (
          <View key={h} className='stmt-cell' {...part('columnheader')}>
            {h}
          </View>
        ))}
      </View>
      {rows.map((m) => (
        <View key={m.month} className='stmt-row' id={`stmt-row-${m.month}`} {...part('row')}>
          <View className='stmt-cell' {...part('rowheader')}>
            {m.month} 月
          </View>
          <View className='stmt-cell' {...part('cell')}>
            {formatFen(m.toppedUpFen)}
          </View>
          <View className='stmt-cell' {...part('cell')}>
            {formatFen(m.invoicedFen)}
          </View>
          <View className='stmt-cell' {...part('cell')}>
            {formatFen(m.notInvoicedFen)}
          </View>
          <View className='stmt-cell' {...part('cell')}>
            {m.minDaysLeft === null ? (m.notInvoicedFen > 0 ? '已过期' : '—') : `${m.minDaysLeft} 天`}
          </View>
        </View>
      ))}
      <View className='stmt-row' id='stmt-total' {...part('row')}>
        <View className='stmt-cell' {...part('rowheader')}>
          合计
        </View>
        <View className='stmt-cell' {...part('cell')}>
          {formatFen(s.totals.toppedUpFen)}
        </View>
        <View className='stmt-cell' {...part('cell')}>
          {formatFen(s.totals.invoicedFen)}
        </View>
        <View className='stmt-cell' {...part('cell')}>
          {formatFen(s.totals.notInvoicedFen)}
        </View>
        <View className='stmt-cell' {...part('cell')} />
      </View>
    </View>
  )
}
