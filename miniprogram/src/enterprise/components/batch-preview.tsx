import { View } from '@tarojs/components'
import type { BatchPreview } from '@shared/batch'
import { formatFen, maskCardNo } from '../../services/format'

/** What a batch will make: top-ups, total, invoices under the caps, and what is left out. */
export function BatchPreviewView({ preview }: { preview: BatchPreview }) {
  const { excluded } = preview
  const left = excluded.alreadyInvoiced + excluded.outOfWindow + excluded.overCap
  return (
    <View id='batch-preview' className='batch-preview'>
      <View className='section-title'>预览</View>
      <View className='cells'>
        <View className='kv'>
          <View className='kv__key'>充值笔数</View>
          <View className='kv__value' id='batch-preview-orders'>
            {preview.orderCount} 笔
          </View>
        </View>
        <View className='kv'>
          <View className='kv__key'>开票金额</View>
          <View className='kv__value' id='batch-preview-total'>
            {formatFen(preview.totalFen)}
          </View>
        </View>
        <View className='kv'>
          <View className='kv__key'>将开发票</View>
          <View className='kv__value' id='batch-preview-invoices'>
            {preview.invoiceCount} 张
          </View>
        </View>
      </View>
      <View className='hint'>
        每张发票最多 {preview.caps.maxOrders} 笔、{formatFen(preview.caps.maxTotalFen)}，超出自动拆分。
        {left ? `另有 ${left} 笔不在本次范围（已开票 ${excluded.alreadyInvoiced}，超过开票期限 ${excluded.outOfWindow}，单笔超限 ${excluded.overCap}）。` : ''}
      </View>
      {preview.invoices.length ? (
        <View className='cells'>
          {preview.invoices.map((inv) => (
            <View key={inv.index} className='cell'>
              <View className='cell__body'>
                <View className='cell__title'>第 {inv.index} 张</View>
                <View className='cell__desc wrap'>
                  {inv.orderCount} 笔 · {inv.cardNos.map(maskCardNo).join('、')}
                </View>
              </View>
              <View className='cell__value'>{formatFen(inv.amountFen)}</View>
            </View>
          ))}
        </View>
      ) : null}
      {preview.invoiceCount > preview.invoices.length ? <View className='hint'>仅显示前 {preview.invoices.length} 张</View> : null}
    </View>
  )
}
