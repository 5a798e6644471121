import { View } from '@tarojs/components'
import type { TopupOrder } from '@shared/domain'
import { ListFooter } from '../../components/list-footer'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import { HelpLink } from '../../components/help-link'
import { formatDateTime, formatFen, maskCardNo } from '../../services/format'
import { openTab } from '../../services/nav'
import type { PendingInvoices } from './use-pending-invoices'
import { decorative, pressable } from '../../components/a11y'

function PendingRow({ order, on, onToggle }: { order: TopupOrder; on: boolean; onToggle: () => void }) {
  const name = order.cardNickname || `武汉通 ${order.cardNo.slice(-4)}`
  return (
    <View
      id={`pending-${order.id}`}
      className={on ? 'cell cell--selected' : 'cell'}
      hoverClass='cell-hover'
      onClick={onToggle}
      {...pressable(`${name} ${formatFen(order.amountFen)}`, 'checkbox', { checked: on })}
    >
      <View className={on ? 'check check--on' : 'check'} {...decorative()}>
        {on ? '✓' : ''}
      </View>
      <View className='cell__body'>
        <View className='cell__title'>{name}</View>
        <View className='cell__desc'>{maskCardNo(order.cardNo)}</View>
        <View className='cell__desc'>支付于 {formatDateTime(order.paidAt ?? order.createdAt)}</View>
      </View>
      <View className='order-amount'>{formatFen(order.amountFen)}</View>
    </View>
  )
}

/** 待开票: the paid top-ups to tick, with 全选 (the page may offer the automatic split) and the paging footer. */
export function PendingList({ pending, onRetry, onSelectAll }: { pending: PendingInvoices; onRetry: () => void; onSelectAll: () => void }) {
  const { list, caps, selection } = pending
  if (list.error) return <ErrorState message={list.error} onRetry={onRetry} />
  if (list.items === null) return <Loading />
  if (list.items.length === 0) {
    return (
      <View>
        <Empty
          title='暂无可开票的充值'
          desc={caps ? `支付成功的充值会出现在这里，可为 ${caps.windowDays} 天内的充值开票。` : '支付成功的充值会出现在这里。'}
          action='去充值'
          actionId='invoice-go-topup'
          onAction={() => openTab('/pages/index/index')}
        />
        {/* top-ups made elsewhere or past the window never show here: 补开 is in the help */}
        <HelpLink topic='invoice' text='找不到要开票的充值？查看帮助' id='help-link-pending-empty' />
      </View>
    )
  }
  return (
    <View>
      <View className='list-head'>
        <View className='list-head__text'>{caps ? `可为 ${caps.windowDays} 天内的充值开票，多笔可合并为一张` : '多笔充值可合并为一张发票'}</View>
        <View className='link list-head__action' id='select-all' onClick={onSelectAll} {...pressable(selection.allOn ? '取消全选' : '全选')}>
          {selection.allOn ? '取消全选' : '全选'}
        </View>
      </View>
      <View className='cells'>
        {list.items.map((order) => (
          <PendingRow key={order.id} order={order} on={Boolean(selection.selected[order.id])} onToggle={() => selection.toggle(order)} />
        ))}
      </View>
      <ListFooter
        idPrefix='pending'
        loadingMore={list.loadingMore}
        moreError={list.moreError}
        hasMore={Boolean(list.nextCursor)}
        onMore={() => void list.loadMore()}
      />
    </View>
  )
}
