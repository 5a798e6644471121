import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { View } from '@tarojs/components'
import type { TopupOrder } from '@shared/domain'
import { Page } from '../../components/page'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import { getOrder, listOrders, ORDER_STATUS_LABEL } from '../../services/topup.service'
import { errorMessage } from '../../services/cloud'
import { formatDateTime, formatFen } from '../../services/format'
import { openPage, openTab } from '../../services/nav'

export default function OrdersPage() {
  const [items, setItems] = useState<TopupOrder[] | null>(null)
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [moreError, setMoreError] = useState<string | null>(null)
  const busy = useRef(false)
  const opened = useRef<string | null>(null)
  const loaded = useRef(false)

  const reload = useCallback(async () => {
    busy.current = true
    try {
      const page = await listOrders(null)
      setItems(page.items)
      setNextCursor(page.nextCursor)
      setError(null)
      setMoreError(null)
      loaded.current = true
    } catch (e) {
      // a failed refresh keeps the list on screen
      if (loaded.current) void Taro.showToast({ title: errorMessage(e), icon: 'none' })
      else setError(errorMessage(e))
    } finally {
      busy.current = false
    }
  }, [])

  useEffect(() => {
    void reload()
  }, [reload])

  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh())
  })

  async function loadMore() {
    if (busy.current || !nextCursor) return
    busy.current = true
    setLoadingMore(true)
    setMoreError(null)
    try {
      const page = await listOrders(nextCursor)
      setItems((current) => {
        const seen = new Set((current ?? []).map((o) => o.id))
        return [...(current ?? []), ...page.items.filter((o) => !seen.has(o.id))]
      })
      setNextCursor(page.nextCursor)
    } catch (e) {
      setMoreError(errorMessage(e))
    } finally {
      busy.current = false
      setLoadingMore(false)
    }
  }

  useReachBottom(() => {
    void loadMore()
  })

  // Coming back from an order's result page: refresh just that row, keep the scrolled pages.
  useDidShow(() => {
    const id = opened.current
    if (!id) return
    opened.current = null
    getOrder(id)
      .then((order) => setItems((current) => (current ?? []).map((o) => (o.id === order.id ? order : o))))
      .catch(() => undefined)
  })

  function open(order: TopupOrder) {
    opened.current = order.id
    openPage(`/pages/pay-result/index?orderId=${encodeURIComponent(order.id)}&from=list`)
  }

  if (error) {
    return (
      <Page>
        <ErrorState
          message={error}
          onRetry={() => {
            setError(null)
            void reload()
          }}
        />
      </Page>
    )
  }
  if (items === null) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }
  if (items.length === 0) {
    return (
      <Page>
        <Empty
          title='还没有充值记录'
          desc='在「充值」页选择卡片和金额即可充值。'
          action='去充值'
          actionId='go-topup'
          onAction={() => openTab('/pages/index/index')}
        />
      </Page>
    )
  }

  return (
    <Page>
      <View className='cells orders'>
        {items.map((order) => (
          <View key={order.id} id={`order-${order.id}`} className='cell' hoverClass='cell-hover' onClick={() => open(order)}>
            <View className='cell__body'>
              <View className='cell__title'>{order.cardNickname || `武汉通 ${order.cardNo.slice(-4)}`}</View>
              <View className='cell__desc'>{formatDateTime(order.createdAt)}</View>
            </View>
            <View className='order-side'>
              <View className='order-amount'>{formatFen(order.amountFen)}</View>
              <View className={`tag tag--${order.status}`}>{ORDER_STATUS_LABEL[order.status]}</View>
            </View>
            <View className='cell__arrow' />
          </View>
        ))}
      </View>
      {loadingMore ? (
        <View className='list-footer'>加载中…</View>
      ) : moreError ? (
        <View className='list-footer link' id='load-more-retry' onClick={() => void loadMore()}>
          {moreError}，点此重试
        </View>
      ) : nextCursor ? (
        <View className='list-footer link' id='load-more' onClick={() => void loadMore()}>
          加载更多
        </View>
      ) : (
        <View className='list-footer'>没有更多了</View>
      )}
      {/* top-ups past the invoicing window (or made elsewhere) need a reviewed application */}
      <View className='hint center link' id='orders-supplement' onClick={() => openPage('/service/application-new/index?type=supplement')}>
        超过开票期限或在网点、自助机的充值？申请补开发票
      </View>
    </Page>
  )
}
