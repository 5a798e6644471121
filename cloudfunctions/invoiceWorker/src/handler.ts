import { runInvoiceWorker, type WorkerReport } from '../../_core/app/invoice.service'
import { runAftersalesSweep, type AftersalesSweepReport } from '../../_core/app/application.service'
import { advanceKicked, parseKick, type KickResult } from '../../_core/app/issue-kick'
import { isDomainError } from '../../_core/domain/errors'
import type { CallContext } from '../../_core/runtime/context'
import type { Deps } from '../../_core/runtime/deps'

type Refusal = { ok: false; error: { code: 'COMMON.FORBIDDEN' | 'COMMON.BAD_REQUEST' | 'INVOICE.NOT_FOUND' | 'INTERNAL'; message: string } }

/**
 * invoiceWorker: the timer that finishes issuing, retries failures and sends queued e-mail;
 * and the direct path of a payment (issue 7): payNotify and reconcile start it for the one
 * invoice a payment just requested, `{ kick: 'issue', invoiceId }`, so the invoice is issued
 * right away and not at the next tick.
 *
 * Who may call: the timer (SOURCE wx_trigger) runs the sweep; another of our functions (last
 * hop scf, which callFunction adds) with no OPENID may kick one invoice. A client reaching the
 * worker through a function (OPENID set), a client, the pay callback, HTTP and calls from
 * outside WeChat are refused as before. A kick only makes an existing invoice advance sooner,
 * exactly as the timer would a minute later, so it needs no identity of its own.
 */
export const createInvoiceWorkerHandler =
  (deps: Deps) =>
  async (
    event: unknown,
    ctx: CallContext,
  ): Promise<{ ok: true; data: WorkerReport & { aftersales?: AftersalesSweepReport } } | { ok: true; data: KickResult } | Refusal> => {
    if (ctx.source === 'scf' && ctx.openid === null) return kicked(deps, event, ctx)
    if (ctx.source !== 'wx_trigger') return { ok: false, error: { code: 'COMMON.FORBIDDEN', message: '仅限定时触发器调用' } }
    const invoices = await runInvoiceWorker(deps)
    // after-sales: finish approved applications once their invoices are issued, send due notice e-mails
    const aftersales = await runAftersalesSweep(deps).catch((e) => {
      deps.log.error('after-sales sweep failed', { error: e instanceof Error ? e.message : String(e), requestId: ctx.requestId })
      return undefined
    })
    const data = { ...invoices, aftersales }
    deps.log.info('invoice worker done', { ...data, requestId: ctx.requestId })
    return { ok: true, data }
  }

async function kicked(deps: Deps, event: unknown, ctx: CallContext): Promise<{ ok: true; data: KickResult } | Refusal> {
  const kick = parseKick(event)
  if (!kick) {
    deps.log.warn('invoice worker: refused a call from a function that is not a kick', { requestId: ctx.requestId })
    return { ok: false, error: { code: 'COMMON.BAD_REQUEST', message: '只接受 { kick: "issue", invoiceId }' } }
  }
  try {
    const data = await advanceKicked(deps, kick)
    deps.log.info('invoice worker: kicked invoice advanced', { ...data, requestId: ctx.requestId })
    return { ok: true, data }
  } catch (e) {
    if (isDomainError(e) && e.code === 'INVOICE.NOT_FOUND') return { ok: false, error: { code: 'INVOICE.NOT_FOUND', message: e.message } }
    // The timer retries whatever this left: log it with the request id, never the event.
    deps.log.error('invoice worker: kick failed; the timer will retry', {
      invoice: kick.invoiceId,
      requestId: ctx.requestId,
      error: e instanceof Error ? e.message : String(e),
    })
    return { ok: false, error: { code: 'INTERNAL', message: '系统繁忙，稍后由定时任务重试' } }
  }
}
