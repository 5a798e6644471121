import crypto from 'node:crypto'
import type { CorrectionEligibility, CorrectionStatus, CorrectionView } from '../../../types/aftersales'
import type { TitleSnapshot } from '../../../types/domain'
import {
  buyerMustConfirm,
  checkTitleChanged,
  CORRECTION_FAILURES,
  correctionFromStatesOf,
  correctionVerdict,
  isTerminalCorrection,
  RED_REASON,
  sameTitle,
} from '../domain/correction'
import { DomainError } from '../domain/errors'
import { parseEmail } from '../domain/invoice'
import { maskTaxId } from '../domain/tax-id'
import { auditTarget } from '../domain/staff'
import type { CorrectionPatch, StoredCorrection } from '../ports/correction.repo'
import { DuplicateKeyError } from '../ports/errors'
import type { StoredInvoice } from '../ports/invoice.repo'
import type { RedConfirmationStatus } from '../ports/provider.port'
import type { Deps } from '../runtime/deps'
import { auditUserAction } from './audit.service'
import { newInvoiceRecord } from './invoice-record'
import { advanceInvoice, ownedInvoice } from './invoice.service'
import { notifyAfterSales } from './notify.service'

/** How often the worker asks the provider about a form the buyer must confirm. */
const BUYER_CHECK_MS = 10 * 60_000
/**
 * A form still "pending" this long after its 72 h deadline is lapsed by the tax platform
 * whatever a slow provider reports: we record it lapsed so the person is not left waiting.
 */
const LAPSE_GRACE_MS = 24 * 3600_000
/** A chain is short (the limit is configuration, default 1); this only stops a corrupt loop. */
const MAX_CHAIN = 50

/** The red invoice and the new blue one of a correction have ids derived from it: a retry finds them. */
export const redInvoiceIdOf = (correctionId: string) => `${correctionId}-R`
export const newInvoiceIdOf = (correctionId: string) => `${correctionId}-N`

export function toCorrectionView(c: StoredCorrection): CorrectionView {
  return {
    id: c.id,
    invoiceId: c.invoiceId,
    status: c.status,
    reasonLabel: RED_REASON.label,
    oldTitle: c.oldTitle,
    newTitle: c.newTitle,
    email: c.email,
    buyerBooked: c.buyerBooked,
    confirmationNo: c.confirmationNo,
    confirmDeadline: c.status === 'awaiting_buyer' ? c.confirmDeadline : null,
    redInvoiceId: c.redInvoiceId,
    newInvoiceId: c.newInvoiceId,
    failure: c.failure,
    by: c.by,
    requestedAt: c.requestedAt,
    updatedAt: c.updatedAt,
  }
}

export async function getCorrectionView(deps: Deps, correctionId: string): Promise<CorrectionView> {
  const c = await deps.corrections.findById(correctionId)
  if (!c) throw new DomainError('CORRECTION.NOT_FOUND', '找不到该换开申请')
  return toCorrectionView(c)
}

/** The caller's own correction; another person's reads as absent. */
export async function ownedCorrection(deps: Deps, openid: string, correctionId: string): Promise<StoredCorrection> {
  const c = await deps.corrections.findById(correctionId)
  if (!c || c.openid !== openid) throw new DomainError('CORRECTION.NOT_FOUND', '找不到该换开申请')
  return c
}

export async function listCorrections(deps: Deps, filter: { statuses: CorrectionStatus[]; limit: number }): Promise<CorrectionView[]> {
  return (await deps.corrections.listByStatus(filter.statuses, filter.limit)).map(toCorrectionView)
}

/** The issue date of the chain's FIRST blue invoice: a new blue one does not restart the window. */
async function originalIssuedAt(deps: Deps, inv: StoredInvoice): Promise<string | null> {
  let cur = inv
  for (let i = 0; i < MAX_CHAIN && cur.originalId; i++) {
    const prev = await deps.invoices.findById(cur.originalId)
    if (!prev) break
    cur = prev
  }
  return cur.issuedAt
}

const limitsOf = (deps: Deps) => ({
  maxPerInvoice: deps.config.afterSales.correctionMaxPerInvoice,
  windowDays: deps.config.afterSales.correctionWindowDays,
})

export async function correctionEligibility(deps: Deps, inv: StoredInvoice): Promise<CorrectionEligibility> {
  const active = inv.color === 'blue' ? await deps.corrections.findActive(inv.id) : null
  const v = correctionVerdict(inv, await originalIssuedAt(deps, inv), limitsOf(deps), deps.clock.now())
  if (active) {
    return {
      allowed: false,
      reason: '该发票正在换开中，请等待处理结果',
      routeToApplication: false,
      remaining: v.remaining,
      windowEndsAt: v.windowEndsAt,
      active: toCorrectionView(active),
    }
  }
  return { allowed: v.allowed, reason: v.reason, routeToApplication: v.routeToApplication, remaining: v.remaining, windowEndsAt: v.windowEndsAt, active: null }
}

export interface CorrectionRequest {
  /** the invoice owner (staff pass the owner's openid) */
  openid: string
  invoiceId: string
  /** the corrected title, already validated (parseTitle / ownedTitle) */
  newTitle: TitleSnapshot
  /** where the red and the new invoice go; null: the original invoice's address */
  email: string | null
  /** an enterprise buyer that already booked the invoice must confirm the red-letter form */
  buyerBooked: boolean
  clientToken: string
  by: 'user' | 'staff'
  /** staff: no self-service count or window */
  skipLimits?: boolean
}

function sameCorrection(existing: StoredCorrection, input: CorrectionRequest): CorrectionView {
  if (existing.invoiceId !== input.invoiceId || !sameTitle(existing.newTitle, input.newTitle)) {
    throw new DomainError('CORRECTION.CLIENT_TOKEN_REUSED', '请求已过期，请重新确认换开')
  }
  return toCorrectionView(existing)
}

/** A second request while one is in progress: the same request (a tap with a fresh token) gets it. */
function activeOrRefuse(active: StoredCorrection, input: CorrectionRequest): CorrectionView {
  if (active.openid === input.openid && sameTitle(active.newTitle, input.newTitle)) return toCorrectionView(active)
  throw new DomainError('CORRECTION.IN_PROGRESS', '该发票正在换开中，请等待处理结果后再试')
}

/**
 * 换开, step 0: records the correction. Exactly once: the same clientToken finds the first
 * correction; a unique `activeKey` (the blue invoice id while active) lets only one correction
 * per invoice be in progress, so racing requests end with one chain. Nothing is issued here:
 * advanceCorrection does the rest.
 */
export async function requestCorrection(deps: Deps, input: CorrectionRequest): Promise<CorrectionView> {
  const byToken = await deps.corrections.findByClientToken(input.openid, input.clientToken)
  if (byToken) return sameCorrection(byToken, input)
  const inv = await ownedInvoice(deps, input.openid, input.invoiceId)
  if (inv.color === 'blue') {
    const active = await deps.corrections.findActive(inv.id)
    if (active) return activeOrRefuse(active, input)
    if (inv.reversedById) {
      // A late twin of the request that already completed (a tap that arrived after the chain
      // was done): the same answer, not an error.
      const done = (await deps.corrections.listForInvoice(inv.id)).find(
        (c) => c.status === 'done' && c.openid === input.openid && sameTitle(c.newTitle, input.newTitle),
      )
      if (done) return toCorrectionView(done)
    }
  }
  const v = correctionVerdict(inv, await originalIssuedAt(deps, inv), limitsOf(deps), deps.clock.now())
  if (!v.allowed && (v.code === 'CORRECTION.NOT_ALLOWED' || !input.skipLimits)) throw new DomainError(v.code!, v.reason!)
  checkTitleChanged(inv.title, input.newTitle)
  const email = input.email ? parseEmail(input.email) : inv.email
  const now = deps.clock.now().toISOString()
  const c: StoredCorrection = {
    id: `COR${Date.parse(now).toString(36).toUpperCase()}${crypto.randomBytes(4).toString('hex').toUpperCase()}`,
    openid: input.openid,
    invoiceId: inv.id,
    clientToken: input.clientToken,
    status: 'requested',
    activeKey: inv.id,
    reasonCode: RED_REASON.code,
    oldTitle: inv.title,
    newTitle: input.newTitle,
    email,
    buyerBooked: input.buyerBooked,
    by: input.by,
    confirmationNo: null,
    confirmDeadline: null,
    redInvoiceId: null,
    newInvoiceId: null,
    failure: null,
    nextCheckAt: null,
    requestedAt: now,
    updatedAt: now,
  }
  try {
    await deps.corrections.create(c)
  } catch (e) {
    if (!(e instanceof DuplicateKeyError)) throw e
    if (e.key === 'clientToken') {
      const twin = await deps.corrections.findByClientToken(input.openid, input.clientToken)
      if (twin) return sameCorrection(twin, input)
    }
    const active = await deps.corrections.findActive(inv.id)
    if (active) return activeOrRefuse(active, input)
    throw new DomainError('CORRECTION.IN_PROGRESS', '该发票正在换开中，请稍后刷新查看')
  }
  await deps.invoices.addEvent(inv.id, 'correction_requested', now, c.id)
  deps.log.info('correction requested', {
    correction: c.id,
    invoice: inv.id,
    by: c.by,
    buyerBooked: c.buyerBooked,
    oldTaxId: maskTaxId(c.oldTitle.taxId),
    newTaxId: maskTaxId(c.newTitle.taxId),
  })
  // staff requests are audited by the staff action itself (staff.service correct)
  if (c.by === 'user')
    await auditUserAction(deps, c.openid, { action: 'correction.request', target: auditTarget('invoice', inv.id), before: inv.title, after: c })
  return toCorrectionView(c)
}

/** moved: look again at once; waiting: on the provider, worth a short wait; parked: on the buyer (hours), return */
type Step = 'moved' | 'waiting' | 'parked'

/**
 * Moves a correction forward as far as it can now (waiting up to waitMs for the provider), from
 * the request, the invoice worker, or staff. Safe to run concurrently and after a crash at any
 * point: the provider's confirmation is idempotent by our correction id, the red and the new
 * invoice have derived ids, step 3 is one atomic, idempotent write, and every status change is
 * a conditional update whose single winner writes the history line and sends the notice.
 */
export async function advanceCorrection(deps: Deps, correctionId: string, waitMs = 0): Promise<CorrectionView> {
  const deadline = Date.now() + waitMs
  for (;;) {
    const c = await deps.corrections.findById(correctionId)
    if (!c) throw new DomainError('CORRECTION.NOT_FOUND', '找不到该换开申请')
    if (isTerminalCorrection(c.status)) return toCorrectionView(c)
    const step = await stepOnce(deps, c, Math.max(deadline - Date.now(), 0))
    if (step === 'moved') continue
    if (step === 'parked' || Date.now() >= deadline) return toCorrectionView((await deps.corrections.findById(correctionId)) ?? c)
    await new Promise((r) => setTimeout(r, Math.min(250, Math.max(deadline - Date.now(), 0))))
  }
}

async function blueOf(deps: Deps, c: StoredCorrection): Promise<StoredInvoice> {
  const blue = await deps.invoices.findById(c.invoiceId)
  if (!blue) throw new Error(`correction ${c.id}: invoice ${c.invoiceId} missing`)
  return blue
}

async function stepOnce(deps: Deps, c: StoredCorrection, waitMs: number): Promise<Step> {
  switch (c.status) {
    case 'requested':
      return onConfirmation(deps, c, await applyConfirmation(deps, c))
    case 'awaiting_buyer': {
      let answer = await deps.provider.queryRedConfirmation(c.id)
      // Our record says applied but the provider has nothing: apply again under the same number.
      if (answer.state === 'not_found') answer = await applyConfirmation(deps, c)
      if (answer.state === 'pending_buyer') {
        const now = deps.clock.now()
        if (now.getTime() > Date.parse(answer.deadline) + LAPSE_GRACE_MS) {
          deps.log.warn('red-letter form past its deadline still pending at the provider: recorded as lapsed', { correction: c.id })
          return onConfirmation(deps, c, { state: 'lapsed', confirmationNo: answer.confirmationNo })
        }
        await deps.corrections.update(c.id, ['awaiting_buyer'], {
          nextCheckAt: new Date(now.getTime() + BUYER_CHECK_MS).toISOString(),
          confirmDeadline: answer.deadline,
        })
        return 'parked'
      }
      return onConfirmation(deps, c, answer)
    }
    case 'red_issuing':
      return redStep(deps, c, waitMs)
    case 'reissuing':
      return reissueStep(deps, c, waitMs)
    default:
      return 'waiting'
  }
}

/** 红字确认单 for a full reversal, reason 开票有误; idempotent at the provider by our correction id. */
async function applyConfirmation(deps: Deps, c: StoredCorrection): Promise<RedConfirmationStatus> {
  const blue = await blueOf(deps, c)
  return deps.provider.applyRedConfirmation({
    requestNo: c.id,
    blueInvoiceNo: blue.invoiceNo!,
    blueIssuedAt: blue.issuedAt!,
    reasonCode: RED_REASON.code,
    amountFen: blue.amountFen,
    buyer: { name: c.oldTitle.name, taxId: c.oldTitle.taxId },
    buyerMustConfirm: buyerMustConfirm(c.oldTitle, c.buyerBooked),
  })
}

async function onConfirmation(deps: Deps, c: StoredCorrection, answer: RedConfirmationStatus): Promise<Step> {
  const now = deps.clock.now().toISOString()
  switch (answer.state) {
    case 'confirmed': {
      const moved = await deps.corrections.update(c.id, correctionFromStatesOf('red_issuing'), {
        status: 'red_issuing',
        confirmationNo: answer.confirmationNo,
        redInvoiceId: redInvoiceIdOf(c.id),
        nextCheckAt: null,
        updatedAt: now,
      })
      if (moved) await deps.invoices.addEvent(c.invoiceId, 'red_confirmed', now, answer.confirmationNo)
      return 'moved'
    }
    case 'pending_buyer': {
      const moved = await deps.corrections.update(c.id, ['requested'], {
        status: 'awaiting_buyer',
        confirmationNo: answer.confirmationNo,
        confirmDeadline: answer.deadline,
        nextCheckAt: new Date(Date.parse(now) + BUYER_CHECK_MS).toISOString(),
        updatedAt: now,
      })
      if (moved) {
        await deps.invoices.addEvent(c.invoiceId, 'red_confirmation_pending', now, answer.confirmationNo)
        await notifyAfterSales(deps, {
          openid: c.openid,
          kind: 'correction',
          id: c.id,
          statusLabel: '待确认',
          text: '发票已入账，需购买方在电子税务局确认红字发票信息确认单（72 小时内）',
          page: `pages/invoice-detail/index?id=${c.invoiceId}`,
        })
      }
      return 'parked'
    }
    case 'refused':
    case 'lapsed': {
      const status = answer.state
      const moved = await deps.corrections.update(c.id, correctionFromStatesOf(status), {
        status,
        failure: CORRECTION_FAILURES[status],
        confirmationNo: answer.confirmationNo,
        // ended: the invoice is free for another correction
        activeKey: c.id,
        nextCheckAt: null,
        updatedAt: now,
      })
      if (moved) {
        await deps.invoices.addEvent(c.invoiceId, status === 'refused' ? 'correction_refused' : 'correction_lapsed', now, answer.confirmationNo)
        deps.log.info('correction ended without change', { correction: c.id, status })
        await notifyAfterSales(deps, {
          openid: c.openid,
          kind: 'correction',
          id: c.id,
          statusLabel: status === 'refused' ? '已拒绝' : '已失效',
          text: CORRECTION_FAILURES[status],
          page: `pages/invoice-detail/index?id=${c.invoiceId}`,
        })
      }
      return 'moved'
    }
    case 'not_found':
      throw new Error(`correction ${c.id}: the provider has no red-letter form after apply`)
  }
}

/** The red invoice record: the blue one's buyer, lines and amount, claiming no order. */
async function ensureRedInvoice(deps: Deps, c: StoredCorrection, blue: StoredInvoice): Promise<StoredInvoice> {
  const id = redInvoiceIdOf(c.id)
  const found = await deps.invoices.findById(id)
  if (found) return found
  const red = newInvoiceRecord({
    id,
    openid: c.openid,
    clientToken: `correction-${c.id}-red`,
    source: 'correction',
    title: blue.title,
    email: c.email,
    amountFen: blue.amountFen,
    orderIds: blue.orderIds,
    cards: blue.cards,
    requestedAt: deps.clock.now().toISOString(),
    color: 'red',
    originalId: blue.id,
    correctionId: c.id,
    correctionCount: blue.correctionCount,
    confirmationNo: c.confirmationNo,
  })
  try {
    await deps.invoices.create(red, [])
  } catch (e) {
    if (!(e instanceof DuplicateKeyError)) throw e // else a concurrent advance made it
  }
  return (await deps.invoices.findById(id))!
}

/** Steps 2 and 3: the red invoice issued, then in one atomic step the blue reversed and replaced. */
async function redStep(deps: Deps, c: StoredCorrection, waitMs: number): Promise<Step> {
  const blue = await blueOf(deps, c)
  const newId = newInvoiceIdOf(c.id)
  if (!blue.reversedById) {
    const red = await ensureRedInvoice(deps, c, blue)
    const issued = await advanceInvoice(deps, red.id, waitMs)
    if (issued.status !== 'issued') return 'waiting'
    const at = deps.clock.now().toISOString()
    const replacement = newInvoiceRecord({
      id: newId,
      openid: c.openid,
      clientToken: `correction-${c.id}-new`,
      source: 'correction',
      title: c.newTitle,
      email: c.email,
      amountFen: blue.amountFen,
      orderIds: blue.orderIds,
      cards: blue.cards,
      requestedAt: at,
      originalId: blue.id,
      correctionId: c.id,
      correctionCount: blue.correctionCount + 1,
    })
    await deps.invoices.replace({ oldId: blue.id, redId: red.id, replacement, correctionId: c.id, at })
    deps.log.info('invoice reversed and replaced', { correction: c.id, invoice: blue.id, red: red.id, replacement: newId })
  } else if (blue.reversedById !== redInvoiceIdOf(c.id)) {
    throw new Error(`correction ${c.id}: invoice ${blue.id} was reversed by another correction`)
  }
  await deps.corrections.update(c.id, ['red_issuing'], { status: 'reissuing', newInvoiceId: newId, updatedAt: deps.clock.now().toISOString() })
  return 'moved'
}

/** Step 4: the new blue invoice issued through the normal pipeline; then the chain is done. */
async function reissueStep(deps: Deps, c: StoredCorrection, waitMs: number): Promise<Step> {
  const issued = await advanceInvoice(deps, c.newInvoiceId ?? newInvoiceIdOf(c.id), waitMs)
  if (issued.status !== 'issued') return 'waiting'
  const now = deps.clock.now().toISOString()
  const patch: CorrectionPatch = { status: 'done', activeKey: c.id, nextCheckAt: null, updatedAt: now }
  if (await deps.corrections.update(c.id, ['reissuing'], patch)) {
    deps.log.info('correction done', { correction: c.id, invoice: c.invoiceId, replacement: issued.id })
    await notifyAfterSales(deps, {
      openid: c.openid,
      kind: 'correction',
      id: c.id,
      statusLabel: '已完成',
      text: `发票已换开：原发票已红冲，新发票号码 ${issued.invoiceNo}`,
      page: `pages/invoice-detail/index?id=${issued.id}`,
    })
  }
  return 'moved'
}
