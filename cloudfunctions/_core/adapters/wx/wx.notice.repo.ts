import type { NoticeLevel, NoticePage, StaffNotice } from '../../../../types/api'
import type { SiteNoticeRepo } from '../../ports/notice.repo'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { str, strOrNull } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

const noticeOf = (d: WxDoc): StaffNotice => ({
  id: d._id,
  level: d.level as NoticeLevel,
  text: str(d.text),
  pages: Array.isArray(d.pages) ? (d.pages as NoticePage[]) : [],
  from: str(d.from),
  until: str(d.until),
  endedAt: strOrNull(d.endedAt),
  createdBy: str(d.createdBy),
  createdAt: str(d.createdAt),
})

/**
 * Emergency notices in `notices`, `_id` = the notice id. Never removed: ending one sets
 * endedAt. The active read is one query on { endedAt: null, until > now, from <= now }.
 */
export function wxSiteNoticeRepo(db: WxDatabase): SiteNoticeRepo {
  const notices = () => db.collection(WX_COLLECTIONS.siteNotices)
  const _ = db.command
  const find = async (id: string) => {
    const { data } = await notices().where({ _id: id }).limit(1).get()
    return data.length ? noticeOf(data[0]) : null
  }
  return {
    add: async (n) => {
      const { id, ...rest } = n
      await notices().add({ data: { _id: id, ...rest } })
    },
    findById: find,
    end: async (id, at) => {
      await notices()
        .where({ _id: id, endedAt: null })
        .update({ data: { endedAt: at } })
      return find(id)
    },
    active: async (now, limit) => {
      const { data } = await notices()
        .where({ endedAt: null, until: _.gt(now), from: _.lte(now) })
        .orderBy('createdAt', 'desc')
        .orderBy('_id', 'desc')
        .limit(limit)
        .get()
      return data.map(noticeOf)
    },
  }
}
