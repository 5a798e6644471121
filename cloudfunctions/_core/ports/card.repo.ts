import type { Card } from '../../../types/domain'

export interface StoredCard extends Card {
  openid: string
}

/** Cards of one owner. Unique per (openid, cardNo): inserting a twin throws DuplicateKeyError. */
export interface CardRepo {
  listByOwner(openid: string): Promise<StoredCard[]>
  countByOwner(openid: string): Promise<number>
  findById(id: string): Promise<StoredCard | null>
  insert(card: StoredCard): Promise<void>
  /**
   * Inserts only while the owner has fewer than `max` cards, atomically (two concurrent binds
   * cannot both take the last place); false when the limit is reached.
   */
  insertWithinLimit(card: StoredCard, max: number): Promise<boolean>
  /** Sets (or, with null, clears) the group label of a card the owner holds; false when it is not theirs. */
  setGroup(openid: string, id: string, group: string | null): Promise<boolean>
  /** Removes only when the card belongs to openid; true when a row went away. */
  remove(openid: string, id: string): Promise<boolean>
}
