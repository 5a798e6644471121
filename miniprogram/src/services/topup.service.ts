import type { Page } from '@shared/api'
import type { OrderInvoiceState, OrderListItem, PaymentParams, TopupConfig, TopupOrder, UninvoicedSummary } from '@shared/domain'
import { callFunction } from './cloud'
import { formatFen } from './format'

export const ORDERS_PAGE_SIZE = 20

export function getConfig(): Promise<TopupConfig> {
  return callFunction('topup', 'config', {})
}

/**
 * A fresh idempotency key for one confirmation. Generate it when the sheet opens and reuse it for
 * every tap on 去支付 in that sheet: a double tap or a retry after a lost response then finds the
 * same order instead of creating a second one.
 */
export function newClientToken(): string {
  let random = ''
  for (let i = 0; i < 4; i++) random += Math.floor(Math.random() * 0x100000000).toString(36)
  return ('ct' + Date.now().toString(36) + random).slice(0, 32)
}

export function createOrder(cardId: string, amountFen: number, clientToken: string): Promise<{ order: TopupOrder; payment: PaymentParams }> {
  return callFunction('topup', 'createOrder', { cardId, amountFen, clientToken })
}

export function repay(orderId: string): Promise<{ order: TopupOrder; payment: PaymentParams }> {
  return callFunction('topup', 'repay', { orderId })
}

export async function getOrder(orderId: string): Promise<TopupOrder> {
  const { order } = await callFunction('topup', 'getOrder', { orderId })
  return order
}

/** 充值记录: each order, and for a paid one its invoice state (未开票 with days left / 开具中 / 已开票). */
export function listOrders(cursor: string | null): Promise<Page<OrderListItem>> {
  return callFunction('topup', 'listOrders', {
    limit: ORDERS_PAGE_SIZE,
    ...(cursor ? { cursor } : {}),
  })
}

/** null when valid, otherwise the message to show under the custom amount. */
export function validateAmount(amountFen: number | null, config: Pick<TopupConfig, 'minFen' | 'maxFen'>): string | null {
  if (amountFen === null) return '请输入正确的金额，最多两位小数'
  if (amountFen < config.minFen || amountFen > config.maxFen) {
    return `充值金额需在 ${formatFen(config.minFen)} - ${formatFen(config.maxFen)} 之间，请重新输入`
  }
  return null
}

/** Whether an order can still be paid: created and not past its expiry. */
export function isPayable(order: TopupOrder, now: number = Date.now()): boolean {
  return order.status === 'created' && Date.parse(order.expiresAt) > now
}

export const ORDER_STATUS_LABEL: Record<TopupOrder['status'], string> = {
  created: '待支付',
  paid: '已支付',
  closed: '已关闭',
}

/** Paid top-ups still to invoice within the window: the 发票 tab badge and the home line. */
export function getUninvoicedSummary(): Promise<UninvoicedSummary> {
  return callFunction('topup', 'uninvoicedSummary', {})
}

/** The chip of an order's invoice state in 充值记录 (null: not paid, no chip). */
export function invoiceChip(state: OrderInvoiceState | null): { label: string; tone: 'todo' | 'busy' | 'done' | 'off' } | null {
  if (!state) return null
  if (state.state === 'issued') return { label: '已开票', tone: 'done' }
  if (state.state === 'issuing') return { label: '开具中', tone: 'busy' }
  if (state.state === 'expired') return { label: '已过开票期', tone: 'off' }
  return { label: '未开票', tone: 'todo' }
}
