import { useEffect, type PropsWithChildren } from 'react'
import { View } from '@tarojs/components'
import { useLargeText } from './use-large-text'
import { NoticeBanner } from './notice-banner'
import { TitleBar } from './title-bar'

/**
 * Root of every page: the grey background, the 大字模式 switch (`.page.large`) and the emergency
 * notices. In H5, Taro draws toasts, modals, pickers and action sheets in <body>, outside the
 * page, so the flag is mirrored on <body> (`body.large-text`) for the tokens to reach them; in
 * weapp those are native and follow WeChat's own font size. H5 also gets a title bar with 返回
 * (TitleBar; weapp has the native one), titled from the page's config unless `title` is given.
 */
export function Page({ children, className, title }: PropsWithChildren<{ className?: string; title?: string }>) {
  const large = useLargeText()
  useEffect(() => {
    if (process.env.TARO_ENV === 'h5') document.body.classList.toggle('large-text', large)
  }, [large])
  const classes = ['page', large ? 'large' : '', className ?? ''].filter(Boolean).join(' ')
  return (
    <View className={classes}>
      {process.env.TARO_ENV === 'h5' ? <TitleBar title={title} /> : null}
      <NoticeBanner />
      {children}
    </View>
  )
}
