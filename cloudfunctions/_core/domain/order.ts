import type { OrderStatus, TopupConfig, TopupOrder } from '../../../types/domain'
import { DomainError } from './errors'

/** One transition table for the payment status of a top-up order (convention 6). */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  created: ['paid', 'closed'],
  // A payment that lands after we closed the order is still real money: record it as paid.
  closed: ['paid'],
  paid: [],
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

/** Statuses from which a successful payment may still move the order to paid. */
export const PAYABLE_FROM: readonly OrderStatus[] = (Object.keys(TRANSITIONS) as OrderStatus[]).filter((s) => canTransition(s, 'paid'))

export interface AmountLimits {
  minFen: number
  maxFen: number
}

/** Validates an amount in integer fen against configured limits. */
export function parseAmountFen(value: unknown, limits: AmountLimits): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new DomainError('ORDER.AMOUNT_INVALID', '充值金额须为正的整数分，请重新选择金额')
  }
  if (value < limits.minFen || value > limits.maxFen) {
    throw new DomainError('ORDER.AMOUNT_OUT_OF_RANGE', `单笔充值金额须在 ¥${(limits.minFen / 100).toFixed(2)} 至 ¥${(limits.maxFen / 100).toFixed(2)} 之间`)
  }
  return value
}

const OUT_TRADE_NO_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'

/**
 * outTradeNo: "WT" + yyyyMMddHHmmss (UTC+8) + 12 random base-34 characters = 28 characters,
 * within WeChat Pay's 32. Uniqueness is enforced by the database, not trusted to chance.
 */
export function makeOutTradeNo(now: Date, randomBytes: Uint8Array): string {
  if (randomBytes.length < 12) throw new Error('need 12 random bytes')
  const stamp = formatTimeEnd(now)
  let tail = ''
  for (let i = 0; i < 12; i++) tail += OUT_TRADE_NO_ALPHABET[randomBytes[i] % OUT_TRADE_NO_ALPHABET.length]
  return `WT${stamp}${tail}`
}

export const OUT_TRADE_NO_PATTERN = /^WT\d{14}[0-9A-Z]{12}$/

/** Formats a Date as WeChat Pay's timeEnd: yyyyMMddHHmmss in UTC+8. */
export function formatTimeEnd(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${t.getUTCFullYear()}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}`
}

/** Parses WeChat Pay's timeEnd (UTC+8) into an ISO string; null when malformed. */
export function parseTimeEnd(s: unknown): string | null {
  if (typeof s !== 'string' || !/^\d{14}$/.test(s)) return null
  const [y, mo, d, h, mi, se] = [s.slice(0, 4), s.slice(4, 6), s.slice(6, 8), s.slice(8, 10), s.slice(10, 12), s.slice(12, 14)].map(Number)
  const ms = Date.UTC(y, mo - 1, d, h - 8, mi, se)
  const back = new Date(ms)
  if (Number.isNaN(ms) || formatTimeEnd(back) !== s) return null
  return back.toISOString()
}

export interface NewOrderInput {
  outTradeNo: string
  card: { id: string; cardNo: string; nickname: string }
  amountFen: number
  now: Date
  config: Pick<TopupConfig, 'orderTtlMinutes'>
}

export function newOrder(input: NewOrderInput): TopupOrder {
  return {
    id: input.outTradeNo,
    cardId: input.card.id,
    cardNo: input.card.cardNo,
    cardNickname: input.card.nickname,
    amountFen: input.amountFen,
    status: 'created',
    createdAt: input.now.toISOString(),
    expiresAt: new Date(input.now.getTime() + input.config.orderTtlMinutes * 60_000).toISOString(),
    paidAt: null,
    closedAt: null,
    transactionId: null,
    invoiceId: null,
  }
}

export function isExpired(order: Pick<TopupOrder, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= Date.parse(order.expiresAt)
}

export type NotificationVerdict =
  { kind: 'settle'; paidAt: string } | { kind: 'ignore'; reason: 'NOT_SUCCESS' } | { kind: 'reject'; reason: 'AMOUNT_MISMATCH' | 'BAD_TIME' }

/**
 * Decides what a payment notification (or a query result) means for our order. There is no
 * signature on the cloudPay path, so the amount is checked against our own record.
 */
export function judgePayment(
  order: Pick<TopupOrder, 'amountFen'>,
  n: { returnCode: string; resultCode: string; totalFee: number; timeEnd: string },
): NotificationVerdict {
  if (n.returnCode !== 'SUCCESS' || n.resultCode !== 'SUCCESS') return { kind: 'ignore', reason: 'NOT_SUCCESS' }
  if (n.totalFee !== order.amountFen) return { kind: 'reject', reason: 'AMOUNT_MISMATCH' }
  const paidAt = parseTimeEnd(n.timeEnd)
  if (!paidAt) return { kind: 'reject', reason: 'BAD_TIME' }
  return { kind: 'settle', paidAt }
}
