import { DomainError } from '../domain/errors'

/**
 * Tiny input schemas: every field a client sends is checked for type and size before a
 * service sees it. Unknown fields are dropped, never passed through.
 */
export type Check<T> = (v: unknown, field: string) => T

const bad = (field: string, why: string): never => {
  throw new DomainError('COMMON.BAD_REQUEST', `参数 ${field} ${why}`)
}

export const str =
  (opts: { max: number; min?: number; pattern?: RegExp }): Check<string> =>
  (v, f) => {
    if (typeof v !== 'string') return bad(f, '应为字符串')
    if (v.length > opts.max) return bad(f, `过长（最多 ${opts.max} 个字符）`)
    if (v.length < (opts.min ?? 0)) return bad(f, '不能为空')
    if (opts.pattern && !opts.pattern.test(v)) return bad(f, '格式不正确')
    return v
  }

export const int =
  (opts: { min: number; max: number }): Check<number> =>
  (v, f) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return bad(f, '应为整数')
    if (v < opts.min || v > opts.max) return bad(f, `应在 ${opts.min} 到 ${opts.max} 之间`)
    return v
  }

/** Passes any number through, so a domain rule can give the precise message (amounts). */
export const num: Check<number> = (v, f) => (typeof v === 'number' && Number.isFinite(v) ? v : bad(f, '应为数字'))

export const optional =
  <T>(c: Check<T>): Check<T | undefined> =>
  (v, f) =>
    v === undefined || v === null ? undefined : c(v, f)

export type Schema<T> = { [K in keyof T]-?: Check<T[K]> }

export function parse<T>(schema: Schema<T>, event: Record<string, unknown>): T {
  const out = {} as T
  for (const key of Object.keys(schema) as (keyof T & string)[]) {
    out[key] = schema[key](event[key], key)
  }
  return out
}
