import { View } from '@tarojs/components'
import { pressable } from './a11y'

/** 加载中… / 加载更多 / retry / 没有更多了 under a paged list. `idPrefix` keeps ids unique per page. */
export function ListFooter({
  idPrefix,
  loadingMore,
  moreError,
  hasMore,
  onMore,
}: {
  idPrefix: string
  loadingMore: boolean
  moreError: string | null
  hasMore: boolean
  onMore: () => void
}) {
  if (loadingMore) return <View className='list-footer'>加载中…</View>
  if (moreError) {
    return (
      <View className='list-footer link' id={`${idPrefix}-load-more-retry`} onClick={onMore} {...pressable('')}>
        {moreError}，点此重试
      </View>
    )
  }
  if (hasMore) {
    return (
      <View className='list-footer link' id={`${idPrefix}-load-more`} onClick={onMore} {...pressable('')}>
        加载更多
      </View>
    )
  }
  return <View className='list-footer'>没有更多了</View>
}
