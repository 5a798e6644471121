import type { CloudPayAck, CloudPayNotification } from '../../../types/api'
import { handlePayNotification } from '../../_core/app/settlement.service'
import type { CallContext } from '../../_core/runtime/context'
import type { Deps } from '../../_core/runtime/deps'

/**
 * payNotify: the function cloudPay calls back after a payment. Only the payment callback
 * may invoke it (SOURCE wx_paycallback): a client calling it by name is refused, so nobody
 * can mark their own order paid. errcode 0 means "recorded"; anything else makes WeChat retry.
 */
export const createPayNotifyHandler =
  (deps: Deps) =>
  async (event: unknown, ctx: CallContext): Promise<CloudPayAck> => {
    if (ctx.source !== 'wx_paycallback') {
      deps.log.warn('payNotify called from a non-payment source', { source: ctx.source, requestId: ctx.requestId })
      return { errcode: 403, errmsg: 'FORBIDDEN' }
    }
    if (!event || typeof event !== 'object') return { errcode: 400, errmsg: 'BAD_REQUEST' }
    try {
      return await handlePayNotification(deps, event as CloudPayNotification)
    } catch (e) {
      deps.log.error('pay notification not recorded; asking for a retry', {
        requestId: ctx.requestId,
        error: e instanceof Error ? e.message : String(e),
      })
      return { errcode: 500, errmsg: 'RETRY' }
    }
  }
