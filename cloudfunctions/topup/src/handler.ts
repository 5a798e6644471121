import { createOrder, listOrders, ownedOrder, repay, toOrder, topupConfig } from '../../_core/app/topup.service'
import { uninvoicedSummary } from '../../_core/app/reminder.service'
import { defineFunction } from '../../_core/runtime/define-function'
import { int, num, optional, str } from '../../_core/runtime/validate'

const ORDER_ID = str({ min: 1, max: 32 })

/** topup: the top-up order aggregate (config, create, pay again, read, list). */
export const createTopupHandler = defineFunction('topup', {
  config: {
    schema: {},
    run: async (_in, _ctx, deps) => topupConfig(deps),
  },
  createOrder: {
    schema: {
      cardId: str({ min: 1, max: 64 }),
      amountFen: num,
      clientToken: str({ min: 8, max: 64, pattern: /^[A-Za-z0-9_-]+$/ }),
    },
    run: (input, ctx, deps) => createOrder(deps, ctx.openid, input, ctx.clientIp),
  },
  repay: {
    schema: { orderId: ORDER_ID },
    run: (input, ctx, deps) => repay(deps, ctx.openid, input.orderId, ctx.clientIp),
  },
  getOrder: {
    schema: { orderId: ORDER_ID },
    run: async (input, ctx, deps) => ({ order: toOrder(await ownedOrder(deps, ctx.openid, input.orderId)) }),
  },
  listOrders: {
    schema: { cursor: optional(str({ max: 200 })), limit: optional(int({ min: 1, max: 50 })) },
    run: (input, ctx, deps) => listOrders(deps, ctx.openid, input),
  },
  // the 发票 tab badge and the home line: paid top-ups still to invoice, soonest deadline
  uninvoicedSummary: {
    schema: {},
    run: (_in, ctx, deps) => uninvoicedSummary(deps, ctx.openid),
  },
})
