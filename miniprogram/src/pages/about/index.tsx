import { View } from '@tarojs/components'
import { Page } from '../../components/page'
import { pressable } from '../../components/a11y'
import { LinkCell } from '../../components/link-cell'
import { useSupport } from '../../components/use-support'
import { callSupport } from '../../services/support.service'

/** 关于: what the app is, the service phone and hours (from the cloud's configuration), the policies. */
export default function AboutPage() {
  const support = useSupport()
  return (
    <Page>
      <View className='about'>
        <View className='about__title'>武汉通充值</View>
        <View className='about__version'>版本 0.1.0</View>
      </View>
      <View className='section-title'>客服</View>
      <View className='cells'>
        <View
          className='cell'
          id='about-phone'
          hoverClass='cell-hover'
          onClick={() => support && callSupport(support.phone)}
          {...pressable(support ? `拨打客服电话 ${support.phone}` : '客服电话', 'button')}
        >
          <View className='cell__label'>客服电话</View>
          <View className='cell__body link' id='about-phone-number'>
            {support?.phone ?? '加载中…'}
          </View>
        </View>
        <View className='cell'>
          <View className='cell__label'>服务时间</View>
          <View className='cell__body' id='about-hours'>
            {support?.hours ?? '加载中…'}
          </View>
        </View>
        <LinkCell id='about-help' title='帮助与客服' url='/service/help/index' />
      </View>
      <View className='section-title'>说明</View>
      <View className='cells'>
        <View className='cell'>
          <View className='cell__body cell__desc about__text'>
            为已绑定的武汉通卡在线充值，支付使用微信支付，充值后可开具电子发票。订单号和交易单号可在「我的-充值记录」查看；有问题时请保留订单号，以便核对。
          </View>
        </View>
      </View>
      <View className='cells'>
        <LinkCell id='about-privacy' title='隐私政策' url='/service/privacy/index' />
        <LinkCell id='about-agreement' title='用户协议' url='/service/agreement/index' />
      </View>
    </Page>
  )
}
