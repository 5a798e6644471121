import type { BatchCards, BatchPeriod, BatchSplitMode, BatchStatus } from '../../../types/batch'
import { planInvoices, splitUnderCaps } from '../../../types/batch'
import { DomainError } from './errors'

/**
 * Batch invoicing (企业批量开票), the pure part: what a batch request may say, the period as
 * time ranges, the split (one home: types/batch.ts, which the mini-program's 全选 uses too) and
 * the job's statuses.
 */
export { planInvoices, splitUnderCaps }

/** running -> done (every planned invoice handled) | cancelled (stops before the next chunk). */
const TRANSITIONS: Record<BatchStatus, readonly BatchStatus[]> = {
  running: ['done', 'cancelled'],
  done: [],
  cancelled: [],
}

export function canTransition(from: BatchStatus, to: BatchStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

export const MAX_MONTHS = 24
export const MAX_RANGE_DAYS = 3660
export const MAX_CARD_IDS = 1000

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/
const DAY = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/
const UTC8 = 8 * 3600_000

const invalid = (message: string): never => {
  throw new DomainError('BATCH.INVALID', message)
}

/** A period as [from, to) ISO ranges in UTC (months in UTC+8), sorted, overlapping ones merged. */
export function periodRanges(period: BatchPeriod): { from: string; to: string }[] {
  if (period.kind === 'months') {
    const months = [...new Set(period.months)].sort()
    if (months.length === 0) invalid('请至少选择一个月份')
    if (months.length > MAX_MONTHS) invalid(`一次最多选择 ${MAX_MONTHS} 个月`)
    return months.map((m) => {
      const r = MONTH.exec(m) ?? invalid('月份格式应为 YYYY-MM')
      const y = Number(r[1])
      const mo = Number(r[2])
      return { from: new Date(Date.UTC(y, mo - 1, 1) - UTC8).toISOString(), to: new Date(Date.UTC(y, mo, 1) - UTC8).toISOString() }
    })
  }
  const day = (s: string) => {
    const r = DAY.exec(s) ?? invalid('日期格式应为 YYYY-MM-DD')
    const t = Date.UTC(Number(r[1]), Number(r[2]) - 1, Number(r[3]))
    // 2026-02-31 parses into March: refuse rather than shift the period
    if (new Date(t).getUTCDate() !== Number(r[3])) invalid('日期不存在，请核对')
    return t
  }
  const from = day(period.from)
  const to = day(period.to)
  if (to < from) invalid('结束日期不能早于开始日期')
  if ((to - from) / 86400_000 + 1 > MAX_RANGE_DAYS) invalid(`日期范围最多 ${MAX_RANGE_DAYS} 天`)
  return [{ from: new Date(from - UTC8).toISOString(), to: new Date(to + 86400_000 - UTC8).toISOString() }]
}

export function inRanges(iso: string, ranges: readonly { from: string; to: string }[]): boolean {
  return ranges.some((r) => iso >= r.from && iso < r.to)
}

export function periodLabel(period: BatchPeriod): string {
  if (period.kind === 'range') return `${period.from} 至 ${period.to}`
  const months = [...new Set(period.months)].sort()
  return months.length <= 3 ? months.join('、') : `${months[0]} 等 ${months.length} 个月`
}

export function cardsLabel(cards: BatchCards): string {
  if (cards.kind === 'all') return '全部卡片'
  if (cards.kind === 'group') return cards.group === '' ? '未分组的卡片' : `分组「${cards.group}」`
  return `选定的 ${cards.cardIds.length} 张卡`
}

export function modeLabel(mode: BatchSplitMode): string {
  return mode === 'per_card' ? '每张卡单独开票' : '多张卡合并开票'
}

/** The clientToken of the n-th (0-based) planned invoice of a job: a retry finds the same invoice. */
export function batchInvoiceToken(jobId: string, index: number): string {
  return `batch-${jobId}-${index + 1}`
}

/** A failure reason kept on the job: short, one line. */
export function failureReason(e: unknown): string {
  const text = e instanceof DomainError ? e.message : '系统繁忙，稍后自动重试'
  return text.replace(/\s+/g, ' ').slice(0, 100)
}
