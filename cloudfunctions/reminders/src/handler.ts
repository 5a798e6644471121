import { runReminders, type ReminderReport } from '../../_core/app/reminder.service'
import type { CallContext } from '../../_core/runtime/context'
import type { Deps } from '../../_core/runtime/deps'

/**
 * reminders: the daily timer (config.json, 10:00 UTC+8) that reminds people of un-invoiced
 * top-ups 30 and 7 days before their request window closes (app/reminder.service.ts). Only the
 * trigger may run it; a rerun sends nothing twice.
 */
export const createRemindersHandler =
  (deps: Deps) =>
  async (
    _event: unknown,
    ctx: CallContext,
  ): Promise<{ ok: true; data: ReminderReport } | { ok: false; error: { code: 'COMMON.FORBIDDEN'; message: string } }> => {
    if (ctx.source !== 'wx_trigger') return { ok: false, error: { code: 'COMMON.FORBIDDEN', message: '仅限定时触发器调用' } }
    const data = await runReminders(deps)
    deps.log.info('reminders done', { ...data, requestId: ctx.requestId })
    return { ok: true, data }
  }
