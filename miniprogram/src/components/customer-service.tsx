import { Button, View } from '@tarojs/components'
import { openPage } from '../services/nav'
import './after-sales.css'

/** The 问题反馈 form of the service subpackage, with what the question is about attached. */
function ticketUrl(ref: { invoiceId?: string | null; orderId?: string | null }): string {
  const q: string[] = []
  if (ref.invoiceId) q.push(`invoiceId=${encodeURIComponent(ref.invoiceId)}`)
  if (ref.orderId) q.push(`orderId=${encodeURIComponent(ref.orderId)}`)
  return '/service/ticket-new/index' + (q.length ? `?${q.join('&')}` : '')
}

/**
 * 需要帮助？ at the foot of invoice and after-sales pages: in WeChat the 联系客服 button opens the
 * customer-service chat (open-type="contact", weapp only); in both builds 问题反馈 opens a ticket
 * with the invoice or order attached, so nobody has to copy a number.
 */
export function CustomerService({ invoiceId, orderId, hint }: { invoiceId?: string | null; orderId?: string | null; hint?: string }) {
  return (
    <View className='cs' id='customer-service'>
      <View className='cs__title'>需要帮助？</View>
      <View className='cs__hint'>{hint ?? '工作日 9:00-18:00 在线，问题反馈会在 1 个工作日内回复。'}</View>
      <View className='cs__actions'>
        {process.env.TARO_ENV === 'weapp' ? (
          <Button className='btn btn--default btn--mini cs__btn' id='cs-contact' openType='contact'>
            联系客服
          </Button>
        ) : null}
        <Button className='btn btn--default btn--mini cs__btn' id='cs-feedback' onClick={() => openPage(ticketUrl({ invoiceId, orderId }))}>
          问题反馈
        </Button>
      </View>
    </View>
  )
}
