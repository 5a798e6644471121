import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { goBack } from '../services/nav'
import { decorative, pressable } from './a11y'
import './title-bar.css'

/** The tab pages: reached from the tab bar, no 返回 (there is nothing under them). */
const TAB_ROUTES = ['pages/index/index', 'pages/invoice/index', 'pages/mine/index']

function currentRoute(): string {
  return (Taro.getCurrentInstance().router?.path ?? '').replace(/^\//, '').split('?')[0]
}

/** The page's own title from its index.config.ts (Taro keeps it on the page instance). */
function configTitle(): string {
  const page = Taro.getCurrentInstance().page as { config?: { navigationBarTitleText?: string } } | undefined
  return page?.config?.navigationBarTitleText ?? ''
}

/**
 * H5 only: WeChat draws the title and its back arrow natively; the browser build had neither, so
 * a sub-page had no way back but the browser's own button. 返回 goes back in the app's stack, or
 * (a page opened by a link or a reload has nothing under it) to the home tab.
 */
export function TitleBar({ title }: { title?: string }) {
  const route = currentRoute()
  const isTab = TAB_ROUTES.includes(route)
  const text = title ?? (configTitle() || '武汉通充值')
  return (
    <View className='title-bar' id='title-bar'>
      {isTab ? null : (
        <View className='title-bar__back' id='title-bar-back' onClick={() => goBack({ tab: '/pages/index/index' })} {...pressable('返回')}>
          <View className='title-bar__chevron' {...decorative()} />
          返回
        </View>
      )}
      <View className='title-bar__title' id='title-bar-title' role='heading' aria-level={1}>
        {text}
      </View>
    </View>
  )
}
