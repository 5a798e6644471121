import type { BatchKick, InvokePort, IssueKick } from '../../ports/invoke.port'
import type { Logger } from '../../ports/runtime.port'

/**
 * How the local cloud's direct invocation behaves (dev page and tests switch it):
 *  - run:    like WeChat cloud: the worker starts in the background, the caller goes on at once;
 *  - refuse: the platform refuses the call (the caller logs it; the timer issues);
 *  - lose:   the call is accepted and never runs (a container frozen before it was sent);
 *  - inline: the caller waits for the worker to finish, which is how payNotify behaved before
 *            issue 7 (kept to measure "before" in bench/ack.bench.ts, not for real use).
 */
export type LocalInvokeMode = 'run' | 'refuse' | 'lose' | 'inline'

/** Runs a function of the local cloud as another function would call it (SOURCE scf, no OPENID). */
export type LocalDispatch = (functionName: string, event: Record<string, unknown>) => Promise<unknown>

export interface LocalInvoker extends InvokePort {
  mode: LocalInvokeMode
  /** every start, for tests and the dev page */
  readonly starts: { invoiceId: string; at: string; mode: LocalInvokeMode }[]
  /** the local cloud binds the dispatcher once its function handlers exist */
  bind(dispatch: LocalDispatch): void
  /** resolves when every background invocation has ended (before the database closes) */
  idle(): Promise<void>
}

export function localInvoker(opts: { log: Logger; now: () => Date; mode?: LocalInvokeMode; workerName?: string }): LocalInvoker {
  const workerName = opts.workerName ?? 'invoiceWorker'
  const running = new Set<Promise<unknown>>()
  let dispatch: LocalDispatch | null = null

  const run = (kick: IssueKick): Promise<unknown> => {
    if (!dispatch) return Promise.reject(new Error('no function host bound to the local invoker'))
    const d = dispatch
    return d(workerName, { kick: kick.kick, invoiceId: kick.invoiceId })
  }

  const invoker: LocalInvoker = {
    mode: opts.mode ?? 'run',
    starts: [],
    bind(d) {
      dispatch = d
    },
    async startWorker(kick) {
      const mode = invoker.mode
      invoker.starts.push({ invoiceId: kick.invoiceId, at: opts.now().toISOString(), mode })
      if (mode === 'refuse') throw new Error('callFunction:fail local invoker refuses (mode refuse)')
      if (mode === 'lose') return
      if (!dispatch) throw new Error('no function host bound to the local invoker')
      if (mode === 'inline') {
        await run(kick)
        return
      }
      // In the background, after the caller's answer: setImmediate keeps even the worker's
      // synchronous first steps (SQLite reads) out of the caller's answer time.
      const p = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => run(kick))
        .then((answer) => {
          const a = answer as { ok?: unknown; error?: { code?: unknown } } | null
          if (a?.ok === false) opts.log.warn('local direct invocation refused by the worker', { invoice: kick.invoiceId, code: String(a.error?.code) })
        })
        .catch((e: unknown) => opts.log.error('local direct invocation failed', { invoice: kick.invoiceId, error: e instanceof Error ? e.message : String(e) }))
        .finally(() => running.delete(p))
      running.add(p)
    },
    // a batch job's next run (issue 8): in the background like 'run', whatever the mode, except
    // that 'refuse' and 'lose' apply too (the batch timer is then the one that resumes the job)
    async startBatch(kick: BatchKick) {
      const mode = invoker.mode
      if (mode === 'refuse') throw new Error('callFunction:fail local invoker refuses (mode refuse)')
      if (mode === 'lose') return
      if (!dispatch) throw new Error('no function host bound to the local invoker')
      const d = dispatch
      const p = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => d('batch', { kick: kick.kick, jobId: kick.jobId }))
        .then((answer) => {
          const a = answer as { ok?: unknown; error?: { code?: unknown } } | null
          if (a?.ok === false) opts.log.warn('local batch start refused', { job: kick.jobId, code: String(a.error?.code) })
        })
        .catch((e: unknown) => opts.log.error('local batch start failed', { job: kick.jobId, error: e instanceof Error ? e.message : String(e) }))
        .finally(() => running.delete(p))
      running.add(p)
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running])
    },
  }
  return invoker
}
