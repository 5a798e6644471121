/**
 * The request/response contract of every cloud function, keyed by function and action.
 * The mini-program's cloud client and the functions' handlers both compile against it.
 */
import type { Card, PaymentParams, TopupConfig, TopupOrder } from './domain'

export interface Page<T> {
  items: T[]
  /** pass back as `cursor` for the next page; null when there is none */
  nextCursor: string | null
}

export interface Api {
  card: {
    list: { in: Record<string, never>; out: { cards: Card[] } }
    bind: { in: { cardNo: string; nickname?: string }; out: { card: Card } }
    remove: { in: { cardId: string }; out: { removed: true } }
  }
  topup: {
    config: { in: Record<string, never>; out: TopupConfig }
    createOrder: {
      in: { cardId: string; amountFen: number; clientToken: string }
      out: { order: TopupOrder; payment: PaymentParams }
    }
    repay: { in: { orderId: string }; out: { order: TopupOrder; payment: PaymentParams } }
    getOrder: { in: { orderId: string }; out: { order: TopupOrder } }
    listOrders: { in: { cursor?: string; limit?: number }; out: Page<TopupOrder> }
  }
}

export type FunctionName = keyof Api
export type ActionName<F extends FunctionName> = keyof Api[F] & string
export type ActionIn<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { in: infer I } ? I : never
export type ActionOut<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { out: infer O } ? O : never

/** The event a client sends: `{ action, ...input }`. */
export type ActionEvent<F extends FunctionName, A extends ActionName<F>> = { action: A } & ActionIn<F, A>

/** The payload cloudPay delivers to the pay-callback function (fields we use; WeChat sends more). */
export interface CloudPayNotification {
  returnCode: string
  resultCode: string
  outTradeNo: string
  transactionId: string
  totalFee: number
  cashFee?: number
  timeEnd: string // yyyyMMddHHmmss, UTC+8
  subOpenid?: string
  openid?: string
  subMchId?: string
  appid?: string
  mchId?: string
  nonceStr?: string
  tradeType?: string
  feeType?: string
  bankType?: string
}

/** What the pay-callback function must answer: errcode 0 once recorded, anything else to get a retry. */
export interface CloudPayAck {
  errcode: number
  errmsg?: string
}
