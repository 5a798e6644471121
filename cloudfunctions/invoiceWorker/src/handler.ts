import { runInvoiceWorker, type WorkerReport } from '../../_core/app/invoice.service'
import type { CallContext } from '../../_core/runtime/context'
import type { Deps } from '../../_core/runtime/deps'

/** invoiceWorker: the timer that finishes issuing, retries failures and sends queued e-mail. */
export const createInvoiceWorkerHandler =
  (deps: Deps) =>
  async (_event: unknown, ctx: CallContext): Promise<{ ok: true; data: WorkerReport } | { ok: false; error: { code: 'COMMON.FORBIDDEN'; message: string } }> => {
    if (ctx.source !== 'wx_trigger') return { ok: false, error: { code: 'COMMON.FORBIDDEN', message: '仅限定时触发器调用' } }
    const data = await runInvoiceWorker(deps)
    deps.log.info('invoice worker done', { ...data, requestId: ctx.requestId })
    return { ok: true, data }
  }
