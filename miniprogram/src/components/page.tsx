import type { PropsWithChildren } from 'react'
import { View } from '@tarojs/components'
import { useLargeText } from './use-large-text'

/** Root of every page: the grey background and the 大字模式 switch (`.page.large`). */
export function Page({ children, className }: PropsWithChildren<{ className?: string }>) {
  const large = useLargeText()
  const classes = ['page', large ? 'large' : '', className ?? ''].filter(Boolean).join(' ')
  return <View className={classes}>{children}</View>
}
