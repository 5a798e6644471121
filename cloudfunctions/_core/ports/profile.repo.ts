import type { InvoiceTitle, UserSettings } from '../../../types/domain'

export interface StoredTitle extends InvoiceTitle {
  openid: string
}

export interface TitleRepo {
  listByOwner(openid: string): Promise<StoredTitle[]>
  countByOwner(openid: string): Promise<number>
  findById(id: string): Promise<StoredTitle | null>
  /** insert or replace the whole title (owner checked by the caller) */
  save(title: StoredTitle): Promise<void>
  /** saves a NEW title only while the owner has fewer than `max`, atomically; false at the limit */
  insertWithinLimit(title: StoredTitle, max: number): Promise<boolean>
  remove(openid: string, id: string): Promise<boolean>
  /** makes `id` the only default among the owner's titles, atomically */
  setDefault(openid: string, id: string): Promise<boolean>
}

export interface SettingsRepo {
  get(openid: string): Promise<UserSettings>
  update(openid: string, patch: Partial<UserSettings>): Promise<UserSettings>
}
