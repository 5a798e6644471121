import type { NoticeLevel, NoticePage, StaffNotice } from '../../../../types/api'
import type { SiteNoticeRepo } from '../../ports/notice.repo'
import type { Db } from './sqlite.db'

type Row = {
  id: string
  level: NoticeLevel
  text: string
  pages: string
  from_at: string
  until_at: string
  ended_at: string | null
  created_by: string
  created_at: string
}

const noticeOf = (r: Row): StaffNotice => ({
  id: r.id,
  level: r.level,
  text: r.text,
  pages: JSON.parse(r.pages) as NoticePage[],
  from: r.from_at,
  until: r.until_at,
  endedAt: r.ended_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
})

/** Emergency notices in `notices` (never deleted; ending one sets ended_at). */
export function sqliteSiteNoticeRepo(db: Db): SiteNoticeRepo {
  const add = db.prepare(
    `INSERT INTO notices (id, level, text, pages, from_at, until_at, ended_at, created_by, created_at)
     VALUES (@id, @level, @text, @pages, @from, @until, @endedAt, @createdBy, @createdAt)`,
  )
  const find = db.prepare<[string], Row>('SELECT * FROM notices WHERE id = ?')
  const end = db.prepare<[string, string]>('UPDATE notices SET ended_at = ? WHERE id = ? AND ended_at IS NULL')
  const active = db.prepare<[string, string, number], Row>(
    'SELECT * FROM notices WHERE ended_at IS NULL AND until_at > ? AND from_at <= ? ORDER BY created_at DESC, id DESC LIMIT ?',
  )
  return {
    add: async (n) => {
      add.run({ ...n, pages: JSON.stringify(n.pages) })
    },
    findById: async (id) => {
      const r = find.get(id)
      return r ? noticeOf(r) : null
    },
    end: async (id, at) => {
      end.run(at, id)
      const r = find.get(id)
      return r ? noticeOf(r) : null
    },
    active: async (now, limit) => active.all(now, now, limit).map(noticeOf),
  }
}
