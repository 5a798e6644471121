/**
 * Hands an order to the payment surface of the platform. Weapp opens WeChat Pay; H5 leaves for
 * the local cloud's sandbox pay page, which comes back to the result page. Either way the user
 * ends on pages/pay-result, which asks the cloud for the truth (the payment callback decides).
 */
import Taro from '@tarojs/taro'
import type { PaymentParams, TopupOrder } from '@shared/domain'

const RESULT_PAGE = 'pages/pay-result/index'

function resultUrl(orderId: string, extra = ''): string {
  return `/${RESULT_PAGE}?orderId=${encodeURIComponent(orderId)}${extra}`
}

/** Replace the result page when paying again from it, so Back does not walk through old results. */
function goToResult(orderId: string, extra = ''): void {
  const pages = Taro.getCurrentPages()
  const current = pages[pages.length - 1]
  const url = resultUrl(orderId, extra)
  if (current && current.route === RESULT_PAGE) Taro.redirectTo({ url })
  else Taro.navigateTo({ url })
}

function isCancel(e: unknown): boolean {
  const msg = typeof e === 'object' && e !== null ? String((e as { errMsg?: unknown }).errMsg ?? '') : ''
  return msg.includes('cancel')
}

export async function pay(order: TopupOrder, payment: PaymentParams): Promise<void> {
  if (process.env.TARO_ENV === 'h5') {
    const prepayId = payment.package.replace('prepay_id=', '')
    const back = window.location.origin + '/#/pages/pay-result/index?orderId=' + order.id
    window.location.href = '/sandbox/pay?prepayId=' + encodeURIComponent(prepayId) + '&return=' + encodeURIComponent(back)
    return
  }
  try {
    await Taro.requestPayment({
      timeStamp: payment.timeStamp,
      nonceStr: payment.nonceStr,
      package: payment.package,
      signType: payment.signType as Taro.requestPayment.Option['signType'],
      paySign: payment.paySign,
    })
    goToResult(order.id)
  } catch (e) {
    // Cancelled or failed: the order is still payable, the result page offers 继续支付.
    goToResult(order.id, isCancel(e) ? '&from=cancel' : '&from=fail')
  }
}
