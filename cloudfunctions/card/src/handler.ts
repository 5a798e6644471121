import { bindCard, listCards, removeCard } from '../../_core/app/card.service'
import { defineFunction } from '../../_core/runtime/define-function'
import { optional, str } from '../../_core/runtime/validate'

/** card: bind, list and remove the caller's Wuhan Tong cards. */
export const createCardHandler = defineFunction('card', {
  list: {
    schema: {},
    run: async (_in, ctx, deps) => ({ cards: await listCards(deps, ctx.openid) }),
  },
  bind: {
    schema: { cardNo: str({ max: 40 }), nickname: optional(str({ max: 40 })) },
    run: async (input, ctx, deps) => ({ card: await bindCard(deps, ctx.openid, input) }),
  },
  remove: {
    schema: { cardId: str({ min: 1, max: 64 }) },
    run: async (input, ctx, deps) => {
      await removeCard(deps, ctx.openid, input.cardId)
      return { removed: true as const }
    },
  },
})
