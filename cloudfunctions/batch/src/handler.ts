import type { BatchCards, BatchPeriod, BatchSpec, BatchSplitMode } from '../../../types/batch'
import { cancelBatch, createBatch, getBatch, listBatches, previewBatch, runBatchJob, runBatchSweep } from '../../_core/app/batch.service'
import { MAX_CARD_IDS, MAX_MONTHS } from '../../_core/domain/batch'
import { DomainError } from '../../_core/domain/errors'
import type { CallContext } from '../../_core/runtime/context'
import { defineFunction } from '../../_core/runtime/define-function'
import type { Deps } from '../../_core/runtime/deps'
import { guardEvent } from '../../_core/runtime/event-guard'
import type { Check } from '../../_core/runtime/validate'
import { int, optional, str } from '../../_core/runtime/validate'

const ID = str({ min: 1, max: 64 })
const TOKEN = str({ min: 8, max: 64, pattern: /^[A-Za-z0-9_-]+$/ })
const bad = (f: string, why: string): never => {
  throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} ${why}`)
}
const obj = (v: unknown, f: string): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : bad(f, '应为对象')
const strList = (v: unknown, f: string, max: number, each: number): string[] =>
  Array.isArray(v) && v.length <= max && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= each) ? (v as string[]) : bad(f, '应为字符串列表')

/** The shape only; the domain checks the months and dates themselves (BATCH.INVALID). */
const period: Check<BatchPeriod> = (v, f) => {
  const p = obj(v, f)
  if (p.kind === 'months') return { kind: 'months', months: strList(p.months, `${f}.months`, MAX_MONTHS * 2, 7) }
  if (p.kind === 'range') return { kind: 'range', from: str({ max: 10 })(p.from, `${f}.from`), to: str({ max: 10 })(p.to, `${f}.to`) }
  return bad(f, '应为 months 或 range')
}
const cards: Check<BatchCards> = (v, f) => {
  const c = obj(v, f)
  if (c.kind === 'all') return { kind: 'all' }
  if (c.kind === 'group') return { kind: 'group', group: str({ max: 40 })(c.group, `${f}.group`) }
  if (c.kind === 'ids') return { kind: 'ids', cardIds: strList(c.cardIds, `${f}.cardIds`, MAX_CARD_IDS, 64) }
  return bad(f, '应为 all、group 或 ids')
}
const mode: Check<BatchSplitMode> = (v, f) => (v === 'per_card' || v === 'mixed' ? v : bad(f, '应为 per_card 或 mixed'))
const email: Check<string | null | undefined> = (v, f) => (v === null ? null : optional(str({ max: 254 }))(v, f))

const SPEC = { titleId: ID, period, cards, mode, email }
const spec = (i: BatchSpec): BatchSpec => ({
  titleId: i.titleId,
  period: i.period,
  cards: i.cards,
  mode: i.mode,
  ...(i.email === undefined ? {} : { email: i.email }),
})

/** batch: the person's actions (wx_client). */
const clientHandler = defineFunction('batch', {
  preview: {
    schema: SPEC,
    run: async (input, ctx, deps) => previewBatch(deps, ctx.openid, spec(input)),
  },
  create: {
    schema: { ...SPEC, clientToken: TOKEN },
    run: async (input, ctx, deps) => ({ job: await createBatch(deps, ctx.openid, spec(input), input.clientToken) }),
  },
  get: {
    schema: { jobId: ID, from: optional(int({ min: 1, max: 100000 })), limit: optional(int({ min: 1, max: 100 })) },
    run: async (input, ctx, deps) => getBatch(deps, ctx.openid, input.jobId, input.from, input.limit),
  },
  list: {
    schema: { cursor: optional(str({ max: 200 })), limit: optional(int({ min: 1, max: 50 })) },
    run: async (input, ctx, deps) => listBatches(deps, ctx.openid, input),
  },
  cancel: {
    schema: { jobId: ID },
    run: async (input, ctx, deps) => ({ job: await cancelBatch(deps, ctx.openid, input.jobId) }),
  },
})

const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * The batch function: the person's actions; its own timer (SOURCE wx_trigger) resumes running
 * jobs nobody holds; another of our functions, or this one, with no OPENID (last hop scf) may
 * start a run on one job, `{ kick: 'batch', jobId }`. A run only moves an existing job forward
 * under its lease, exactly as the timer would, so a start needs no identity of its own.
 */
export const createBatchHandler = (deps: Deps) => {
  const client = clientHandler(deps)
  return async (event: unknown, ctx: CallContext) => {
    if (ctx.source === 'wx_trigger') {
      const data = await runBatchSweep(deps)
      deps.log.info('batch timer done', { ran: data.ran?.jobId ?? null, handled: data.ran?.handled ?? 0, started: data.started, requestId: ctx.requestId })
      return { ok: true, data }
    }
    if (ctx.source === 'scf' && ctx.openid === null) {
      try {
        guardEvent(event)
      } catch {
        return { ok: false, error: { code: 'COMMON.BAD_REQUEST', message: '只接受 { kick: "batch", jobId }' } }
      }
      const e = event
      const keys = Object.keys(e)
      if (e.kick !== 'batch' || typeof e.jobId !== 'string' || !JOB_ID.test(e.jobId) || keys.some((k) => k !== 'kick' && k !== 'jobId')) {
        deps.log.warn('batch: refused a call from a function that is not a kick', { requestId: ctx.requestId })
        return { ok: false, error: { code: 'COMMON.BAD_REQUEST', message: '只接受 { kick: "batch", jobId }' } }
      }
      const data = await runBatchJob(deps, e.jobId)
      return { ok: true, data }
    }
    return client(event, ctx)
  }
}
