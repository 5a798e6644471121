import type { BatchKick, InvokePort, IssueKick } from '../../ports/invoke.port'
import type { Logger } from '../../ports/runtime.port'
import type { WxCloudLike } from './wx-cloud.types'

export interface WxInvokeOptions {
  /** how long the caller waits for the call to be on its way (INVOICE_HANDOFF_MS) */
  handOffMs: number
  log: Logger
  /** the invoice worker's function name */
  workerName?: string
  /** the batch function's name */
  batchName?: string
}

/** past the socket timeout, the most the caller waits for callFunction in any case */
const GUARD_EXTRA_MS = 100

/** The request reached the platform and is waiting for the worker's answer: handed over. */
const isSentAndWaiting = (e: unknown): boolean => {
  const err = e as { code?: unknown; message?: unknown } | null
  return err?.code === 'ESOCKETTIMEDOUT' || (typeof err?.message === 'string' && /request timeout/i.test(err.message))
}

/**
 * Starts a function in WeChat cloud through cloud.callFunction without waiting for it to end.
 *
 * callFunction only resolves when the invoked function has finished, and our function is
 * frozen as soon as it has answered, so "fire and forget" would leave the request unsent until
 * the container's next call. Instead we give callFunction a short timeout (handOffMs): the
 * request is written as soon as the connection is up, and an invocation the platform has
 * started runs to its end whatever happens to the caller's connection. This is the pattern
 * Twikoo uses for its POST_SUBMIT step (twikoojs/twikoo src/server/function/twikoo/index.js:
 * app.callFunction(..., { timeout: 300 }) "设置较短的 timeout 来实现异步"). Outcomes:
 *   - the worker answered within handOffMs: started (and already done);
 *   - "request timeout" (ESOCKETTIMEDOUT: connected, sent, waiting): started;
 *   - any other failure (connect timeout, FUNCTION_NOT_FOUND, no permission): rejected, and the
 *     caller leaves the invoice to the worker's timer.
 * The socket timeout only starts once connected (and TLS traffic resets it), so a slow
 * connection could stretch the wait: a guard resolves at handOffMs + 100 ms whatever happened,
 * so the payment callback is never held up by it; a late failure is still logged, and an
 * unsent call only means the timer issues the invoice a minute later.
 */
export function wxInvoker(cloud: Pick<WxCloudLike, 'callFunction'>, opts: WxInvokeOptions): InvokePort {
  const name = opts.workerName ?? 'invoiceWorker'
  const batchName = opts.batchName ?? 'batch'
  return {
    startWorker: (kick: IssueKick) => handOff(cloud, opts, name, { kick: kick.kick, invoiceId: kick.invoiceId }, { invoice: kick.invoiceId }),
    // a batch job's next run: the same hand-off (the batch timer resumes a job whose start was lost)
    startBatch: (kick: BatchKick) => handOff(cloud, opts, batchName, { kick: kick.kick, jobId: kick.jobId }, { job: kick.jobId }),
  }
}

function handOff(
  cloud: Pick<WxCloudLike, 'callFunction'>,
  opts: WxInvokeOptions,
  name: string,
  data: Record<string, unknown>,
  what: Record<string, string>,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false
    const settle = (f: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(guard)
      f()
    }
    const guard = setTimeout(
      () =>
        settle(() => {
          opts.log.warn('worker start: no answer from callFunction in time; assuming it was sent', what)
          resolve()
        }),
      opts.handOffMs + GUARD_EXTRA_MS,
    )
    guard.unref?.()
    let call: Promise<unknown>
    try {
      call = cloud.callFunction({ name, data, timeout: opts.handOffMs })
    } catch (e) {
      settle(() => reject(e instanceof Error ? e : new Error(String(e))))
      return
    }
    call.then(
      () => settle(resolve),
      (e: unknown) => {
        if (isSentAndWaiting(e)) return settle(resolve)
        const error = e instanceof Error ? e : new Error(String((e as { errMsg?: unknown })?.errMsg ?? e))
        if (settled) opts.log.warn('worker start failed after the hand-off window', { ...what, error: error.message.slice(0, 200) })
        settle(() => reject(error))
      },
    )
  })
}
