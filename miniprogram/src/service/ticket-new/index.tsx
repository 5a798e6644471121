import Taro, { useRouter } from '@tarojs/taro'
import { View } from '@tarojs/components'
import type { TicketCategory } from '@shared/aftersales'
import { Page } from '../../components/page'
import { ErrorState, Loading } from '../../components/state-view'
import { TICKET_CATEGORIES } from '../../services/ticket.service'
import { useTicketForm } from '../hooks/use-ticket-form'
import { CategoryChips } from '../components/category-chips'
import { InvoiceSelfHelp } from '../components/invoice-self-help'
import { InvoicePickList } from '../components/invoice-pick-list'
import { TicketCompose } from '../components/ticket-compose'
import { goBack, routeParam } from '../../services/nav'
import '../service.css'

function categoryParam(value: string | undefined): TicketCategory | null {
  return TICKET_CATEGORIES.some((c) => c.key === value) ? (value as TicketCategory) : null
}

/**
 * 问题反馈: pick what it is about; for 没收到发票 the invoice's real state and the self-help steps
 * come first (most such questions end there), and only 仍需人工帮助 opens the form.
 */
export default function TicketNewPage() {
  const { params } = useRouter()
  const form = useTicketForm({
    category: categoryParam(params.category),
    invoiceId: routeParam(params.invoiceId) || null,
    orderId: routeParam(params.orderId) || null,
  })

  function solved() {
    void Taro.showToast({ title: '很高兴问题已解决', icon: 'none' })
    setTimeout(() => goBack({ tab: '/pages/mine/index' }), 800)
  }

  return (
    <Page>
      <View className='section-title'>遇到了什么问题？</View>
      <CategoryChips value={form.category} onChange={form.chooseCategory} />
      {form.category === null ? <View className='hint'>选择问题类型后填写，已关联的发票或充值会一并提交给客服。</View> : null}

      {form.stage === 'pick-invoice' ? (
        form.invoices.error ? (
          <ErrorState message={form.invoices.error} onRetry={form.reload} />
        ) : form.invoices.data ? (
          <InvoicePickList invoices={form.invoices.data} onPick={form.pickInvoice} onNone={form.skipInvoice} />
        ) : (
          <Loading />
        )
      ) : null}

      {form.stage === 'selfhelp' ? (
        form.invoice.error ? (
          <ErrorState message={form.invoice.error} onRetry={form.reload} />
        ) : form.invoice.data ? (
          <InvoiceSelfHelp invoice={form.invoice.data} onResent={form.reload} onSolved={solved} onNeedHelp={form.needHelp} />
        ) : (
          <Loading text='正在查询这张发票…' />
        )
      ) : null}

      {form.stage === 'form' && form.category ? <TicketCompose form={form} /> : null}
    </Page>
  )
}
