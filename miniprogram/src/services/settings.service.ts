/** Local preferences of this device: 大字模式 and the last card used. */
import Taro from '@tarojs/taro'

const LARGE_TEXT_KEY = 'wt.settings.largeText'
const LAST_CARD_KEY = 'wt.settings.lastCardId'

type Listener = (largeText: boolean) => void
const listeners = new Set<Listener>()

function read<T>(key: string, fallback: T): T {
  try {
    const value = Taro.getStorageSync<T | '' | undefined>(key)
    return value === '' || value === undefined || value === null ? fallback : value
  } catch {
    return fallback
  }
}

function write(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(key, value)
  } catch {
    // storage full or unavailable: the preference only lasts this session
  }
}

let largeText = read<boolean>(LARGE_TEXT_KEY, false) === true

export function isLargeText(): boolean {
  return largeText
}

export function setLargeText(value: boolean): void {
  largeText = value
  write(LARGE_TEXT_KEY, value)
  listeners.forEach((fn) => fn(value))
}

/** Returns an unsubscribe function. */
export function onLargeTextChange(fn: Listener): () => void {
  listeners.add(fn)
  return () => {
    listeners.delete(fn)
  }
}

export function getLastCardId(): string | null {
  const id = read<string>(LAST_CARD_KEY, '')
  return id || null
}

export function setLastCardId(cardId: string): void {
  write(LAST_CARD_KEY, cardId)
}
