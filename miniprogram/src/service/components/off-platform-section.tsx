import { View } from '@tarojs/components'
import type { OffPlatformTopup } from '@shared/aftersales'
import { OFF_PLATFORM_MAX } from '@shared/aftersales-rules'
import { channelLabel } from '../../services/application.service'
import { formatFen, maskCardNo } from '../../services/format'
import { pressable } from '../../components/a11y'

/** Top-ups made at service halls, machines or other channels (not in our orders). */
export function OffPlatformSection({ entries, onAdd, onRemove }: { entries: OffPlatformTopup[]; onAdd: () => void; onRemove: (index: number) => void }) {
  return (
    <View>
      <View className='section-title'>其他渠道的充值（服务网点、自助机、银行等）</View>
      <View id='offplatform-list'>
        {entries.map((t, i) => (
          <View className='entry' key={`${t.cardNo}-${t.date}-${i}`} id={`offplatform-${i}`}>
            <View className='entry__main'>
              <View className='cell__body'>
                <View className='cell__title'>
                  {channelLabel(t.channel)} · {formatFen(t.amountFen)}
                </View>
                <View className='cell__desc'>
                  {maskCardNo(t.cardNo)} · {t.date}
                </View>
              </View>
              <View className='entry__remove' id={`offplatform-remove-${i}`} onClick={() => onRemove(i)} {...pressable(`删除 第 ${i + 1} 笔`)}>
                删除
              </View>
            </View>
          </View>
        ))}
      </View>
      {entries.length < OFF_PLATFORM_MAX ? (
        <View className='add-row' id='offplatform-add' hoverClass='cell-hover' onClick={onAdd} {...pressable('')}>
          + 添加一笔其他渠道充值
        </View>
      ) : (
        <View className='hint'>一次最多 {OFF_PLATFORM_MAX} 笔，更多请另行申请</View>
      )}
    </View>
  )
}
