import type { NoticeLevel, NoticePage, NoticePageInput } from '../../../types/api'
import { DomainError } from './errors'

/**
 * Emergency notices: a banner staff put on the home page and the invoice pages while something
 * is wrong (provider down, mail delayed, ...). Pure rules: what a notice may say, its window,
 * its pages. Stored by ports/notice.repo.ts; set and ended through the staff function.
 */

export const NOTICE_LEVELS: readonly NoticeLevel[] = ['info', 'warning', 'critical']
export const NOTICE_PAGES: readonly NoticePage[] = ['home', 'invoice']
export const NOTICE_TEXT_MAX = 120
/** a notice is for an incident, not a standing message: at most 30 days */
export const NOTICE_MAX_WINDOW_MS = 30 * 24 * 3600_000
/** at most this many notices are shown (and read) at once */
export const MAX_ACTIVE_NOTICES = 10

const CONTROL = /[\p{Cc}\u2028\u2029]/u
/** plain text: no markup, so what staff type is exactly what people read */
const MARKUP = /[<>]/

export function parseNoticeText(raw: string): string {
  const s = raw.trim()
  const n = [...s].length
  if (n < 2 || n > NOTICE_TEXT_MAX || CONTROL.test(s) || MARKUP.test(s)) {
    throw new DomainError('COMMON.BAD_REQUEST', `公告内容应为 2 到 ${NOTICE_TEXT_MAX} 个字的纯文本（不含换行和尖括号）`)
  }
  return s
}

/** 'all' or a list of pages -> the distinct pages, in a fixed order */
export function parseNoticePages(raw: NoticePageInput | NoticePageInput[]): NoticePage[] {
  const list = Array.isArray(raw) ? raw : [raw]
  if (list.length === 0 || list.length > 3) throw new DomainError('COMMON.BAD_REQUEST', '参数 pages 应为 home / invoice / all')
  if (list.includes('all')) return [...NOTICE_PAGES]
  return NOTICE_PAGES.filter((p) => list.includes(p))
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

function parseTime(raw: string, field: string): Date {
  const d = new Date(raw)
  if (!ISO.test(raw) || Number.isNaN(d.getTime())) {
    throw new DomainError('COMMON.BAD_REQUEST', `参数 ${field} 应为带时区的时间，例如 2026-01-02T08:00:00+08:00`)
  }
  return d
}

/** from (default now) < until, until in the future, at most 30 days apart; returned as UTC ISO strings */
export function parseNoticeWindow(now: Date, from: string | undefined, until: string): { from: string; until: string } {
  const f = from === undefined ? now : parseTime(from, 'from')
  const u = parseTime(until, 'until')
  if (u.getTime() <= f.getTime() || u.getTime() <= now.getTime()) {
    throw new DomainError('COMMON.BAD_REQUEST', '公告的结束时间 until 应晚于开始时间 from 和当前时间')
  }
  if (u.getTime() - f.getTime() > NOTICE_MAX_WINDOW_MS) throw new DomainError('COMMON.BAD_REQUEST', '公告最长显示 30 天，请缩短时间段')
  return { from: f.toISOString(), until: u.toISOString() }
}

/** critical first, then warning, then info; newest first within a level */
export const LEVEL_RANK: Readonly<Record<NoticeLevel, number>> = { critical: 0, warning: 1, info: 2 }
