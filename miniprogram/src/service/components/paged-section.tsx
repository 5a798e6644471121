import type { ReactNode } from 'react'
import { View } from '@tarojs/components'
import { ListFooter } from '../../components/list-footer'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import type { usePagedList } from '../../components/use-paged-list'

type PagedList<T extends { id: string }> = ReturnType<typeof usePagedList<T>>

/** A paged list with its loading, error, empty and 加载更多 states (the rows are the caller's). */
export function PagedSection<T extends { id: string }>({
  list,
  idPrefix,
  empty,
  children,
}: {
  list: PagedList<T>
  idPrefix: string
  empty: { title: string; desc?: string; action?: string; actionId?: string; onAction?: () => void }
  children: (items: T[]) => ReactNode
}) {
  if (list.error) return <ErrorState message={list.error} onRetry={() => void list.reload(true)} />
  if (list.items === null) return <Loading />
  if (list.items.length === 0) return <Empty {...empty} />
  return (
    <View id={`${idPrefix}-list`}>
      <View className='cells'>{children(list.items)}</View>
      <ListFooter
        idPrefix={idPrefix}
        loadingMore={list.loadingMore}
        moreError={list.moreError}
        hasMore={list.nextCursor !== null}
        onMore={() => void list.loadMore()}
      />
    </View>
  )
}
