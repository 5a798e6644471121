import type { StaffMember, StaffRole } from '../../../types/aftersales'
import type { Api } from '../../../types/api'
import { DomainError } from './errors'
import { maskTaxId } from './tax-id'

/**
 * Staff work: who may call the `staff` function, what each role may do, how personal data is
 * masked in staff views, and the canonical form of a record's state for the audit digest.
 * Pure: the entry (runtime/define-staff-function.ts) and the service (app/staff.service.ts)
 * apply these rules.
 */

export type StaffAction = Extract<keyof Api['staff'], string>

export const STAFF_ROLES: readonly StaffRole[] = ['viewer', 'agent', 'admin']
const RANK: Record<StaffRole, number> = { viewer: 1, agent: 2, admin: 3 }

/**
 * The least role each action needs (PIPL: least privilege). viewer reads queues and masked
 * cases; agent acts on cases and may unmask with a reason; admin also grants roles and reads
 * the audit trail. A new action without an entry here does not compile.
 */
export const MIN_ROLE: Readonly<Record<StaffAction, StaffRole>> = {
  whoami: 'viewer',
  queues: 'viewer',
  case: 'viewer',
  startReview: 'agent',
  approve: 'agent',
  reject: 'agent',
  correct: 'agent',
  reply: 'agent',
  closeTicket: 'agent',
  paperPrinted: 'agent',
  paperMailed: 'agent',
  paperDelivered: 'agent',
  paperReturned: 'agent',
  retryInvoice: 'agent',
  resendInvoice: 'agent',
  setNotice: 'agent',
  endNotice: 'agent',
  listNotices: 'viewer',
  find: 'viewer',
  health: 'viewer',
  grant: 'admin',
  audit: 'admin',
  auditVerify: 'admin',
}

export const STAFF_ACTIONS = Object.keys(MIN_ROLE) as StaffAction[]

export const isStaffRole = (v: unknown): v is StaffRole => typeof v === 'string' && (STAFF_ROLES as readonly string[]).includes(v)

export function roleAllows(role: StaffRole, action: StaffAction): boolean {
  return RANK[role] >= RANK[MIN_ROLE[action]]
}

/** Reading a case with the personal data in full needs a reason and at least an agent. */
export const canUnmask = (role: StaffRole): boolean => RANK[role] >= RANK.agent

export const ROLE_LABELS: Readonly<Record<StaffRole, string>> = { viewer: '只读', agent: '客服', admin: '管理员' }

// ---------------------------------------------------------------------------------------
// Who is calling

/**
 * console: from outside WeChat (the cloud console's test panel, the CLI, an SDK holding the
 * environment's credentials); miniprogram: a person in the mini-program whose openid holds a role.
 */
export type StaffVia = 'console' | 'miniprogram'

export interface StaffActor {
  /** the operator's name: what the audit trail says did it */
  name: string
  role: StaffRole
  via: StaffVia
  /** 'console', or the staff member's openid */
  viaId: string
}

/**
 * Which door a call came through, from the call context only (never from the event).
 * External calls carry no OPENID; one that does is not what WeChat sends and is refused.
 */
export function staffChannel(source: string, openid: string | null): StaffVia {
  if (source === 'external') {
    if (openid) throw new DomainError('COMMON.FORBIDDEN', '调用来源与身份不一致')
    return 'console'
  }
  if (source === 'wx_client' || source === 'wx_devtools') {
    if (!openid) throw new DomainError('COMMON.UNAUTHENTICATED', '请先登录')
    return 'miniprogram'
  }
  throw new DomainError('COMMON.FORBIDDEN', '该操作只能由工作人员在云开发控制台或小程序中发起')
}

const CONTROL = /[\p{Cc}\u2028\u2029]/u

/** 1 to 32 characters after trimming, no control characters. */
export function parseOperator(raw: unknown): string {
  const s = typeof raw === 'string' ? raw.trim() : ''
  if (!s || [...s].length > 32 || CONTROL.test(s)) {
    throw new DomainError('STAFF.OPERATOR_REQUIRED', '请在调用参数中填写操作人 operator（1 到 32 个字）')
  }
  return s
}

/** Console callers hold the environment's credentials: they are admins, named by `operator`. */
export function consoleActor(operator: unknown): StaffActor {
  return { name: parseOperator(operator), role: 'admin', via: 'console', viaId: 'console' }
}

/** A person in the mini-program: only a role in the staff collection lets them in. */
export function miniprogramActor(openid: string, member: StaffMember | null): StaffActor {
  if (!member || member.openid !== openid || !isStaffRole(member.role)) {
    throw new DomainError('COMMON.FORBIDDEN', '没有工作人员权限')
  }
  return { name: member.name, role: member.role, via: 'miniprogram', viaId: openid }
}

export function requireRole(actor: StaffActor, action: StaffAction): void {
  if (!roleAllows(actor.role, action)) {
    throw new DomainError('STAFF.ROLE_INSUFFICIENT', `「${ROLE_LABELS[actor.role]}」角色不能执行该操作，需要「${ROLE_LABELS[MIN_ROLE[action]]}」或以上`)
  }
}

/**
 * A reason for the audit trail: 2 to 200 characters, no control characters. `required`
 * actions refuse without one; otherwise an absent reason is null.
 */
export function parseReason(raw: unknown, required: boolean): string | null {
  if ((raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) && !required) return null
  const s = typeof raw === 'string' ? raw.trim() : ''
  if ([...s].length < 2 || [...s].length > 200 || CONTROL.test(s)) {
    throw new DomainError('STAFF.REASON_REQUIRED', '请填写原因（2 到 200 个字），它会记入审计记录')
  }
  return s
}

// ---------------------------------------------------------------------------------------
// Masking for staff views (PIPL: staff see what the case needs, the rest on a stated reason)

/** 张三 -> 张*, 欧阳小明 -> 欧**明, 武汉某某科技有限公司 -> 武汉******公司 */
export function maskName(name: string | null): string | null {
  if (!name) return name
  const c = [...name]
  if (c.length === 1) return '*'
  if (c.length === 2) return `${c[0]}*`
  if (c.length <= 4) return `${c[0]}${'*'.repeat(c.length - 2)}${c[c.length - 1]}`
  return `${c.slice(0, 2).join('')}${'*'.repeat(Math.min(c.length - 4, 6))}${c.slice(-2).join('')}`
}

/** 13812345678 -> 138****5678; a landline 027-87654321 -> 027****4321 */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone
  const digits = phone.replace(/\D/g, '')
  if (digits.length < 7) return '****'
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`
}

/** alice@example.com -> a***@example.com */
export function maskEmail(email: string | null): string | null {
  if (!email) return email
  const at = email.lastIndexOf('@')
  if (at < 1) return '***'
  return `${email[0]}***${email.slice(at)}`
}

/** 3104000012345673 -> 3104 **** **** 5673 */
export function maskCard(cardNo: string | null): string | null {
  if (!cardNo) return cardNo
  const d = cardNo.replace(/\s/g, '')
  if (d.length <= 8) return '****'
  return `${d.slice(0, 4)} **** **** ${d.slice(-4)}`
}

/** the last four digits only: **** 1234 */
export function maskBankAccount(account: string | null): string | null {
  if (!account) return account
  const d = account.replace(/\s/g, '')
  return d.length <= 4 ? '****' : `**** ${d.slice(-4)}`
}

/** 湖北省武汉市江汉区新华路 100 号 -> 湖北省武汉市*** (enough to see the city) */
export function maskAddress(address: string | null): string | null {
  if (!address) return address
  const c = [...address]
  return c.length <= 6 ? '***' : `${c.slice(0, 6).join('')}***`
}

/** the street line of a postal address: 新华路 100 号 3 栋 -> 新华路*** (the district is shown beside it) */
export function maskStreet(detail: string | null): string | null {
  if (!detail) return detail
  const c = [...detail]
  return c.length <= 3 ? '***' : `${c.slice(0, 3).join('')}***`
}

/** oAbcDEF...wxyz -> oAbc****wxyz: tells people apart in a list, not the identity itself */
export function maskOpenid(openid: string | null): string {
  if (!openid) return ''
  return openid.length > 10 ? `${openid.slice(0, 4)}****${openid.slice(-4)}` : '****'
}

const EMAIL_IN_TEXT = /([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g
const MOBILE_IN_TEXT = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g
const CARD_IN_TEXT = /(?<!\d)(\d{4})[ -]?\d{4}[ -]?\d{4}[ -]?(\d{4})(?!\d)/g
const TAX_ID_IN_TEXT = /(?<![0-9A-Za-z])([0-9A-Z]{4})[0-9A-Z]{7,12}([0-9A-Z]{4})(?![0-9A-Za-z])/g

/** Free text a person typed (a note, a ticket message) may hold their phone, e-mail, card or tax ID. */
export function maskFreeText(s: string): string {
  return s
    .replace(EMAIL_IN_TEXT, '$1***@$2')
    .replace(MOBILE_IN_TEXT, '$1****$2')
    .replace(CARD_IN_TEXT, '$1 **** **** $2')
    .replace(TAX_ID_IN_TEXT, (m, a: string, b: string) => (/[A-Z]/.test(m) && /\d/.test(m) ? `${a}********${b}` : m))
}

type Masker = (v: string) => string | null

/**
 * How each field of a staff view is masked, by key, wherever it appears (title snapshots,
 * paper addresses, orders, off-platform top-ups, ticket messages). Identifiers that are not
 * personal data (order and invoice ids, invoice numbers, file fingerprints) stay as they are.
 */
const FIELD_MASKS: Readonly<Record<string, Masker>> = {
  name: maskName,
  recipient: maskName,
  nickname: maskName,
  cardNickname: maskName,
  taxId: maskTaxId,
  phone: maskPhone,
  contactPhone: maskPhone,
  email: maskEmail,
  defaultEmail: maskEmail,
  cardNo: maskCard,
  bankAccount: maskBankAccount,
  address: maskAddress,
  openid: maskOpenid,
  note: maskFreeText,
  text: maskFreeText,
}

/** Inside a postal address (a paper request's `address` object) the street line is masked too. */
const ADDRESS_MASKS: Readonly<Record<string, Masker>> = { ...FIELD_MASKS, detail: maskStreet }

/** A deep copy of a staff view with every personal field masked (see FIELD_MASKS). */
export function maskForStaff<T>(value: T): T {
  return maskValue(value, null, null, 0) as T
}

function maskValue(v: unknown, key: string | null, parent: string | null, depth: number): unknown {
  if (depth > 12) return null
  if (typeof v === 'string') {
    const m = key !== null ? (parent === 'address' ? ADDRESS_MASKS : FIELD_MASKS)[key] : undefined
    return m ? m(v) : v
  }
  if (Array.isArray(v)) return v.map((x) => maskValue(x, key, parent, depth + 1))
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    // An address object is masked field by field (recipient, phone, street), not as one string;
    // an event's `detail` elsewhere is ours (a request number, a file size) and stays.
    for (const [k, x] of Object.entries(v)) out[k] = maskValue(x, k, key, depth + 1)
    return out
  }
  return v
}

// ---------------------------------------------------------------------------------------
// Audit

/**
 * The canonical JSON of a state: keys sorted at every level, undefined dropped, so the same
 * state always gives the same text and so the same digest, whatever the key order of the
 * record it was read from.
 */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return 'null'
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) return 'null'
    return JSON.stringify(v)
  }
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x === undefined ? null : x)).join(',')}]`
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`
}

/** The first record of the audit chain points at this. */
export const AUDIT_GENESIS = '0'.repeat(64)

/** `kind:id` (application:APP..., invoice:INV...): what a record is about. */
export const auditTarget = (kind: string, id: string) => `${kind}:${id}`

/** Audit record ids are their position in the chain, so the chain order is the id order. */
export const auditId = (seq: number) => `AUD${String(seq).padStart(12, '0')}`
