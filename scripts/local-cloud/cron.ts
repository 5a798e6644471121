/**
 * WeChat cloud timer triggers use a 7-field cron: second minute hour day month week year,
 * evaluated in UTC+8. Supported per field: *, n, a-b, a/b or * /b steps, lists a,b,c; week
 * 0-6 (0 = Sunday) or SUN..SAT; month 1-12 or JAN..DEC.
 */
const OFFSET_MS = 8 * 3600_000

interface Field {
  min: number
  max: number
  names?: string[]
}
const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { min: 1970, max: 2199 },
]

export interface Cron {
  sets: Set<number>[]
  source: string
}

function value(tok: string, f: Field, idx: number): number {
  const named = f.names?.indexOf(tok.toUpperCase()) ?? -1
  const n = named >= 0 ? named + (idx === 4 ? 1 : 0) : Number(tok)
  if (!Number.isInteger(n) || n < f.min || n > f.max) throw new Error(`cron: ${tok} out of range ${f.min}-${f.max}`)
  return n
}

export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/)
  if (parts.length !== 7) throw new Error(`cron: expected 7 fields, got ${parts.length}`)
  const sets = parts.map((part, i) => {
    const f = FIELDS[i]
    const set = new Set<number>()
    for (const item of part.split(',')) {
      const [range, stepRaw] = item.split('/')
      const step = stepRaw === undefined ? 1 : Number(stepRaw)
      if (!Number.isInteger(step) || step < 1) throw new Error(`cron: bad step in ${item}`)
      let lo: number
      let hi: number
      if (range === '*' || range === '?') [lo, hi] = [f.min, f.max]
      else if (range.includes('-')) {
        const [a, b] = range.split('-')
        ;[lo, hi] = [value(a, f, i), value(b, f, i)]
        if (lo > hi) throw new Error(`cron: bad range ${range}`)
      } else {
        lo = value(range, f, i)
        hi = stepRaw === undefined ? lo : f.max
      }
      for (let v = lo; v <= hi; v += step) set.add(v)
    }
    return set
  })
  return { sets, source: expr }
}

/** The first fire time strictly after `after`, or null if none within ~5 years. */
export function nextFire(cron: Cron, after: Date): Date | null {
  const [sec, min, hour, day, month, week, year] = cron.sets
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b)
  const secs = sorted(sec)
  const mins = sorted(min)
  const hours = sorted(hour)
  const startLocal = after.getTime() + OFFSET_MS + 1000 - (after.getTime() % 1000)
  const start = new Date(startLocal)
  let dayStart = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate())
  for (let i = 0; i < 366 * 5; i++, dayStart += 86400_000) {
    const d = new Date(dayStart)
    if (!year.has(d.getUTCFullYear()) || !month.has(d.getUTCMonth() + 1) || !day.has(d.getUTCDate()) || !week.has(d.getUTCDay())) continue
    for (const h of hours)
      for (const m of mins)
        for (const s of secs) {
          const local = dayStart + ((h * 60 + m) * 60 + s) * 1000
          if (local >= startLocal) return new Date(local - OFFSET_MS)
        }
  }
  return null
}
