import { View } from '@tarojs/components'
import { pressable } from '../../components/a11y'
import { callSupport } from '../../services/support.service'
import { useSupport } from '../../components/use-support'

/** 客服电话 with its hours, from the cloud's configuration; tap to call. Nothing until known. */
export function SupportLine() {
  const support = useSupport()
  if (!support) return null
  return (
    <View
      className='cell'
      id='support-phone'
      hoverClass='cell-hover'
      onClick={() => callSupport(support.phone)}
      {...pressable(`拨打客服电话 ${support.phone}`)}
    >
      <View className='cell__body'>
        <View className='cell__title'>客服电话</View>
        <View className='cell__desc' id='support-hours'>
          {support.hours}
        </View>
      </View>
      <View className='cell__value link' id='support-phone-number'>
        {support.phone}
      </View>
    </View>
  )
}
