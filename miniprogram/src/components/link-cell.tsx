import { View } from '@tarojs/components'
import { openPage } from '../services/nav'
import { decorative, pressable } from './a11y'

const badgeText = (n: number) => (n > 99 ? '99+' : String(n))

/**
 * A cell that opens a page: title, optional description and count badge, then the arrow. The accessible
 * name reads all three, so a screen reader hears "我的申请 2" rather than two separate targets.
 * The badge's look lives with the page that shows counts (pages/mine).
 */
export function LinkCell({ id, title, url, badge, desc }: { id: string; title: string; url: string; badge?: number; desc?: string }) {
  return (
    <View
      className='cell'
      id={id}
      hoverClass='cell-hover'
      onClick={() => openPage(url)}
      {...pressable([title, desc, badge ? badgeText(badge) : ''].filter(Boolean).join(' '), 'link')}
    >
      <View className='cell__body'>
        <View className='cell__title'>{title}</View>
        {desc ? <View className='cell__desc'>{desc}</View> : null}
      </View>
      {badge ? (
        <View className='badge' id={`${id}-badge`}>
          {badgeText(badge)}
        </View>
      ) : null}
      <View className='cell__arrow' {...decorative()} />
    </View>
  )
}
