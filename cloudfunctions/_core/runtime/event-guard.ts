import { DomainError } from '../domain/errors'

/** The JSON text of a client's event may be at most this long (UTF-16 units, as JSON.stringify counts). */
export const MAX_EVENT_BYTES = 16 * 1024
/** Objects and arrays nested deeper than this are refused; no real action needs more than a few levels. */
export const MAX_EVENT_DEPTH = 32

export type EventFault = 'not_object' | 'not_json' | 'too_deep' | 'too_large'

/**
 * What is wrong with an event's shape, or null: a plain object, JSON values only, at most
 * `maxDepth` levels, and at most `maxBytes` as JSON text. It walks the event with its own stack,
 * never recursion, and stops at the first fault, so neither depth (a body nested 5,000 levels
 * deep) nor size nor a cycle can overflow the stack or cost more than about `maxBytes` steps:
 * every value visited adds at least one unit to the count.
 */
export function eventFault(event: unknown, limits: { maxBytes?: number; maxDepth?: number } = {}): EventFault | null {
  const maxBytes = limits.maxBytes ?? MAX_EVENT_BYTES
  const maxDepth = limits.maxDepth ?? MAX_EVENT_DEPTH
  if (!event || typeof event !== 'object' || Array.isArray(event)) return 'not_object'
  let bytes = 0
  const stack: { value: unknown; depth: number }[] = [{ value: event, depth: 1 }]
  try {
    while (stack.length) {
      const { value, depth } = stack.pop()!
      switch (typeof value) {
        case 'string':
          if (value.length > maxBytes) return 'too_large'
          bytes += JSON.stringify(value).length
          break
        case 'number':
          bytes += Number.isFinite(value) ? String(value).length : 4
          break
        case 'boolean':
          bytes += value ? 4 : 5
          break
        case 'undefined':
        case 'function':
        case 'symbol':
          bytes += 4 // dropped from objects, null in arrays: never under-counted
          break
        case 'bigint':
          return 'not_json'
        case 'object': {
          if (value === null) {
            bytes += 4
            break
          }
          if (depth > maxDepth) return 'too_deep'
          // an array by its length (holes become null), an object by its own enumerable keys
          const keys = Array.isArray(value) ? null : Object.keys(value)
          const n = keys ? keys.length : (value as unknown[]).length
          if (n > maxBytes) return 'too_large'
          bytes += 2 + Math.max(n - 1, 0)
          for (let i = 0; i < n; i++) {
            const key = keys ? keys[i] : i
            if (typeof key === 'string') {
              if (key.length > maxBytes) return 'too_large'
              bytes += JSON.stringify(key).length + 1
            }
            stack.push({ value: (value as Record<string | number, unknown>)[key], depth: depth + 1 })
          }
          break
        }
      }
      if (bytes > maxBytes) return 'too_large'
    }
  } catch {
    return 'not_json' // a throwing getter or proxy: never a JSON event
  }
  return null
}

/** Throws COMMON.BAD_REQUEST for an event eventFault refuses: the first check of every client entry. */
export function guardEvent(event: unknown): asserts event is Record<string, unknown> {
  const fault = eventFault(event)
  if (!fault) return
  const message = fault === 'too_large' ? '请求内容过大' : fault === 'too_deep' ? '请求嵌套过深' : '请求格式不正确'
  throw new DomainError('COMMON.BAD_REQUEST', message)
}
