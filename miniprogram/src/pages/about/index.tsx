import { View } from '@tarojs/components'
import { Page } from '../../components/page'

export default function AboutPage() {
  return (
    <Page>
      <View className='about'>
        <View className='about__title'>武汉通充值</View>
        <View className='about__version'>版本 0.1.0</View>
      </View>
      <View className='section-title'>说明</View>
      <View className='cells'>
        <View className='cell'>
          <View className='cell__body cell__desc about__text'>
            为已绑定的武汉通卡在线充值，支付使用微信支付。充值成功后可在「我的-充值记录」查看订单号和交易单号。
          </View>
        </View>
        <View className='cell'>
          <View className='cell__body cell__desc about__text'>支付后未到账或有其他问题，请保留订单号，以便核对。</View>
        </View>
      </View>
    </Page>
  )
}
