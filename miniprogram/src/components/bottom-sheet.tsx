import type { PropsWithChildren, ReactNode } from 'react'
import { View } from '@tarojs/components'

/** A confirmation sheet sliding from the bottom; tapping the mask or ✕ closes it. */
export function BottomSheet({
  open,
  title,
  footer,
  onClose,
  children,
}: PropsWithChildren<{ open: boolean; title: string; footer?: ReactNode; onClose: () => void }>) {
  if (!open) return null
  return (
    <View>
      <View className='sheet-mask' onClick={onClose} catchMove />
      <View className='sheet' id='sheet' catchMove>
        <View className='sheet__header'>
          <View className='sheet__close' id='sheet-close' onClick={onClose}>
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
