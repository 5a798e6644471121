import type { Page } from '../../../types/api'
import type { OrderListItem, PaymentParams, TopupConfig, TopupOrder } from '../../../types/domain'
import { maskCardNo } from '../domain/card'
import { DomainError } from '../domain/errors'
import { isExpired, makeOutTradeNo, newOrder, parseAmountFen } from '../domain/order'
import { DuplicateKeyError } from '../ports/errors'
import type { StoredOrder } from '../ports/order.repo'
import type { Deps } from '../runtime/deps'
import { ownedCard } from './card.service'
import { defaultTitle } from './profile.service'
import { withInvoiceStates } from './reminder.service'

export const toOrder = ({ openid: _o, clientToken: _c, autoInvoice: _a, ...order }: StoredOrder): TopupOrder => order

/** What the confirmation line showed ("自动开票至 抬头X · 邮箱Y"), kept with the order. */
async function autoInvoiceChoice(deps: Deps, openid: string): Promise<StoredOrder['autoInvoice']> {
  const settings = await deps.settings.get(openid)
  if (!settings.autoInvoice) return null
  const title = await defaultTitle(deps, openid)
  return title ? { titleId: title.id, email: settings.defaultEmail } : null
}

export function topupConfig(deps: Deps): TopupConfig {
  return deps.config.topup
}

async function requestPayment(deps: Deps, order: StoredOrder, clientIp: string): Promise<PaymentParams> {
  try {
    return await deps.pay.unifiedOrder({
      outTradeNo: order.id,
      totalFee: order.amountFen,
      body: deps.config.pay.body,
      openid: order.openid,
      functionName: deps.config.pay.notifyFunction,
      clientIp,
    })
  } catch (e) {
    deps.log.error('unifiedOrder failed', { order: order.id, error: e instanceof Error ? e.message : String(e) })
    throw new DomainError('PAY.UNAVAILABLE', '支付暂时不可用，请稍后在充值记录中继续支付')
  }
}

/**
 * Creates the order and stores it before payment starts. Idempotent per (openid, clientToken):
 * a repeated tap or a network retry with the same token gets the same order back instead of a
 * second one — the unique key in the store decides, not a read-then-write race.
 */
export async function createOrder(
  deps: Deps,
  openid: string,
  input: { cardId: string; amountFen: number; clientToken: string },
  clientIp: string,
): Promise<{ order: TopupOrder; payment: PaymentParams }> {
  const amountFen = parseAmountFen(input.amountFen, deps.config.topup)
  const card = await ownedCard(deps, openid, input.cardId)

  const existing = await deps.orders.findByClientToken(openid, input.clientToken)
  if (existing) return resume(deps, existing, { cardId: card.id, amountFen }, clientIp)

  const now = deps.clock.now()
  const order: StoredOrder = {
    ...newOrder({ outTradeNo: makeOutTradeNo(now, deps.random.bytes(12)), card, amountFen, now, config: deps.config.topup }),
    openid,
    clientToken: input.clientToken,
    autoInvoice: await autoInvoiceChoice(deps, openid),
  }
  try {
    await deps.orders.insert(order)
  } catch (e) {
    if (e instanceof DuplicateKeyError && e.key === 'clientToken') {
      // A concurrent twin of this request won the insert: answer with its order.
      const twin = await deps.orders.findByClientToken(openid, input.clientToken)
      if (twin) return resume(deps, twin, { cardId: card.id, amountFen }, clientIp)
    }
    throw e
  }
  deps.log.info('order created', { order: order.id, amountFen, card: maskCardNo(card.cardNo) })
  return { order: toOrder(order), payment: await requestPayment(deps, order, clientIp) }
}

async function resume(
  deps: Deps,
  order: StoredOrder,
  asked: { cardId: string; amountFen: number },
  clientIp: string,
): Promise<{ order: TopupOrder; payment: PaymentParams }> {
  if (order.cardId !== asked.cardId || order.amountFen !== asked.amountFen) {
    throw new DomainError('ORDER.CLIENT_TOKEN_REUSED', '请求已过期，请重新确认充值')
  }
  assertPayable(order, deps.clock.now())
  return { order: toOrder(order), payment: await requestPayment(deps, order, clientIp) }
}

function assertPayable(order: StoredOrder, now: Date): void {
  if (order.status === 'paid') throw new DomainError('ORDER.NOT_PAYABLE', '该订单已支付，无需重复支付')
  if (order.status === 'closed' || isExpired(order, now)) {
    throw new DomainError('ORDER.NOT_PAYABLE', '订单已超时关闭，请重新下单')
  }
}

/** The caller's order, or ORDER.NOT_FOUND (also for someone else's order: no probing). */
export async function ownedOrder(deps: Deps, openid: string, orderId: string): Promise<StoredOrder> {
  const order = await deps.orders.findById(orderId)
  if (!order || order.openid !== openid) throw new DomainError('ORDER.NOT_FOUND', '找不到该订单')
  return order
}

export async function repay(deps: Deps, openid: string, orderId: string, clientIp: string) {
  const order = await ownedOrder(deps, openid, orderId)
  assertPayable(order, deps.clock.now())
  return { order: toOrder(order), payment: await requestPayment(deps, order, clientIp) }
}

const encodeCursor = (o: { createdAt: string; id: string }) => Buffer.from(`${o.createdAt}|${o.id}`).toString('base64url')

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (extra !== undefined || !id || Number.isNaN(Date.parse(createdAt))) {
    throw new DomainError('COMMON.BAD_REQUEST', '分页参数不正确，请刷新列表')
  }
  return { createdAt, id }
}

/** 充值记录: each paid order with its invoice state (未开票 with days left / 开具中 / 已开票; reminder.service.ts). */
export async function listOrders(deps: Deps, openid: string, input: { cursor?: string; limit?: number }): Promise<Page<OrderListItem>> {
  const limit = input.limit ?? 20
  const rows = await deps.orders.listByOwner(openid, {
    limit: limit + 1,
    cursor: input.cursor ? decodeCursor(input.cursor) : undefined,
  })
  const items = await withInvoiceStates(deps, rows.slice(0, limit).map(toOrder))
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null }
}
