import { Button, View } from '@tarojs/components'
import { LinkCell } from '../../components/link-cell'
import { openPage } from '../../services/nav'
import { SupportLine } from './support-line'

const IS_WEAPP = process.env.TARO_ENV === 'weapp'

/** 联系客服: the WeChat chat (weapp), 问题反馈, the phone from configuration, my tickets and applications. */
export function ContactBlock() {
  return (
    <View>
      <View className='section-title'>联系客服</View>
      <View className='btn-area top-action'>
        {IS_WEAPP ? (
          <Button className='btn btn--primary' id='help-contact' openType='contact'>
            联系在线客服
          </Button>
        ) : (
          <View className='hint' id='help-contact-h5'>
            在线客服在微信小程序中可用。在这里可以提交问题反馈，客服会在 1 个工作日内回复。
          </View>
        )}
        <Button className={IS_WEAPP ? 'btn btn--default' : 'btn btn--primary'} id='help-feedback' onClick={() => openPage('/service/ticket-new/index')}>
          问题反馈
        </Button>
      </View>
      <View className='cells'>
        <SupportLine />
        <LinkCell id='help-my-tickets' title='我的反馈' url='/service/tickets/index' />
        <LinkCell id='help-my-applications' title='我的申请（补开、换开、纸质件）' url='/service/applications/index' />
      </View>
    </View>
  )
}

/** 隐私政策 · 用户协议 · 关于 */
export function PolicyLinks() {
  return (
    <View className='cells' id='help-policies'>
      <LinkCell id='help-privacy' title='隐私政策' url='/service/privacy/index' />
      <LinkCell id='help-agreement' title='用户协议' url='/service/agreement/index' />
      <LinkCell id='help-about' title='关于' url='/pages/about/index' />
    </View>
  )
}
