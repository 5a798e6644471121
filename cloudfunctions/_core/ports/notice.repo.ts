import type { StaffNotice } from '../../../types/api'

/**
 * Emergency notices (banners), in `notices`. A notice is never deleted: ending one sets
 * `endedAt`, so what people were told during an incident stays on record.
 */
export interface SiteNoticeRepo {
  add(notice: StaffNotice): Promise<void>
  findById(id: string): Promise<StaffNotice | null>
  /** sets endedAt when it is still null; answers the notice as it is afterwards (null when unknown) */
  end(id: string, at: string): Promise<StaffNotice | null>
  /** one query: not ended, from <= now < until; at most `limit` */
  active(now: string, limit: number): Promise<StaffNotice[]>
}
