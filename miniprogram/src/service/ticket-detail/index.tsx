import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Textarea, View } from '@tarojs/components'
import { TICKET_TEXT_MAX } from '@shared/aftersales-rules'
import { Page } from '../../components/page'
import { ErrorState, Loading } from '../../components/state-view'
import { useLoader } from '../../components/use-loader'
import { useChoiceSheet } from '../../components/use-choice-sheet'
import { TICKET_STATUS_LABEL, TICKET_STATUS_TAG, categoryLabel, checkTicketText, closeTicket, getTicket, replyTicket } from '../../services/ticket.service'
import { errorMessage } from '../../services/cloud'
import { formatDateTime } from '../../services/format'
import { TicketThread } from '../components/ticket-thread'
import { RatingSheet, type RatingArgs } from '../components/rating-sheet'
import { openPage, routeParam } from '../../services/nav'
import '../service.css'
import { inputLabel, pressable } from '../../components/a11y'

/** One ticket: the thread with staff replies, a reply box, 关闭并评价 (or rate once after closing). */
export default function TicketDetailPage() {
  const { params } = useRouter()
  const id = routeParam(params.id)
  const { data: ticket, setData, error, retry } = useLoader(() => (id ? getTicket(id) : Promise.reject(new Error('缺少编号'))))
  const [reply, setReply] = useState('')
  const [replyError, setReplyError] = useState<string | null>(null)
  const [busy, setBusy] = useState<'reply' | 'close' | null>(null)
  const rating = useChoiceSheet<RatingArgs, number>()

  async function send() {
    if (!ticket || busy) return
    const invalid = checkTicketText(reply)
    setReplyError(invalid)
    if (invalid) return
    setBusy('reply')
    try {
      setData(await replyTicket(ticket.id, reply, []))
      setReply('')
      void Taro.showToast({ title: '已发送', icon: 'success' })
    } catch (e) {
      setReplyError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }

  async function closeOrRate() {
    if (!ticket || busy) return
    const closing = ticket.status !== 'closed'
    const stars = await rating.open({ closing })
    if (stars === null || (!closing && stars === 0)) return
    setBusy('close')
    try {
      setData(await closeTicket(ticket.id, stars > 0 ? stars : null))
      void Taro.showToast({ title: stars > 0 ? '感谢评价' : '已关闭', icon: 'success' })
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setBusy(null)
    }
  }

  if (error) {
    return (
      <Page>
        <ErrorState message={id ? error : '缺少反馈编号，请从「问题反馈」进入'} onRetry={retry} />
      </Page>
    )
  }
  if (!ticket) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }

  const closed = ticket.status === 'closed'
  return (
    <Page>
      <View className='cells'>
        <View className='cell'>
          <View className='cell__body'>
            <View className='cell__title'>{categoryLabel(ticket.category)}</View>
            <View className='cell__desc'>提交于 {formatDateTime(ticket.createdAt)}</View>
          </View>
          <View className={`tag tag--big ${TICKET_STATUS_TAG[ticket.status]}`} id='ticket-status'>
            {TICKET_STATUS_LABEL[ticket.status]}
          </View>
        </View>
        {ticket.invoiceId ? (
          <View
            className='cell cell--link'
            id='ticket-invoice-link'
            hoverClass='cell-hover'
            onClick={() => openPage(`/pages/invoice-detail/index?id=${encodeURIComponent(ticket.invoiceId as string)}`)}
            {...pressable('', 'link')}
          >
            <View className='cell__body'>
              <View className='cell__title'>查看关联的发票</View>
            </View>
            <View className='cell__arrow' />
          </View>
        ) : null}
      </View>

      <TicketThread ticket={ticket} />
      {ticket.status === 'open' ? <View className='hint center'>已收到，客服通常在 1 个工作日内回复。</View> : null}

      {!closed ? (
        <View className='reply-box'>
          <Textarea
            id='ticket-reply-input'
            className='textarea'
            maxlength={TICKET_TEXT_MAX + 50}
            placeholder='补充说明或回复客服'
            value={reply}
            onInput={(e) => {
              setReply(e.detail.value)
              setReplyError(null)
            }}
            {...inputLabel('回复客服')}
          />
          {replyError ? (
            <View className='error-text' id='ticket-reply-error'>
              {replyError}
            </View>
          ) : null}
          <Button
            className='btn btn--primary'
            id='ticket-reply-send'
            loading={busy === 'reply'}
            disabled={busy !== null || undefined}
            onClick={() => void send()}
          >
            发送
          </Button>
        </View>
      ) : null}

      {closed && ticket.rating ? (
        <View className='rated' id='ticket-rated'>
          已关闭 · 你的评价：{'★'.repeat(ticket.rating)}
          {'☆'.repeat(5 - ticket.rating)}
        </View>
      ) : null}
      {!closed || !ticket.rating ? (
        <View className='btn-area'>
          <Button
            className='btn btn--default'
            id='ticket-close'
            loading={busy === 'close'}
            disabled={busy !== null || undefined}
            onClick={() => void closeOrRate()}
          >
            {closed ? '评价这次服务' : '问题已解决，关闭并评价'}
          </Button>
        </View>
      ) : null}
      <RatingSheet {...rating.props} />
    </Page>
  )
}
