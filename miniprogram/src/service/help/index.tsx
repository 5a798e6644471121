import { useState } from 'react'
import { Button, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { FAQS, PRIVACY } from './faq'
import { openPage } from '../../services/nav'
import '../service.css'

const IS_WEAPP = process.env.TARO_ENV === 'weapp'

/** 帮助与客服: contact first (the primary action), then the FAQ and what we collect and why. */
export default function HelpPage() {
  const [open, setOpen] = useState<string | null>(null)
  return (
    <Page>
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
        <View className='cell' id='help-my-tickets' hoverClass='cell-hover' onClick={() => openPage('/service/tickets/index')}>
          <View className='cell__body'>
            <View className='cell__title'>我的反馈</View>
          </View>
          <View className='cell__arrow' />
        </View>
        <View className='cell' id='help-my-applications' hoverClass='cell-hover' onClick={() => openPage('/service/applications/index')}>
          <View className='cell__body'>
            <View className='cell__title'>我的申请（补开、换开、纸质件）</View>
          </View>
          <View className='cell__arrow' />
        </View>
      </View>

      <View className='section-title'>常见问题</View>
      <View className='cells' id='help-faq'>
        {FAQS.map((f) => (
          <View key={f.id}>
            <View className='cell faq__q' id={`faq-${f.id}`} hoverClass='cell-hover' onClick={() => setOpen(open === f.id ? null : f.id)}>
              <View className='cell__body cell__title'>{f.q}</View>
              <View className='faq__toggle'>{open === f.id ? '收起' : '展开'}</View>
            </View>
            {open === f.id ? (
              <View className='faq__a' id={`faq-${f.id}-answer`}>
                {f.a}
              </View>
            ) : null}
          </View>
        ))}
      </View>

      <View className='section-title'>个人信息保护</View>
      <View className='privacy' id='help-privacy'>
        <View className='privacy__item'>我们只收集办理业务所需的信息：</View>
        {PRIVACY.map((p) => (
          <View className='privacy__item' key={p}>
            · {p}
          </View>
        ))}
        <View className='privacy__item'>完整的隐私政策将在后续版本提供。</View>
      </View>
    </Page>
  )
}
