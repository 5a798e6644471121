import type { ApplicationType, OffPlatformTopup, PaperAddress, TicketCategory } from '../../../types/aftersales'
import {
  applicationSummary,
  applyForInvoice,
  getApplication,
  listApplications,
  toApplicationView,
  withdrawApplication,
} from '../../_core/app/application.service'
import { cancelPaper, getPaper, listPaper, paperSummary, requestPaper, toPaperView } from '../../_core/app/paper.service'
import { closeTicket, getTicket, listTickets, openTicket, replyTicket, ticketSummary, toTicketView } from '../../_core/app/ticket.service'
import { uploadTarget } from '../../_core/app/upload.service'
import { DomainError } from '../../_core/domain/errors'
import { defineFunction } from '../../_core/runtime/define-function'
import type { Check } from '../../_core/runtime/validate'
import { int, optional, str } from '../../_core/runtime/validate'

const ID = str({ min: 1, max: 64 })
const TOKEN = str({ min: 8, max: 64, pattern: /^[A-Za-z0-9_-]+$/ })
const PAGE = { cursor: optional(str({ max: 200 })), limit: optional(int({ min: 1, max: 50 })) }
const bad = (f: string, why: string): never => {
  throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} ${why}`)
}

const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v, f) =>
    typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : bad(f, '不正确')

const idList =
  (max: number): Check<string[] | undefined> =>
  (v, f) => {
    if (v === undefined || v === null) return undefined
    if (!Array.isArray(v) || v.length > max || v.some((x) => typeof x !== 'string' || x.length === 0 || x.length > 300)) return bad(f, '应为字符串列表')
    return v as string[]
  }

/** The shape only (array of objects); the domain checks each entry and names the one at fault. */
const offPlatform: Check<OffPlatformTopup[] | undefined> = (v, f) => {
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.length > 50 || v.some((x) => !x || typeof x !== 'object' || Array.isArray(x))) return bad(f, '应为充值记录列表')
  return (v as Record<string, unknown>[]).map((x) => ({
    cardNo: x.cardNo as string,
    date: x.date as string,
    amountFen: x.amountFen as number,
    channel: x.channel as OffPlatformTopup['channel'],
  }))
}

/** Only the known address fields pass; their rules are the domain's (PAPER.ADDRESS_INVALID). */
const address: Check<PaperAddress> = (v) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new DomainError('PAPER.ADDRESS_INVALID', '请填写收件地址')
  const a = v as Record<string, unknown>
  return {
    recipient: a.recipient as string,
    phone: a.phone as string,
    province: a.province as string,
    city: a.city as string,
    district: a.district as string,
    detail: a.detail as string,
    postalCode: (a.postalCode ?? null) as string | null,
  }
}

const nullableStr =
  (max: number): Check<string | null | undefined> =>
  (v, f) =>
    v === null ? null : optional(str({ max }))(v, f)

const rawText: Check<string> = (v, f) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : bad(f, '应为字符串'))
const rating: Check<number | undefined> = (v) => (v === undefined || v === null ? undefined : (v as number))

/** aftersales: the person's applications (补开), paper copies by post, tickets and photo uploads. */
export const createAftersalesHandler = defineFunction('aftersales', {
  uploadTarget: {
    schema: { purpose: oneOf(['application', 'ticket'] as const), ext: oneOf(['jpg', 'png'] as const) },
    run: async (input, ctx, deps) => uploadTarget(deps, ctx.openid, input.purpose, input.ext),
  },
  apply: {
    schema: {
      type: oneOf<ApplicationType>(['supplement', 'correction']),
      orderIds: idList(100),
      invoiceId: optional(ID),
      offPlatform,
      titleId: ID,
      email: nullableStr(254),
      note: optional(str({ max: 1000 })),
      photoFileIds: idList(20),
      contactPhone: str({ max: 30 }),
      clientToken: TOKEN,
    },
    run: async (input, ctx, deps) => ({ application: toApplicationView(await applyForInvoice(deps, ctx.openid, input)) }),
  },
  listApplications: { schema: PAGE, run: (input, ctx, deps) => listApplications(deps, ctx.openid, input) },
  getApplication: {
    schema: { applicationId: ID },
    run: async (input, ctx, deps) => ({ application: toApplicationView(await getApplication(deps, ctx.openid, input.applicationId)) }),
  },
  withdrawApplication: {
    schema: { applicationId: ID },
    run: async (input, ctx, deps) => ({ application: toApplicationView(await withdrawApplication(deps, ctx.openid, input.applicationId)) }),
  },
  requestPaper: {
    schema: { invoiceId: ID, address, clientToken: TOKEN },
    run: async (input, ctx, deps) => ({ paper: toPaperView(await requestPaper(deps, ctx.openid, input)) }),
  },
  listPaper: { schema: PAGE, run: (input, ctx, deps) => listPaper(deps, ctx.openid, input) },
  getPaper: { schema: { paperId: ID }, run: async (input, ctx, deps) => ({ paper: toPaperView(await getPaper(deps, ctx.openid, input.paperId)) }) },
  cancelPaper: { schema: { paperId: ID }, run: async (input, ctx, deps) => ({ paper: toPaperView(await cancelPaper(deps, ctx.openid, input.paperId)) }) },
  openTicket: {
    schema: {
      category: oneOf<TicketCategory>(['invoice_missing', 'invoice_wrong', 'invoice_lost', 'topup', 'suggestion']),
      text: rawText,
      orderId: nullableStr(64),
      invoiceId: nullableStr(64),
      photoFileIds: idList(20),
      contactPhone: nullableStr(30),
      clientToken: TOKEN,
    },
    run: async (input, ctx, deps) => ({ ticket: toTicketView(await openTicket(deps, ctx.openid, input)) }),
  },
  listTickets: { schema: PAGE, run: (input, ctx, deps) => listTickets(deps, ctx.openid, input) },
  getTicket: { schema: { ticketId: ID }, run: async (input, ctx, deps) => ({ ticket: toTicketView(await getTicket(deps, ctx.openid, input.ticketId)) }) },
  replyTicket: {
    schema: { ticketId: ID, text: rawText, photoFileIds: idList(20) },
    run: async (input, ctx, deps) => ({ ticket: toTicketView(await replyTicket(deps, ctx.openid, input.ticketId, input)) }),
  },
  closeTicket: {
    schema: { ticketId: ID, rating },
    run: async (input, ctx, deps) => ({ ticket: toTicketView(await closeTicket(deps, ctx.openid, input.ticketId, input.rating)) }),
  },
  summary: {
    schema: {},
    run: async (_in, ctx, deps) => {
      const [applicationsActive, paperActive, ticketsAnswered] = await Promise.all([
        applicationSummary(deps, ctx.openid),
        paperSummary(deps, ctx.openid),
        ticketSummary(deps, ctx.openid),
      ])
      return { applicationsActive, paperActive, ticketsAnswered }
    },
  },
})
