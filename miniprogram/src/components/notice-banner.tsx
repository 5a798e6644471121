import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { NoticePage } from '@shared/api'
import { noticePageOf } from '../services/notice.service'
import { useNotices } from './use-notices'
import './notice-banner.css'
import { pressable } from './a11y'

const LEVEL_LABEL = { info: '通知', warning: '提示', critical: '紧急' } as const

/**
 * The WeUI-like notice bar of emergency notices (staff set them with staff.setNotice) at the
 * top of a page: critical red, warning orange, info blue-grey. Info notices can be closed for
 * this session; warnings and critical ones stay while they are in force.
 *
 * Every page's root (components/page.tsx) carries one: the home page and the invoice pages show
 * it in every state (loading, error, empty), others never ask. `page` overrides the route.
 */
export function NoticeBanner({ page }: { page?: NoticePage }) {
  const { notices, dismiss } = useNotices(page ?? noticePageOf(Taro.getCurrentInstance().router?.path))
  if (!notices.length) return null
  return (
    <View className='notice-banners'>
      {notices.map((n) => (
        <View key={n.id} id={`notice-${n.id}`} className={`notice-bar notice-bar--${n.level}`}>
          <Text className='notice-bar__tag'>{LEVEL_LABEL[n.level]}</Text>
          <Text className='notice-bar__text' userSelect>
            {n.text}
          </Text>
          {n.level === 'info' && (
            <View id={`notice-close-${n.id}`} className='notice-bar__close' onClick={() => dismiss(n)} {...pressable('关闭通知')}>
              ×
            </View>
          )}
        </View>
      ))}
    </View>
  )
}
