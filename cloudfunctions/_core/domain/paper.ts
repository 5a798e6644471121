import type { PaperAddress, PaperStatus } from '../../../types/aftersales'
import { maskPhone, normalizePaperAddress, validatePaperAddress } from '../../../types/aftersales-rules'
import { DomainError } from './errors'
import { hasInvisible } from '../../../types/text-rules'

/**
 * A paper copy by post (纸质打印件 of a 数电票: a service, not a second invoice).
 * requested -> printed -> mailed -> delivered | returned; the person may cancel only before
 * it is printed. requested / printed / mailed hold the invoice's one active slot.
 */
const TRANSITIONS: Record<PaperStatus, readonly PaperStatus[]> = {
  requested: ['printed', 'cancelled'],
  printed: ['mailed'],
  mailed: ['delivered', 'returned'],
  delivered: [],
  returned: [],
  cancelled: [],
}

export function canTransition(from: PaperStatus, to: PaperStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

export const fromStatesOf = (to: PaperStatus): PaperStatus[] => (Object.keys(TRANSITIONS) as PaperStatus[]).filter((s) => canTransition(s, to))

export const isTerminal = (s: PaperStatus): boolean => TRANSITIONS[s].length === 0

export const PAPER_STATUS_LABELS: Record<PaperStatus, string> = {
  requested: '已申请',
  printed: '已打印',
  mailed: '已寄出',
  delivered: '已签收',
  returned: '已退回',
  cancelled: '已取消',
}

/**
 * The address as stored (trimmed, phone without spaces), or PAPER.ADDRESS_INVALID naming the
 * first field at fault. The rules are the mini-program form's (types/aftersales-rules.ts).
 */
export function parsePaperAddress(raw: unknown): PaperAddress {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new DomainError('PAPER.ADDRESS_INVALID', '请填写收件地址')
  const r = raw as Record<string, unknown>
  const field = (k: string) => (typeof r[k] === 'string' ? r[k] : r[k] === undefined || r[k] === null ? '' : null)
  const a = {
    recipient: field('recipient'),
    phone: field('phone'),
    province: field('province'),
    city: field('city'),
    district: field('district'),
    detail: field('detail'),
    postalCode: field('postalCode'),
  }
  if (Object.values(a).some((v) => v === null)) throw new DomainError('PAPER.ADDRESS_INVALID', '收件地址格式不正确')
  const address = a as PaperAddress
  const errors = validatePaperAddress(address)
  const first = (['recipient', 'phone', 'province', 'city', 'district', 'detail', 'postalCode'] as const).find((k) => errors[k])
  if (first) throw new DomainError('PAPER.ADDRESS_INVALID', errors[first]!)
  return normalizePaperAddress(address)
}

/** What the person and lists see: the phone masked. */
export function maskedAddress(a: PaperAddress): PaperAddress {
  return { ...a, phone: maskPhone(a.phone) }
}

/** For logs: where it goes at city level, nobody's name, phone or street. */
export function addressForLog(a: PaperAddress): string {
  return `${a.province}${a.city}`
}

const CARRIER_MAX = 20

/** Carrier (1-20 characters) and tracking number (6-30 letters and digits; EMS 13 characters like EA123456789CN). */
export function parseTracking(carrierRaw: unknown, trackingRaw: unknown): { carrier: string; trackingNo: string } {
  const carrier = typeof carrierRaw === 'string' ? carrierRaw.trim() : ''
  if (!carrier || Array.from(carrier).length > CARRIER_MAX || hasInvisible(carrier)) {
    throw new DomainError('COMMON.BAD_REQUEST', `请填写快递公司（最多 ${CARRIER_MAX} 个字）`)
  }
  const trackingNo = typeof trackingRaw === 'string' ? trackingRaw.replace(/\s/g, '').toUpperCase() : ''
  if (!/^[A-Z0-9]{6,30}$/.test(trackingNo)) throw new DomainError('COMMON.BAD_REQUEST', '快递单号应为 6 到 30 位字母或数字')
  return { carrier, trackingNo }
}
