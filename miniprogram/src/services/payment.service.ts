/**
 * Hands an order to the payment surface of the platform. Weapp opens WeChat Pay; H5 leaves for
 * the local cloud's sandbox pay page, which comes back to the result page. Either way the user
 * ends on pages/pay-result, which asks the cloud for the truth (the payment callback decides).
 */
import Taro from '@tarojs/taro'
import type { PaymentParams, TopupOrder } from '@shared/domain'
import { CloudError } from './cloud'
import { isUserCancel } from './taro-errors'

const RESULT_PAGE = 'pages/pay-result/index'
const RESULT_PAGE_FAILED = '支付结果页打开失败，请在「我的-充值记录」中查看这笔充值'

function resultUrl(orderId: string, extra = ''): string {
  return `/${RESULT_PAGE}?orderId=${encodeURIComponent(orderId)}${extra}`
}

/**
 * Replace the result page when paying again from it, so Back does not walk through old results.
 * The money may have moved by then: a result page that does not open says where to look.
 */
async function goToResult(orderId: string, extra = ''): Promise<void> {
  const pages = Taro.getCurrentPages()
  const current = pages[pages.length - 1]
  const url = resultUrl(orderId, extra)
  try {
    if (current && current.route === RESULT_PAGE) await Taro.redirectTo({ url })
    else await Taro.navigateTo({ url })
  } catch {
    throw new CloudError('NETWORK', RESULT_PAGE_FAILED)
  }
}

export async function pay(order: TopupOrder, payment: PaymentParams): Promise<void> {
  if (process.env.TARO_ENV === 'h5') {
    const prepayId = payment.package.replace('prepay_id=', '')
    const back = window.location.origin + '/#/pages/pay-result/index?orderId=' + order.id
    window.location.href = '/sandbox/pay?prepayId=' + encodeURIComponent(prepayId) + '&return=' + encodeURIComponent(back)
    return
  }
  let extra = ''
  try {
    await Taro.requestPayment({
      timeStamp: payment.timeStamp,
      nonceStr: payment.nonceStr,
      package: payment.package,
      signType: payment.signType as Taro.requestPayment.Option['signType'],
      paySign: payment.paySign,
    })
  } catch (e) {
    // Cancelled or failed: the order is still payable, the result page offers 继续支付.
    extra = isUserCancel(e) ? '&from=cancel' : '&from=fail'
  }
  await goToResult(order.id, extra)
}
