import type { NoticeLevel, NoticePageInput, StaffCaseKind, StaffFindBy, StaffQueue } from '../../../types/api'
import type { OffPlatformTopup, StaffRole } from '../../../types/aftersales'
import type { TitleInput } from '../../../types/domain'
import {
  grantRole,
  listAudit,
  staffFind,
  staffAuditVerify,
  staffHealth,
  STAFF_QUEUES,
  staffApprove,
  staffCase,
  staffCloseTicket,
  staffCorrect,
  staffPaper,
  staffQueues,
  staffReject,
  staffReply,
  staffResendInvoice,
  staffRetryInvoice,
  staffStartReview,
  whoami,
} from '../../_core/app/staff.service'
import { DomainError } from '../../_core/domain/errors'
import { isStaffRole, parseReason } from '../../_core/domain/staff'
import { endNotice, listNotices, setNotice } from '../../_core/app/staff-notice.service'
import { NOTICE_LEVELS } from '../../_core/domain/notice'
import { defineStaffFunction } from '../../_core/runtime/define-staff-function'
import type { Check } from '../../_core/runtime/validate'
import { int, optional, str } from '../../_core/runtime/validate'

const ID = str({ min: 1, max: 64 })
const PAGE = { cursor: optional(str({ max: 200 })), limit: optional(int({ min: 1, max: 50 })) }

/** Required reasons: STAFF.REASON_REQUIRED when missing, blank, too short or too long. */
const reason: Check<string> = (v) => parseReason(v, true)!
/** Optional reasons (approve, case): absent is null; present must be a proper reason. */
const optionalReason: Check<string | null> = (v) => parseReason(v, false)

const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v, f) => {
    if (typeof v !== 'string' || !values.includes(v as T)) throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为 ${values.join(' / ')} 之一`)
    return v as T
  }

const CASE_KINDS: readonly StaffCaseKind[] = ['application', 'ticket', 'paper', 'invoice', 'order', 'correction']

const idList: Check<string[] | undefined> = (v, f) => {
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.length > 100 || v.some((x) => typeof x !== 'string' || x.length === 0 || x.length > 32)) {
    throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为订单号列表`)
  }
  return v as string[]
}

/** Shape only (an array of plain objects); the application service checks every field. */
const offPlatform: Check<OffPlatformTopup[] | undefined> = (v, f) => {
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.length > 10 || v.some((x) => !x || typeof x !== 'object' || Array.isArray(x))) {
    throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为其他渠道充值记录列表（最多 10 条）`)
  }
  // only the known fields go on; the application service checks each of them
  return (v as Record<string, unknown>[]).map((x) => ({
    cardNo: x.cardNo as string,
    date: x.date as string,
    amountFen: x.amountFen as number,
    channel: x.channel as OffPlatformTopup['channel'],
  }))
}

/** Shape only; domain/invoice.ts parseTitle checks it like every title. */
const title: Check<TitleInput | undefined> = (v, f) => {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v)) throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为抬头对象`)
  const t = v as Record<string, unknown>
  if (t.kind !== 'personal' && t.kind !== 'enterprise') throw new DomainError('TITLE.FIELD_INVALID', '抬头类型应为 personal 或 enterprise')
  for (const k of ['name', 'taxId', 'address', 'phone', 'bankName', 'bankAccount']) {
    if (t[k] !== undefined && t[k] !== null && typeof t[k] !== 'string') throw new DomainError('TITLE.FIELD_INVALID', `抬头字段 ${k} 应为字符串`)
  }
  return {
    kind: t.kind,
    name: typeof t.name === 'string' ? t.name : '',
    taxId: (t.taxId as string | null | undefined) ?? null,
    address: (t.address as string | null | undefined) ?? null,
    phone: (t.phone as string | null | undefined) ?? null,
    bankName: (t.bankName as string | null | undefined) ?? null,
    bankAccount: (t.bankAccount as string | null | undefined) ?? null,
    confirmChecksum: t.confirmChecksum === true,
  }
}

const bool: Check<boolean | undefined> = (v, f) => {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为 true 或 false`)
  return v
}

const role: Check<StaffRole | null> = (v, f) => {
  if (v === null) return null
  if (!isStaffRole(v)) throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为 viewer / agent / admin，或 null 表示撤销`)
  return v
}

const NOTICE_PAGE_INPUTS: readonly NoticePageInput[] = ['home', 'invoice', 'all']
/** one page, 'all', or a list of them */
const noticePages: Check<NoticePageInput | NoticePageInput[]> = (v, f) => {
  if (Array.isArray(v)) {
    if (v.length < 1 || v.length > 3) throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为 home / invoice / all 或它们的列表`)
    return v.map((x, i) => oneOf(NOTICE_PAGE_INPUTS)(x, `${f}[${i}]`))
  }
  return oneOf(NOTICE_PAGE_INPUTS)(v, f)
}
const TIME = str({ min: 10, max: 40 })

const nullableEmail: Check<string | null | undefined> = (v, f) => (v === null ? null : optional(str({ max: 254 }))(v, f))

/**
 * staff: queues, case context and actions for staff (cloud console / CLI / SDK, or a staff
 * member in the mini-program). The entry settles who may call and with which role; every
 * change writes an audit record (app/staff.service.ts).
 */
export const createStaffHandler = defineStaffFunction({
  whoami: { schema: {}, run: async (_in, ctx) => whoami(ctx.actor) },
  queues: {
    schema: { queue: optional(oneOf<StaffQueue>(STAFF_QUEUES)), limit: optional(int({ min: 1, max: 50 })) },
    run: (input, _ctx, deps) => staffQueues(deps, input),
  },
  case: {
    schema: { kind: oneOf(CASE_KINDS), id: ID, reason: optionalReason as Check<string | undefined> },
    run: (input, ctx, deps) => staffCase(deps, ctx.actor, { kind: input.kind, id: input.id, reason: input.reason ?? null }),
  },
  startReview: { schema: { applicationId: ID }, run: (input, ctx, deps) => staffStartReview(deps, ctx.actor, input.applicationId) },
  approve: {
    schema: { applicationId: ID, orderIds: idList, offPlatform, reason: optionalReason as Check<string | undefined> },
    run: (input, ctx, deps) => staffApprove(deps, ctx.actor, { ...input, reason: input.reason ?? null }),
  },
  reject: { schema: { applicationId: ID, reason }, run: (input, ctx, deps) => staffReject(deps, ctx.actor, input) },
  correct: {
    schema: {
      invoiceId: ID,
      titleId: optional(ID),
      title,
      buyerBooked: bool,
      reason,
      clientToken: str({ min: 8, max: 64, pattern: /^[A-Za-z0-9_-]+$/ }),
    },
    run: (input, ctx, deps) => staffCorrect(deps, ctx.actor, input),
  },
  reply: { schema: { ticketId: ID, text: str({ max: 2000 }) }, run: (input, ctx, deps) => staffReply(deps, ctx.actor, input) },
  closeTicket: { schema: { ticketId: ID, reason }, run: (input, ctx, deps) => staffCloseTicket(deps, ctx.actor, input) },
  paperPrinted: { schema: { paperId: ID }, run: (input, ctx, deps) => staffPaper(deps, ctx.actor, { paperId: input.paperId, to: 'printed' }) },
  paperMailed: {
    schema: { paperId: ID, carrier: str({ max: 40 }), trackingNo: str({ max: 40 }) },
    run: (input, ctx, deps) => staffPaper(deps, ctx.actor, { ...input, to: 'mailed' }),
  },
  paperDelivered: { schema: { paperId: ID }, run: (input, ctx, deps) => staffPaper(deps, ctx.actor, { paperId: input.paperId, to: 'delivered' }) },
  paperReturned: { schema: { paperId: ID, reason }, run: (input, ctx, deps) => staffPaper(deps, ctx.actor, { ...input, to: 'returned' }) },
  retryInvoice: { schema: { invoiceId: ID, reason }, run: (input, ctx, deps) => staffRetryInvoice(deps, ctx.actor, input) },
  resendInvoice: { schema: { invoiceId: ID, email: nullableEmail, reason }, run: (input, ctx, deps) => staffResendInvoice(deps, ctx.actor, input) },
  setNotice: {
    schema: { level: oneOf<NoticeLevel>(NOTICE_LEVELS), text: str({ max: 400 }), from: optional(TIME), until: TIME, pages: noticePages, reason },
    run: (input, ctx, deps) => setNotice(deps, ctx.actor, input),
  },
  endNotice: { schema: { noticeId: ID, reason }, run: (input, ctx, deps) => endNotice(deps, ctx.actor, input) },
  listNotices: { schema: {}, run: (_in, _ctx, deps) => listNotices(deps) },
  find: {
    schema: { by: oneOf<StaffFindBy>(['order', 'invoice', 'card']), value: str({ min: 1, max: 64 }) },
    run: (input, _ctx, deps) => staffFind(deps, input),
  },
  health: { schema: {}, run: (_in, _ctx, deps) => staffHealth(deps) },
  grant: {
    schema: { openid: str({ min: 1, max: 64 }), name: str({ max: 64 }), role, reason },
    run: (input, ctx, deps) => grantRole(deps, ctx.actor, input),
  },
  audit: { schema: { ...PAGE, target: optional(str({ max: 100 })) }, run: (input, _ctx, deps) => listAudit(deps, input) },
  auditVerify: { schema: {}, run: (_in, _ctx, deps) => staffAuditVerify(deps) },
})
