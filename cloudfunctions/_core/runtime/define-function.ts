import type { ActionIn, ActionName, ActionOut, FunctionName } from '../../../types/api'
import type { Envelope } from '../../../types/envelope'
import { DomainError, isDomainError } from '../domain/errors'
import type { CallContext } from './context'
import type { Deps } from './deps'
import { parse, type Schema } from './validate'
import { guardEvent } from './event-guard'

export interface UserContext extends CallContext {
  openid: string
}

export interface ActionSpec<I, O> {
  schema: Schema<I>
  run(input: I, ctx: UserContext, deps: Deps): Promise<O>
}

export type ActionTable<F extends FunctionName> = {
  [A in ActionName<F>]: ActionSpec<ActionIn<F, A>, ActionOut<F, A>>
}

export type Handler = (event: unknown, ctx: CallContext) => Promise<Envelope<unknown>>

/**
 * The thin entry of a client-facing function (convention 2): check the shape of the event,
 * take the openid from the context only, dispatch on `action`, and map every outcome to the
 * envelope. An unexpected throw becomes INTERNAL and is logged with the request id, never
 * with the user's raw input; `event` and `context` are never echoed back.
 */
export function defineFunction<F extends FunctionName>(name: F, actions: ActionTable<F>) {
  return (deps: Deps): Handler =>
    async (event, ctx) => {
      try {
        guardEvent(event) // shape, depth and size, without recursion, before anything else
        const action = (event as { action?: unknown }).action
        if (typeof action !== 'string' || !Object.prototype.hasOwnProperty.call(actions, action)) {
          throw new DomainError('COMMON.UNKNOWN_ACTION', '不支持的操作')
        }
        if (ctx.source !== 'wx_client' && ctx.source !== 'wx_devtools') {
          throw new DomainError('COMMON.FORBIDDEN', '该操作只能由小程序用户发起')
        }
        if (!ctx.openid) throw new DomainError('COMMON.UNAUTHENTICATED', '请先登录')
        const spec = actions[action as ActionName<F>] as ActionSpec<unknown, unknown>
        const input = parse(spec.schema, event)
        const data = await spec.run(input, { ...ctx, openid: ctx.openid }, deps)
        return { ok: true, data }
      } catch (e) {
        if (isDomainError(e)) return { ok: false, error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } }
        deps.log.error('unhandled error', {
          fn: name,
          requestId: ctx.requestId,
          action: typeof (event as { action?: unknown })?.action === 'string' ? (event as { action: string }).action : null,
          error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
          stack: e instanceof Error ? e.stack?.split('\n').slice(0, 5).join(' | ') : undefined,
        })
        return { ok: false, error: { code: 'INTERNAL', message: '系统繁忙，请稍后重试', requestId: ctx.requestId } }
      }
    }
}
