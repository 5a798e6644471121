import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import type { InvoiceSummary, TopupOrder } from '@shared/domain'
import { Page } from '../../components/page'
import { ErrorState, Loading } from '../../components/state-view'
import { getOrder, isPayable, repay } from '../../services/topup.service'
import { pay } from '../../services/payment.service'
import { errorMessage } from '../../services/cloud'
import { invoiceForOrder, isInFlight, preselectOrder } from '../../services/invoice.service'
import { getSettings } from '../../services/profile.service'
import { askInvoiceNotices } from '../../services/subscribe.service'
import { formatDateTime, formatFen, maskCardNo } from '../../services/format'
import { goBack, openPage, openTab, replacePage, routeParam } from '../../services/nav'

const POLL_INTERVAL_MS = 1500
const POLL_LIMIT_MS = 60_000
const INVOICE_POLL_MS = 2000
/** with 自动开票 on, how long to wait for the invoice to appear before offering 去开票 */
const AUTO_INVOICE_WAIT_MS = 20_000

type ResultView = 'confirming' | 'paid' | 'pending' | 'closed'

const LABEL: Record<ResultView, string> = {
  confirming: '支付确认中',
  paid: '支付成功',
  pending: '支付未完成',
  closed: '订单已关闭',
}

const ICON: Record<ResultView, string> = { confirming: '…', paid: '✓', pending: '!', closed: '×' }

export default function PayResultPage() {
  const { params } = useRouter()
  const orderId = routeParam(params.orderId)
  // Straight back from paying: wait for the payment callback before saying it did not work.
  const justPaid = !params.from
  const [order, setOrder] = useState<TopupOrder | null>(null)
  const [error, setError] = useState<string | null>(orderId ? null : '缺少订单号，请从充值记录进入')
  const [polling, setPolling] = useState(justPaid)
  const [repaying, setRepaying] = useState(false)
  const [actionError, setActionError] = useState<string | null>(null)
  const alive = useRef(true)
  // undefined: not known yet; null: this order has no invoice
  const [invoice, setInvoice] = useState<InvoiceSummary | null | undefined>(undefined)
  const [awaitingAuto, setAwaitingAuto] = useState(false)
  const askedNotices = useRef(false)

  const fetchOrder = useCallback(async () => {
    const next = await getOrder(orderId)
    if (alive.current) setOrder(next)
    return next
  }, [orderId])

  useEffect(() => {
    alive.current = true
    if (!orderId) return undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    const started = Date.now()

    const tick = async (first: boolean) => {
      let status: TopupOrder['status'] | null = null
      try {
        status = (await fetchOrder()).status
        if (first) setError(null)
      } catch (e) {
        if (first) {
          if (alive.current) {
            setError(errorMessage(e))
            setPolling(false)
          }
          return
        }
        // a lost poll is retried on the next tick
      }
      if (!alive.current) return
      const keepPolling = justPaid && (status === null || status === 'created') && Date.now() - started < POLL_LIMIT_MS
      if (keepPolling) timer = setTimeout(() => void tick(false), POLL_INTERVAL_MS)
      else setPolling(false)
    }

    void tick(true)
    return () => {
      alive.current = false
      if (timer) clearTimeout(timer)
    }
  }, [orderId, justPaid, fetchOrder])

  const paid = order?.status === 'paid'

  // Once paid: the invoice of this order, polled while it is being issued (or, with 自动开票 on,
  // until it appears). Settings also load the subscribe template ids for the buttons below.
  useEffect(() => {
    if (!paid || !orderId) return undefined
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let auto: boolean | null = null
    const started = Date.now()
    getSettings()
      .then((p) => {
        auto = p.settings.autoInvoice && p.defaultTitle !== null
      })
      .catch(() => {
        auto = false
      })

    const tick = async () => {
      let next: InvoiceSummary | null | undefined
      try {
        next = await invoiceForOrder(orderId)
      } catch {
        next = undefined // retried on the next tick
      }
      if (stopped) return
      if (next !== undefined) setInvoice(next)
      const elapsed = Date.now() - started
      const waitAuto = next === null && auto !== false && elapsed < AUTO_INVOICE_WAIT_MS
      setAwaitingAuto(waitAuto)
      const again = waitAuto || (next === undefined && elapsed < POLL_LIMIT_MS) || (next != null && isInFlight(next.status) && elapsed < POLL_LIMIT_MS)
      if (again) timer = setTimeout(() => void tick(), INVOICE_POLL_MS)
    }
    void tick()
    return () => {
      stopped = true
      if (timer) clearTimeout(timer)
    }
  }, [paid, orderId])

  /** Ask for invoice notices once, right after the tap (never on load); optional. */
  async function askOnce() {
    if (askedNotices.current) return
    askedNotices.current = true
    await askInvoiceNotices()
  }

  async function viewInvoice() {
    if (!invoice) return
    await askOnce()
    openPage(`/pages/invoice-detail/index?id=${encodeURIComponent(invoice.id)}`)
  }

  async function goInvoice() {
    if (!order) return
    await askOnce()
    preselectOrder(order.id)
    openTab('/pages/invoice/index')
  }

  async function onRepay() {
    if (!order || repaying) return
    setRepaying(true)
    setActionError(null)
    try {
      const { order: fresh, payment } = await repay(order.id)
      await pay(fresh, payment)
    } catch (e) {
      setActionError(errorMessage(e))
      void fetchOrder().catch(() => undefined)
    } finally {
      if (alive.current) setRepaying(false)
    }
  }

  function copyOrderId() {
    if (!order) return
    Taro.setClipboardData({ data: order.id }).catch(() => undefined)
  }

  function goHome() {
    openTab('/pages/index/index')
  }

  function goOrders() {
    // opened from the list: back to it (or, without it, to a fresh one)
    if (params.from === 'list') goBack({ page: '/pages/orders/index' })
    else replacePage('/pages/orders/index')
  }

  if (error) {
    return (
      <Page>
        <ErrorState
          message={error}
          onRetry={() => {
            if (!orderId) return goHome()
            setError(null)
            void fetchOrder().catch((e) => setError(errorMessage(e)))
          }}
        />
      </Page>
    )
  }
  if (!order) {
    return (
      <Page>
        <Loading text='正在查询支付结果…' />
      </Page>
    )
  }

  const payable = isPayable(order)
  const view: ResultView = order.status === 'paid' ? 'paid' : order.status === 'closed' ? 'closed' : polling ? 'confirming' : 'pending'

  return (
    <Page>
      <View className={`result result--${view}`}>
        <View className='result__icon'>{ICON[view]}</View>
        <View className='result__title' id='result-status'>
          {LABEL[view]}
        </View>
        <View className='result__amount'>{formatFen(order.amountFen)}</View>
        {view === 'confirming' ? <View className='result__desc'>正在确认支付结果，请稍候…</View> : null}
        {view === 'pending' && payable ? (
          <View className='result__desc'>
            订单将于 {formatDateTime(order.expiresAt)} 关闭，请在此之前完成支付。如已付款，结果可能稍有延迟，请稍后在充值记录中查看。
          </View>
        ) : null}
        {view === 'pending' && !payable ? <View className='result__desc'>订单已超过支付时间，请返回首页重新下单。</View> : null}
        {view === 'closed' ? <View className='result__desc'>订单未支付已关闭，请返回首页重新下单。</View> : null}
      </View>

      <View className='cells result-details'>
        <View className='cell'>
          <View className='cell__label'>充值卡片</View>
          <View className='cell__body result-value'>
            <View>{order.cardNickname || `武汉通 ${order.cardNo.slice(-4)}`}</View>
            <View className='cell__desc'>{maskCardNo(order.cardNo)}</View>
          </View>
        </View>
        {order.paidAt ? (
          <View className='cell'>
            <View className='cell__label'>支付时间</View>
            <View className='cell__body result-value'>{formatDateTime(order.paidAt)}</View>
          </View>
        ) : (
          <View className='cell'>
            <View className='cell__label'>下单时间</View>
            <View className='cell__body result-value'>{formatDateTime(order.createdAt)}</View>
          </View>
        )}
        <View className='cell' id='copy-order-id' hoverClass='cell-hover' onClick={copyOrderId}>
          <View className='cell__label'>订单号</View>
          <View className='cell__body result-value' id='order-id'>
            {order.id}
          </View>
          <View className='cell__value link'>复制</View>
        </View>
        {order.transactionId ? (
          <View className='cell'>
            <View className='cell__label'>交易单号</View>
            <View className='cell__body result-value' id='transaction-id'>
              {order.transactionId}
            </View>
          </View>
        ) : null}
      </View>

      {view === 'paid' ? (
        <View className='cells'>
          <View className='cell' id='result-invoice'>
            <View className='cell__label'>发票</View>
            <View className='cell__body'>
              <View id='result-invoice-state'>
                {invoice === undefined
                  ? '正在查询发票…'
                  : invoice === null
                    ? awaitingAuto
                      ? '发票开具中…'
                      : '尚未开票'
                    : isInFlight(invoice.status)
                      ? '发票开具中…'
                      : invoice.status === 'issued'
                        ? '发票已开具'
                        : '发票开具失败，将自动重试'}
              </View>
              {invoice === null && !awaitingAuto ? <View className='cell__desc'>可在「发票」中为这笔充值开票</View> : null}
            </View>
            {invoice ? (
              <Button className='btn btn--default btn--mini' id='view-invoice' onClick={() => void viewInvoice()}>
                查看发票
              </Button>
            ) : invoice === null && !awaitingAuto ? (
              <Button className='btn btn--default btn--mini' id='go-invoice' onClick={() => void goInvoice()}>
                去开票
              </Button>
            ) : null}
          </View>
        </View>
      ) : null}

      {actionError ? (
        <View className='error-text' id='repay-error'>
          {actionError}
        </View>
      ) : null}

      <View className='btn-area'>
        {view === 'pending' && payable ? (
          <Button
            className={repaying ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
            id='repay'
            loading={repaying}
            disabled={repaying || undefined}
            onClick={() => void onRepay()}
          >
            继续支付
          </Button>
        ) : null}
        <Button className={view === 'pending' && payable ? 'btn btn--default' : 'btn btn--primary'} id='go-home' onClick={goHome}>
          返回首页
        </Button>
        <Button className='btn btn--default' id='go-orders' onClick={goOrders}>
          查看充值记录
        </Button>
      </View>
    </Page>
  )
}
