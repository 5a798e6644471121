import { useEffect, type PropsWithChildren, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { decorative, dialog, pressable } from './a11y'

/** A confirmation sheet sliding from the bottom; tapping the mask or ✕ closes it. */
export function BottomSheet({
  open,
  title,
  footer,
  onClose,
  children,
}: PropsWithChildren<{ open: boolean; title: string; footer?: ReactNode; onClose: () => void }>) {
  // H5 draws the tab bar inside the document, above the page's fixed layers; hide it while the
  // sheet is up. (The weapp tab bar is native and sits outside the page, below the sheet.)
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5' || !open) return undefined
    Taro.hideTabBar({ animation: false }).catch(() => undefined)
    return () => {
      Taro.showTabBar({ animation: false }).catch(() => undefined)
    }
  }, [open])

  if (!open) return null
  return (
    <View>
      {/* the mask closes too, but the ✕ is the named way for a screen reader */}
      <View className='sheet-mask' onClick={onClose} catchMove {...decorative()} />
      <View className='sheet' id='sheet' catchMove {...dialog(title)}>
        <View className='sheet__header'>
          <View className='sheet__close' id='sheet-close' onClick={onClose} {...pressable('关闭')}>
            ✕
          </View>
          {title}
        </View>
        <View className='sheet__body'>{children}</View>
        {footer ? <View className='sheet__footer'>{footer}</View> : null}
      </View>
    </View>
  )
}
