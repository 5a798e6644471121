import { runInvoiceWorker, type WorkerReport } from '../../_core/app/invoice.service'
import { runAftersalesSweep, type AftersalesSweepReport } from '../../_core/app/application.service'
import type { CallContext } from '../../_core/runtime/context'
import type { Deps } from '../../_core/runtime/deps'

/** invoiceWorker: the timer that finishes issuing, retries failures and sends queued e-mail. */
export const createInvoiceWorkerHandler =
  (deps: Deps) =>
  async (
    _event: unknown,
    ctx: CallContext,
  ): Promise<
    { ok: true; data: WorkerReport & { aftersales?: AftersalesSweepReport } } | { ok: false; error: { code: 'COMMON.FORBIDDEN'; message: string } }
  > => {
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
