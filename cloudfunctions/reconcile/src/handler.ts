import { reconcile, type ReconcileReport } from '../../_core/app/settlement.service'
import type { CallContext } from '../../_core/runtime/context'
import type { Deps } from '../../_core/runtime/deps'

/** reconcile: the timer trigger (config.json) that settles or closes orders whose callback never came. */
export const createReconcileHandler =
  (deps: Deps) =>
  async (
    _event: unknown,
    ctx: CallContext,
  ): Promise<{ ok: true; data: ReconcileReport } | { ok: false; error: { code: 'COMMON.FORBIDDEN'; message: string } }> => {
    if (ctx.source !== 'wx_trigger') return { ok: false, error: { code: 'COMMON.FORBIDDEN', message: '仅限定时触发器调用' } }
    const data = await reconcile(deps)
    deps.log.info('reconcile done', { ...data, requestId: ctx.requestId })
    return { ok: true, data }
  }
