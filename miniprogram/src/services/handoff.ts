/**
 * The one small store through which pages hand things to each other (CONVENTIONS 16), for the
 * moves that cannot carry them: switchTab takes no query and no event channel, and a page
 * shown again by Back gets no parameters. Each entry is read once (take) and then gone, so a
 * hand-off never leaks into a later visit. Add a key here rather than a module variable.
 */
export interface HandOffs {
  /** pay-result -> 发票 tab: the order to select in 待开票 */
  'invoice.preselectOrder': string
  /** an invoice was requested: the 已开票 list reloads when it shows again */
  'invoice.listChanged': true
  /** title editor -> the page that sent the person there: the title just created */
  'title.created': string
}

type Key = keyof HandOffs

const box = new Map<Key, HandOffs[Key]>()

export function handOff<K extends Key>(key: K, value: HandOffs[K]): void {
  box.set(key, value)
}

/** The value handed over for `key`, once; null when there is none. */
export function takeHandOff<K extends Key>(key: K): HandOffs[K] | null {
  if (!box.has(key)) return null
  const value = box.get(key) as HandOffs[K]
  box.delete(key)
  return value
}
