import { Button, View } from '@tarojs/components'
import type { InvoiceState } from './use-order-invoice'
import { INVOICE_STATE_TEXT } from './use-order-invoice'
import type { ResultView } from './result-view'

export interface ResultHandlers {
  viewInvoice: () => void
  goInvoice: () => void
  repay: () => void
  refresh: () => void
  goHome: () => void
  goOrders: () => void
}

/** 发票 of a paid top-up in one line: issued, being issued, or not asked for yet. */
export function InvoiceStateCell({ state }: { state: InvoiceState }) {
  return (
    <View className='cells'>
      <View className='cell' id='result-invoice'>
        <View className='cell__label'>发票</View>
        <View className='cell__body'>
          <View id='result-invoice-state'>{INVOICE_STATE_TEXT[state.kind]}</View>
          {state.kind === 'none' ? <View className='cell__desc'>点下方「开票」，选好抬头即可开具</View> : null}
          {state.kind === 'auto-pending' || state.kind === 'in-flight' ? <View className='cell__desc'>已开启自动开票，开具后发送到你的邮箱</View> : null}
        </View>
      </View>
    </View>
  )
}

/**
 * One primary action per state: the invoice once paid (查看发票 when there is one or it is on its
 * way, 开票 otherwise), 继续支付 only for a definitely unpaid order, 刷新 while still checking.
 * 返回首页 and 充值记录 are always there, secondary.
 */
export function ResultActions({ view, invoice, repaying, on }: { view: ResultView; invoice: InvoiceState; repaying: boolean; on: ResultHandlers }) {
  const primary = (() => {
    if (view === 'paid') {
      if (invoice.kind === 'none')
        return (
          <Button className='btn btn--primary' id='go-invoice' onClick={on.goInvoice}>
            开票
          </Button>
        )
      const ready = invoice.kind === 'issued' || invoice.kind === 'in-flight' || invoice.kind === 'failed'
      return (
        <Button
          className={ready ? 'btn btn--primary' : 'btn btn--primary btn--busy'}
          id='view-invoice'
          loading={!ready}
          disabled={!ready || undefined}
          onClick={on.viewInvoice}
        >
          查看发票
        </Button>
      )
    }
    if (view === 'unpaid' || view === 'awaiting')
      return (
        <Button
          className={repaying ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
          id='repay'
          loading={repaying}
          disabled={repaying || undefined}
          onClick={on.repay}
        >
          继续支付
        </Button>
      )
    if (view === 'checking')
      return (
        <Button className='btn btn--primary' id='refresh-result' onClick={on.refresh}>
          刷新支付结果
        </Button>
      )
    return null
  })()
  return (
    <View className='btn-area'>
      {primary}
      <Button className={primary ? 'btn btn--default' : 'btn btn--primary'} id='go-home' onClick={on.goHome}>
        返回首页
      </Button>
      <Button className='btn btn--default' id='go-orders' onClick={on.goOrders}>
        查看充值记录
      </Button>
    </View>
  )
}
