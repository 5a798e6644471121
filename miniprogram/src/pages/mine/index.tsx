import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Switch, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { useLargeText } from '../../components/use-large-text'
import { setLargeText } from '../../services/settings.service'
import { displayName } from '../../services/session'

function LinkCell({ id, title, url }: { id: string; title: string; url: string }) {
  return (
    <View className='cell' id={id} hoverClass='cell-hover' onClick={() => Taro.navigateTo({ url })}>
      <View className='cell__body'>
        <View className='cell__title'>{title}</View>
      </View>
      <View className='cell__arrow' />
    </View>
  )
}

export default function MinePage() {
  const large = useLargeText()
  const [name, setName] = useState(displayName)

  // the H5 sign-in may have changed while this tab was hidden
  useDidShow(() => setName(displayName()))

  return (
    <Page>
      <View className='profile'>
        <View className='profile__avatar'>{Array.from(name)[0] ?? '我'}</View>
        <View className='profile__name' id='user-name'>
          {name}
        </View>
      </View>

      <View className='cells'>
        <LinkCell id='mine-cards' title='我的卡片' url='/pages/cards/index' />
        <LinkCell id='mine-orders' title='充值记录' url='/pages/orders/index' />
      </View>

      <View className='cells'>
        <LinkCell id='mine-titles' title='发票抬头' url='/pages/titles/index' />
        <LinkCell id='mine-settings' title='设置' url='/pages/settings/index' />
      </View>

      <View className='cells'>
        <View className='cell' id='large-text'>
          <View className='cell__body'>
            <View className='cell__title'>大字模式</View>
            <View className='cell__desc'>放大文字和按钮，更易看清</View>
          </View>
          <Switch
            id='large-text-switch'
            checked={large}
            color='#07C160'
            onChange={(e) => setLargeText(e.detail.value)}
          />
        </View>
      </View>

      <View className='cells'>
        <LinkCell id='mine-about' title='关于' url='/pages/about/index' />
      </View>
    </Page>
  )
}
