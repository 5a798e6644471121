import {
  advanceInvoice,
  invoiceFiles,
  invoiceForOrder,
  listInvoices,
  listUninvoiced,
  ownedInvoice,
  requestInvoice,
  resendInvoice,
  toDetail,
} from '../../_core/app/invoice.service'
import {
  advanceCorrection,
  correctionEligibility,
  getCorrectionView,
  ownedCorrection,
  requestCorrection,
  toCorrectionView,
} from '../../_core/app/correction.service'
import { ownedTitle } from '../../_core/app/profile.service'
import { isTerminalCorrection } from '../../_core/domain/correction'
import { DomainError } from '../../_core/domain/errors'
import { defineFunction } from '../../_core/runtime/define-function'
import type { Check } from '../../_core/runtime/validate'
import { int, optional, str } from '../../_core/runtime/validate'
import type { InvoiceStatus } from '../../../types/domain'

const ID = str({ min: 1, max: 64 })
const orderIds: Check<string[]> = (v, f) => {
  if (!Array.isArray(v) || v.length > 100 || v.some((x) => typeof x !== 'string' || x.length === 0 || x.length > 32)) {
    throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为订单号列表`)
  }
  return v as string[]
}
const kind: Check<'normal' | 'special' | undefined> = (v, f) => {
  if (v === undefined || v === null) return undefined
  if (v !== 'normal' && v !== 'special') throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为 normal 或 special`)
  return v
}
const status: Check<InvoiceStatus | undefined> = (v, f) => {
  if (v === undefined || v === null) return undefined
  if (!['requested', 'issuing', 'issued', 'failed'].includes(v as string)) throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 不正确`)
  return v as InvoiceStatus
}
const nullableEmail: Check<string | null | undefined> = (v, f) => (v === null ? null : optional(str({ max: 254 }))(v, f))
const bool: Check<boolean | undefined> = (v, f) => {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为 true 或 false`)
  return v
}
const CLIENT_TOKEN = str({ min: 8, max: 64, pattern: /^[A-Za-z0-9_-]+$/ })
const PAGE = { cursor: optional(str({ max: 200 })), limit: optional(int({ min: 1, max: 50 })) }

/** invoice: request, list, read, download, re-send and correct (换开) the caller's invoices. */
export const createInvoiceHandler = defineFunction('invoice', {
  caps: { schema: {}, run: async (_in, _ctx, deps) => deps.config.invoice.caps },
  // group (issue 8): the top-ups of one group of my cards ('' = cards without a group)
  listUninvoiced: { schema: { ...PAGE, group: optional(str({ max: 40 })) }, run: (input, ctx, deps) => listUninvoiced(deps, ctx.openid, input) },
  request: {
    schema: {
      orderIds,
      titleId: ID,
      email: nullableEmail,
      kind,
      clientToken: CLIENT_TOKEN,
    },
    run: async (input, ctx, deps) => {
      const requested = await requestInvoice(deps, ctx.openid, input)
      // Like a real provider, issuing is asynchronous: wait a little inline so most people see
      // the result at once; what is not done by then the worker finishes.
      const inv = await advanceInvoice(deps, requested.id, deps.config.invoice.inlineWaitMs).catch((e) => {
        deps.log.error('inline issue failed; the worker will continue', { invoice: requested.id, error: e instanceof Error ? e.message : String(e) })
        return requested
      })
      return { invoice: await toDetail(deps, inv) }
    },
  },
  list: {
    schema: {
      ...PAGE,
      status,
      month: optional(str({ max: 7 })),
      cardNo: optional(str({ max: 20, pattern: /^\d+$/ })),
      // issue 8: one of my titles, a group of my cards ('' = cards without a group)
      titleId: optional(ID),
      group: optional(str({ max: 40 })),
    },
    run: (input, ctx, deps) => listInvoices(deps, ctx.openid, input),
  },
  get: {
    schema: { invoiceId: ID },
    run: async (input, ctx, deps) => ({ invoice: await toDetail(deps, await ownedInvoice(deps, ctx.openid, input.invoiceId)) }),
  },
  files: { schema: { invoiceId: ID }, run: (input, ctx, deps) => invoiceFiles(deps, ctx.openid, input.invoiceId) },
  resend: { schema: { invoiceId: ID, email: nullableEmail }, run: (input, ctx, deps) => resendInvoice(deps, ctx.openid, input.invoiceId, input.email) },
  correctionOptions: {
    schema: { invoiceId: ID },
    run: async (input, ctx, deps) => correctionEligibility(deps, await ownedInvoice(deps, ctx.openid, input.invoiceId)),
  },
  correct: {
    schema: { invoiceId: ID, titleId: ID, buyerBooked: bool, email: nullableEmail, clientToken: CLIENT_TOKEN },
    run: async (input, ctx, deps) => {
      // The person's own title, checked like everywhere; the invoice must be theirs too (service).
      await ownedInvoice(deps, ctx.openid, input.invoiceId)
      const t = await ownedTitle(deps, ctx.openid, input.titleId)
      const requested = await requestCorrection(deps, {
        openid: ctx.openid,
        invoiceId: input.invoiceId,
        newTitle: { kind: t.kind, name: t.name, taxId: t.taxId, address: t.address, phone: t.phone, bankName: t.bankName, bankAccount: t.bankAccount },
        email: input.email ?? null,
        buyerBooked: input.buyerBooked ?? false,
        clientToken: input.clientToken,
        by: 'user',
      })
      // Like invoice.request: go as far as possible inline; the worker finishes the rest.
      const correction = await advanceCorrection(deps, requested.id, deps.config.invoice.inlineWaitMs).catch(async (e) => {
        deps.log.error('inline correction failed; the worker will continue', { correction: requested.id, error: e instanceof Error ? e.message : String(e) })
        return getCorrectionView(deps, requested.id).catch(() => requested)
      })
      return { correction }
    },
  },
  getCorrection: {
    schema: { correctionId: ID },
    run: async (input, ctx, deps) => {
      const owned = await ownedCorrection(deps, ctx.openid, input.correctionId)
      if (isTerminalCorrection(owned.status)) return { correction: toCorrectionView(owned) }
      // The person is watching: look at the provider now (a buyer's confirmation shows at once
      // instead of at the worker's next check); what cannot finish now the worker continues.
      const correction = await advanceCorrection(deps, owned.id).catch((e) => {
        deps.log.error('correction advance on read failed; the worker continues', { correction: owned.id, error: e instanceof Error ? e.message : String(e) })
        return toCorrectionView(owned)
      })
      return { correction }
    },
  },
  forOrder: {
    schema: { orderId: str({ min: 1, max: 32 }) },
    run: async (input, ctx, deps) => ({ invoice: await invoiceForOrder(deps, ctx.openid, input.orderId) }),
  },
})
