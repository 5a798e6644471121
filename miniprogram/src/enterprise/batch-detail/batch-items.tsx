import { View } from '@tarojs/components'
import type { BatchItemView } from '@shared/batch'
import { decorative, pressable } from '../../components/a11y'
import { formatFen, maskCardNo } from '../../services/format'
import { openPage } from '../../services/nav'

const STATUS: Record<BatchItemView['status'], string> = { pending: '待处理', requested: '已开票', skipped: '已跳过', failed: '失败' }

/** The planned invoices of a job; a requested one opens its invoice (PDF, e-mail, history). */
export function BatchItems({ items }: { items: BatchItemView[] }) {
  return (
    <View className='cells' id='batch-items'>
      {items.map((i) => {
        const desc = `${i.orderCount} 笔 · ${i.cardNos.map(maskCardNo).join('、')}`
        const body = (
          <View className='cell__body'>
            <View className='cell__title'>
              第 {i.index} 张 · {formatFen(i.amountFen)}
            </View>
            <View className='cell__desc wrap'>{i.reason ? `${STATUS[i.status]}：${i.reason}` : `${STATUS[i.status]} · ${desc}`}</View>
          </View>
        )
        if (!i.invoiceId) {
          return (
            <View key={i.index} className={i.status === 'failed' ? 'cell batch-item--failed' : 'cell'}>
              {body}
            </View>
          )
        }
        const invoiceId = i.invoiceId
        return (
          <View
            key={i.index}
            id={`batch-item-${i.index}`}
            className='cell cell--link'
            onClick={() => openPage(`/pages/invoice-detail/index?id=${encodeURIComponent(invoiceId)}`)}
            {...pressable('', 'link')}
          >
            {body}
            <View className='cell__arrow' {...decorative()} />
          </View>
        )
      })}
    </View>
  )
}
