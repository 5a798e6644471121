import { View } from '@tarojs/components'
import { decorative, pressable } from '../../components/a11y'
import { openPage } from '../../services/nav'
import type { Guide } from './content/types'

/** 操作指南: one cell per guide, opening its steps. */
export function GuideList({ guides }: { guides: Guide[] }) {
  return (
    <View className='cells' id='help-guides'>
      {guides.map((g) => (
        <View
          key={g.id}
          className='cell'
          id={`guide-${g.id}`}
          hoverClass='cell-hover'
          onClick={() => openPage(`/service/help-guide/index?id=${g.id}`)}
          {...pressable('', 'link')}
        >
          <View className='cell__body'>
            <View className='cell__title'>{g.title}</View>
            <View className='cell__desc'>{g.summary}</View>
          </View>
          <View className='cell__arrow' {...decorative()} />
        </View>
      ))}
    </View>
  )
}
