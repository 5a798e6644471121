import type { PropsWithChildren } from 'react'
import { View } from '@tarojs/components'
import { useLargeText } from './use-large-text'
import { NoticeBanner } from './notice-banner'

/** Root of every page: the grey background, the 大字模式 switch (`.page.large`) and the emergency notices. */
export function Page({ children, className }: PropsWithChildren<{ className?: string }>) {
  const large = useLargeText()
  const classes = ['page', large ? 'large' : '', className ?? ''].filter(Boolean).join(' ')
  return (
    <View className={classes}>
      <NoticeBanner />
      {children}
    </View>
  )
}
