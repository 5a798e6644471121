import { useCallback, useEffect, useRef } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { View } from '@tarojs/components'
import type { OrderListItem } from '@shared/domain'
import { Page } from '../../components/page'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import { ListFooter } from '../../components/list-footer'
import { usePagedList } from '../../components/use-paged-list'
import { refreshInvoiceTabBadge } from '../../components/use-uninvoiced'
import { pressable } from '../../components/a11y'
import { listOrders } from '../../services/topup.service'
import { preselectOrder } from '../../services/invoice.service'
import { openPage, openTab } from '../../services/nav'
import { OrderRow } from './order-row'
import './index.css'

const SUPPLEMENT_URL = '/service/application-new/index?type=supplement'

/** 充值记录: every top-up, newest first, each paid one with its invoice state and the way to act on it. */
export default function OrdersPage() {
  const list = usePagedList<OrderListItem>(listOrders)
  const shown = useRef(false)
  const { reload } = list

  useEffect(() => {
    void reload()
  }, [reload])

  // back from a result page, an invoice or the 发票 tab: the states may have moved on
  useDidShow(() => {
    if (!shown.current) {
      shown.current = true
      return
    }
    void reload()
  })

  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh())
  })

  useReachBottom(() => {
    void list.loadMore()
  })

  const invoiceThis = useCallback((order: OrderListItem) => {
    preselectOrder(order.id)
    openTab('/pages/invoice/index')
    void refreshInvoiceTabBadge()
  }, [])

  if (list.error) {
    return (
      <Page>
        <ErrorState message={list.error} onRetry={() => void reload(true)} />
      </Page>
    )
  }
  if (list.items === null) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }
  if (list.items.length === 0) {
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
      <View className='orders'>
        {list.items.map((order) => (
          <OrderRow
            key={order.id}
            order={order}
            onOpen={() => openPage(`/pages/pay-result/index?orderId=${encodeURIComponent(order.id)}&from=list`)}
            onInvoice={() => invoiceThis(order)}
            onViewInvoice={(id) => openPage(`/pages/invoice-detail/index?id=${encodeURIComponent(id)}`)}
            onSupplement={() => openPage(SUPPLEMENT_URL)}
          />
        ))}
      </View>
      <ListFooter
        idPrefix='orders'
        loadingMore={list.loadingMore}
        moreError={list.moreError}
        hasMore={Boolean(list.nextCursor)}
        onMore={() => void list.loadMore()}
      />
      {/* top-ups past the invoicing window (or made elsewhere) need a reviewed application */}
      <View className='hint center link' id='orders-supplement' onClick={() => openPage(SUPPLEMENT_URL)} {...pressable('', 'link')}>
        超过开票期限或在网点、自助机的充值？申请补开发票
      </View>
    </Page>
  )
}
