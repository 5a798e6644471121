import { useRef } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import type { TicketView } from '@shared/aftersales'
import { Page } from '../../components/page'
import { usePagedList } from '../../components/use-paged-list'
import { TICKET_STATUS_LABEL, TICKET_STATUS_TAG, categoryLabel, lastMessage, listTickets } from '../../services/ticket.service'
import { formatDateTime } from '../../services/format'
import { PagedSection } from '../components/paged-section'
import { openPage } from '../../services/nav'
import '../service.css'
import { pressable } from '../../components/a11y'

function TicketRow({ ticket }: { ticket: TicketView }) {
  return (
    <View
      className='cell'
      id={`ticket-${ticket.id}`}
      hoverClass='cell-hover'
      onClick={() => openPage(`/service/ticket-detail/index?id=${encodeURIComponent(ticket.id)}`)}
      {...pressable('', 'link')}
    >
      <View className='cell__body'>
        <View className='cell__title'>{categoryLabel(ticket.category)}</View>
        <View className='cell__desc row-title'>{lastMessage(ticket)}</View>
        <View className='cell__desc'>{formatDateTime(ticket.updatedAt)}</View>
      </View>
      <View className='row-side'>
        <View className={`tag ${TICKET_STATUS_TAG[ticket.status]}`}>{TICKET_STATUS_LABEL[ticket.status]}</View>
      </View>
      <View className='cell__arrow' />
    </View>
  )
}

/** 问题反馈: the person's tickets, newest first, with 客服已回复 standing out. */
export default function TicketsPage() {
  const list = usePagedList<TicketView>(listTickets)
  const shown = useRef(false)

  // first show loads with the loading state; later shows refresh quietly
  useDidShow(() => {
    void list.reload(!shown.current)
    shown.current = true
  })
  usePullDownRefresh(() => {
    void list.reload().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void list.loadMore()
  })

  const create = () => openPage('/service/ticket-new/index')
  return (
    <Page>
      <View className='top-action'>
        <Button className='btn btn--primary' id='tickets-new' onClick={create}>
          反馈新问题
        </Button>
      </View>
      <PagedSection list={list} idPrefix='tickets' empty={{ title: '还没有反馈', desc: '遇到问题可随时反馈，客服通常在 1 个工作日内回复。' }}>
        {(items) => items.map((t) => <TicketRow key={t.id} ticket={t} />)}
      </PagedSection>
      <View className='hint center link' onClick={() => openPage('/service/help/index')} {...pressable('', 'link')}>
        常见问题
      </View>
    </Page>
  )
}
