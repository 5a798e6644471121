import type { ActionIn, ActionName, ActionOut } from '../../../types/api'
import { DomainError, isDomainError } from '../domain/errors'
import { consoleActor, miniprogramActor, requireRole, staffChannel, type StaffAction, type StaffActor } from '../domain/staff'
import type { CallContext } from './context'
import type { Handler } from './define-function'
import type { Deps } from './deps'
import { parse, type Schema } from './validate'
import { guardEvent } from './event-guard'

export interface StaffContext extends CallContext {
  actor: StaffActor
}

/** An action's input without `operator`: who acts is settled by the entry, never by the action. */
export type StaffActionIn<A extends ActionName<'staff'>> = Omit<ActionIn<'staff', A>, 'operator'>

export interface StaffActionSpec<I, O> {
  schema: Schema<I>
  run(input: I, ctx: StaffContext, deps: Deps): Promise<O>
}

export type StaffActionTable = {
  [A in ActionName<'staff'>]: StaffActionSpec<StaffActionIn<A>, ActionOut<'staff', A>>
}

/**
 * The thin entry of the `staff` function, the staff twin of defineFunction: shape and size of
 * the event, `action` dispatch (own properties only), then WHO is calling, from the call
 * context only:
 *
 * - from outside WeChat (ctx.source 'external': console test panel, CLI, SDK with the
 *   environment's credentials, no OPENID): an admin named by the event's `operator`
 *   (STAFF.OPERATOR_REQUIRED without one);
 * - from the mini-program (wx_client / wx_devtools with an OPENID): a person whose openid holds
 *   a role in the staff collection, named by that record (an `operator` in the event is
 *   ignored); anyone else COMMON.FORBIDDEN, no OPENID COMMON.UNAUTHENTICATED;
 * - any other source (timers, the pay callback, another function): COMMON.FORBIDDEN.
 *
 * Then the role check (STAFF.ROLE_INSUFFICIENT), the input schema (unknown fields dropped),
 * and the envelope; an unexpected throw becomes INTERNAL, logged with the request id and
 * never with the event.
 */
export function defineStaffFunction(actions: StaffActionTable) {
  return (deps: Deps): Handler =>
    async (event, ctx) => {
      let actionName: string | null = null
      try {
        guardEvent(event) // shape, depth and size, without recursion, before anything else
        const action = (event as { action?: unknown }).action
        if (typeof action !== 'string' || !Object.prototype.hasOwnProperty.call(actions, action)) {
          throw new DomainError('COMMON.UNKNOWN_ACTION', '不支持的操作')
        }
        actionName = action
        const via = staffChannel(ctx.source, ctx.openid)
        const actor =
          via === 'console' ? consoleActor((event as { operator?: unknown }).operator) : miniprogramActor(ctx.openid!, await deps.staff.find(ctx.openid!))
        requireRole(actor, action as StaffAction)
        const spec = actions[action as ActionName<'staff'>] as StaffActionSpec<unknown, unknown>
        const input = parse(spec.schema, event)
        const data = await spec.run(input, { ...ctx, actor }, deps)
        return { ok: true, data }
      } catch (e) {
        if (isDomainError(e)) return { ok: false, error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } }
        deps.log.error('unhandled error', {
          fn: 'staff',
          requestId: ctx.requestId,
          action: actionName,
          error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
          stack: e instanceof Error ? e.stack?.split('\n').slice(0, 5).join(' | ') : undefined,
        })
        return { ok: false, error: { code: 'INTERNAL', message: '系统繁忙，请稍后重试', requestId: ctx.requestId } }
      }
    }
}
