import type { PaymentParams } from '../../../types/domain'

export interface UnifiedOrderInput {
  outTradeNo: string
  totalFee: number
  body: string
  openid: string
  /** the function cloudPay calls back */
  functionName: string
  clientIp: string
}

export type TradeState = 'SUCCESS' | 'NOTPAY' | 'CLOSED' | 'USERPAYING' | 'PAYERROR' | 'REFUND' | 'REVOKED' | 'NOT_FOUND'

export interface PayQueryResult {
  tradeState: TradeState
  transactionId?: string
  totalFee?: number
  cashFee?: number
  timeEnd?: string
}

export type CloseResult = 'closed' | 'already_paid' | 'not_found'

/** cloudPay's surface as the domain needs it (unifiedOrder, queryOrder, closeOrder). */
export interface PayPort {
  unifiedOrder(input: UnifiedOrderInput): Promise<PaymentParams>
  queryOrder(outTradeNo: string): Promise<PayQueryResult>
  closeOrder(outTradeNo: string): Promise<CloseResult>
}
