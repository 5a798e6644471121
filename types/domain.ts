/** Plain data shared by the mini-program and the cloud functions. Money is integer fen. */

export interface Card {
  id: string
  /** 16 digits, no spaces */
  cardNo: string
  nickname: string
  createdAt: string // ISO 8601, UTC
}

/** created -> paid | closed; closed -> paid only when a payment lands after close (money is real). */
export type OrderStatus = 'created' | 'paid' | 'closed'

export interface TopupOrder {
  /** = outTradeNo, at most 32 characters */
  id: string
  cardId: string
  cardNo: string
  cardNickname: string
  amountFen: number
  status: OrderStatus
  createdAt: string
  expiresAt: string
  paidAt: string | null
  closedAt: string | null
  transactionId: string | null
}

/** What wx.requestPayment takes; in H5 the same object goes to the sandbox pay page. */
export interface PaymentParams {
  appId: string
  timeStamp: string
  nonceStr: string
  package: string
  signType: string
  paySign: string
}

export interface TopupConfig {
  presetsFen: number[]
  minFen: number
  maxFen: number
  orderTtlMinutes: number
  maxCardsPerUser: number
}
