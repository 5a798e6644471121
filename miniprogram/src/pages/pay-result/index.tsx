import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Page } from '../../components/page'
import { ErrorState, Loading } from '../../components/state-view'
import { ErrorText } from '../../components/error-reference'
import { CustomerService } from '../../components/customer-service'
import { HelpLink } from '../../components/help-link'
import { repay } from '../../services/topup.service'
import { pay } from '../../services/payment.service'
import { errorMessage } from '../../services/cloud'
import { preselectOrder } from '../../services/invoice.service'
import { askInvoiceNotices, askReminderNotices } from '../../services/subscribe.service'
import { goBack, openPage, openTab, replacePage, routeParam } from '../../services/nav'
import { resultSource } from './result-view'
import { useOrderWatch } from './use-order-watch'
import { useOrderInvoice } from './use-order-invoice'
import { ResultHeader } from './result-header'
import { OrderFacts } from './order-facts'
import { InvoiceStateCell, ResultActions } from './result-actions'

/**
 * 支付结果: what happened to the payment (checked for up to 10 minutes, resumed when the network
 * comes back), then the invoice as the primary action once paid.
 */
export default function PayResultPage() {
  const { params } = useRouter()
  const orderId = routeParam(params.orderId)
  const source = resultSource(params.from)
  const { order, view, error, offline, retry, refresh } = useOrderWatch(orderId, source)
  const invoice = useOrderInvoice(orderId, view === 'paid')
  const [repaying, setRepaying] = useState(false)
  const [actionError, setActionError] = useState<string | null>(null)

  // straight from paying a manual top-up (no invoice, none coming): leaving it is the moment the
  // 开票提醒 is news; asked in the tap (WeChat needs one), at most once per flow (subscribe.service)
  const leavesUninvoiced = view === 'paid' && source === 'paid' && invoice.kind === 'none'
  const askReminder = () => {
    if (leavesUninvoiced) void askReminderNotices()
  }
  const on = {
    // the subscribe dialog only while the invoice is still news (never for one already issued)
    viewInvoice: () => {
      if (!('invoice' in invoice)) return
      void askInvoiceNotices({ invoiceStatus: invoice.invoice.status })
      openPage(`/pages/invoice-detail/index?id=${encodeURIComponent(invoice.invoice.id)}`)
    },
    goInvoice: () => {
      if (!order) return
      void askInvoiceNotices()
      preselectOrder(order.id)
      openTab('/pages/invoice/index')
    },
    repay: async () => {
      if (!order || repaying) return
      setRepaying(true)
      setActionError(null)
      try {
        const { order: fresh, payment } = await repay(order.id)
        await pay(fresh, payment)
      } catch (e) {
        setActionError(errorMessage(e))
        void refresh()
      } finally {
        setRepaying(false)
      }
    },
    refresh: () => void refresh(),
    goHome: () => {
      askReminder()
      openTab('/pages/index/index')
    },
    // opened from the list: back to it (or, without it, to a fresh one)
    goOrders: () => {
      askReminder()
      if (source === 'list') goBack({ page: '/pages/orders/index' })
      else replacePage('/pages/orders/index')
    },
  }

  if (!orderId) {
    return (
      <Page title='支付结果'>
        <ErrorState message='缺少订单号，请从充值记录进入' onRetry={on.goHome} />
      </Page>
    )
  }
  if (!order || !view) {
    // straight back from paying, a failed question is not an error page: the watch keeps asking
    return (
      <Page title='支付结果'>
        {error && source !== 'paid' ? (
          <ErrorState message={error} onRetry={retry} />
        ) : (
          <Loading text={error ? '网络不给力，恢复后会自动继续查询支付结果…' : '正在查询支付结果…'} />
        )}
      </Page>
    )
  }

  return (
    <Page title='支付结果'>
      <ResultHeader view={view} order={order} offline={offline} />
      <OrderFacts order={order} />
      {view === 'paid' ? <InvoiceStateCell state={invoice} /> : null}
      <ErrorText id='repay-error' message={actionError} />
      <ResultActions view={view} invoice={invoice} repaying={repaying} on={{ ...on, repay: () => void on.repay() }} />
      {view === 'checking' ? <CustomerService orderId={order.id} hint='如已付款超过 10 分钟仍未确认，请把订单号告诉客服。' /> : null}
      <HelpLink topic={view === 'paid' ? 'invoice' : 'topup'} text={view === 'paid' ? '怎么开发票、没收到怎么办？' : '支付遇到问题？查看帮助'} />
    </Page>
  )
}
