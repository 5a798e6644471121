import { bindCard, listCards, removeCard, setCardGroup } from '../../_core/app/card.service'
import { defineFunction } from '../../_core/runtime/define-function'
import type { Check } from '../../_core/runtime/validate'
import { optional, str } from '../../_core/runtime/validate'

/** null clears the group, like a blank string; the domain checks the label itself */
const groupLabel: Check<string | null> = (v, f) => (v === null || v === undefined ? null : str({ max: 40 })(v, f))

/** card: bind, list, group (分组) and remove the caller's Wuhan Tong cards. */
export const createCardHandler = defineFunction('card', {
  list: {
    schema: { group: optional(str({ max: 40 })) },
    run: async (input, ctx, deps) => ({ cards: await listCards(deps, ctx.openid, input.group) }),
  },
  setGroup: {
    schema: { cardId: str({ min: 1, max: 64 }), group: groupLabel },
    run: async (input, ctx, deps) => ({ card: await setCardGroup(deps, ctx.openid, input.cardId, input.group) }),
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
