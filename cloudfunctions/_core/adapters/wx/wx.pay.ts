import crypto from 'node:crypto'
import type { PaymentParams } from '../../../../types/domain'
import type { CloseResult, PayPort, PayQueryResult, TradeState, UnifiedOrderInput } from '../../ports/pay.port'
import type { WxCloudPay, WxPayAnswer, WxQueryOrderAnswer } from './wx-cloud.types'

export interface WxPayOptions {
  subMchId: string
  /** the environment of the callback function (CLOUD_ENV_ID) */
  envId: string
  /** nonceStr for each call; at most 32 characters */
  nonce?: () => string
}

/**
 * A cloudPay call that came back without SUCCESS. `errCode` is WeChat Pay's business code
 * (ORDERPAID...) when it can be told, else the failing returnCode/resultCode.
 */
export class WxPayError extends Error {
  constructor(
    readonly api: string,
    readonly errCode: string,
    readonly detail: string,
  ) {
    super(`cloudPay.${api} failed: ${errCode}${detail ? ` (${detail})` : ''}`)
    this.name = 'WxPayError'
  }
}

/**
 * WeChat Pay business codes we act on, and how their descriptions read. wx-server-sdk
 * overwrites the answer's errCode with 0 (see WxPayAnswer), so the code is recovered from
 * errCodeDes; if a later SDK passes the string code through, that is used first.
 */
const KNOWN_CODES: readonly [code: string, descriptions: readonly string[]][] = [
  ['ORDERPAID', ['订单已支付', '该订单已支付']],
  ['ORDERCLOSED', ['订单已关闭']],
  ['ORDERNOTEXIST', ['订单不存在', '此交易订单号不存在']],
  ['OUT_TRADE_NO_USED', ['商户订单号重复']],
  ['SYSTEMERROR', ['系统错误', '系统超时']],
]

function businessCode(r: WxPayAnswer): string {
  if (typeof r.errCode === 'string' && r.errCode) return r.errCode
  const text = [r.errCodeDes, r.resultMsg, r.returnMsg].filter((s): s is string => typeof s === 'string').join(' ')
  for (const [code, descriptions] of KNOWN_CODES) {
    if (text.includes(code) || descriptions.some((d) => text.includes(d))) return code
  }
  return 'FAIL'
}

function detailOf(r: WxPayAnswer): string {
  return [r.returnMsg, r.errCodeDes].filter((s) => typeof s === 'string' && s && s !== 'OK').join('; ')
}

/** returnCode is the transport verdict: anything but SUCCESS means the call did not happen. */
function assertReturned(api: string, r: WxPayAnswer): void {
  if (!r || r.returnCode !== 'SUCCESS') throw new WxPayError(api, r?.returnCode || 'NO_ANSWER', detailOf(r ?? {}))
}

const TRADE_STATES: readonly TradeState[] = ['SUCCESS', 'NOTPAY', 'CLOSED', 'USERPAYING', 'PAYERROR', 'REFUND', 'REVOKED']

/** cloudPay answers JSON converted from WeChat Pay's XML: amounts may come as strings. */
function fen(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined
}

/**
 * PayPort over cloud.cloudPay (no certificates or signatures: the SDK's private channel signs).
 *
 * unifiedOrder passes no openid: cloudPay takes the payer from the WeChat context of the
 * calling user, which is why it must be called from a function the user invoked (topup),
 * never from a timer.
 */
export function wxPay(cloudPay: WxCloudPay, opts: WxPayOptions): PayPort {
  const nonce = opts.nonce ?? (() => crypto.randomBytes(16).toString('hex'))

  // Checked per call, not at wiring: functions that never pay (card) must start without them.
  const merchant = () => {
    if (!opts.subMchId) throw new Error('config PAY_SUB_MCH_ID is not set')
    if (!opts.envId) throw new Error('config CLOUD_ENV_ID is not set')
    return { subMchId: opts.subMchId, envId: opts.envId }
  }

  return {
    async unifiedOrder(input: UnifiedOrderInput): Promise<PaymentParams> {
      const { subMchId, envId } = merchant()
      const r = await cloudPay.unifiedOrder({
        body: input.body,
        outTradeNo: input.outTradeNo,
        spbillCreateIp: input.clientIp,
        subMchId,
        totalFee: input.totalFee,
        envId,
        functionName: input.functionName,
        nonceStr: nonce(),
        tradeType: 'JSAPI',
      })
      assertReturned('unifiedOrder', r)
      if (r.resultCode !== 'SUCCESS') throw new WxPayError('unifiedOrder', businessCode(r), detailOf(r))
      const p = r.payment
      const fields = [p?.appId, p?.timeStamp, p?.nonceStr, p?.package, p?.signType, p?.paySign]
      if (!p || fields.some((f) => typeof f !== 'string' || f === '')) throw new WxPayError('unifiedOrder', 'NO_PAYMENT', 'answer lacks payment')
      return {
        appId: p.appId!,
        timeStamp: p.timeStamp!,
        nonceStr: p.nonceStr!,
        package: p.package!,
        signType: p.signType!,
        paySign: p.paySign!,
      }
    },

    async queryOrder(outTradeNo: string): Promise<PayQueryResult> {
      const { subMchId } = merchant()
      const r: WxQueryOrderAnswer = await cloudPay.queryOrder({ subMchId, outTradeNo, nonceStr: nonce() })
      assertReturned('queryOrder', r)
      if (r.resultCode !== 'SUCCESS') {
        const code = businessCode(r)
        // "No such order" is an answer the reconcile timer acts on (close ours), not a failure.
        if (code === 'ORDERNOTEXIST') return { tradeState: 'NOT_FOUND' }
        throw new WxPayError('queryOrder', code, detailOf(r))
      }
      const state = r.tradeState as TradeState
      // An unknown state must not be read as "unpaid": the timer would close a paid order.
      if (!TRADE_STATES.includes(state)) throw new WxPayError('queryOrder', 'UNKNOWN_TRADE_STATE', String(r.tradeState))
      if (state !== 'SUCCESS') return { tradeState: state, totalFee: fen(r.totalFee) }
      return {
        tradeState: 'SUCCESS',
        transactionId: typeof r.transactionId === 'string' ? r.transactionId : undefined,
        totalFee: fen(r.totalFee),
        cashFee: fen(r.cashFee),
        timeEnd: typeof r.timeEnd === 'string' ? r.timeEnd : undefined,
      }
    },

    async closeOrder(outTradeNo: string): Promise<CloseResult> {
      const { subMchId } = merchant()
      const r = await cloudPay.closeOrder({ subMchId, outTradeNo, nonceStr: nonce() })
      assertReturned('closeOrder', r)
      if (r.resultCode === 'SUCCESS') return 'closed'
      switch (businessCode(r)) {
        case 'ORDERPAID':
          return 'already_paid' // the money is real: the caller queries and settles instead
        case 'ORDERNOTEXIST':
          return 'not_found'
        case 'ORDERCLOSED':
          return 'closed' // closing twice is fine: the wanted state holds
        default:
          throw new WxPayError('closeOrder', businessCode(r), detailOf(r))
      }
    },
  }
}
