import crypto from 'node:crypto'
import type { Page } from '../../../types/api'
import type { ApplicationInput, ApplicationStatus, ApplicationView, OffPlatformTopup, StaffRole, TimelineEntry } from '../../../types/aftersales'
import {
  APPLICATION_OPEN,
  APPLICATION_STATUS_LABELS,
  APPLICATION_TYPES,
  CHANNEL_LABELS,
  checkApplicationShape,
  fromStatesOf,
  maskPhone,
  offPlatformOrderId,
  offPlatformPaidAt,
  parseContactPhone,
  parseNote,
  parseOffPlatform,
  parseReason,
} from '../domain/application'
import { maskCardNo } from '../domain/card'
import { DomainError } from '../domain/errors'
import { parseEmail } from '../domain/invoice'
import { DuplicateKeyError } from '../ports/errors'
import type { CreatedCursor, StoredApplication } from '../ports/aftersales.repo'
import type { StoredInvoice } from '../ports/invoice.repo'
import type { StoredOrder } from '../ports/order.repo'
import type { Deps } from '../runtime/deps'
import { advanceCorrection, requestCorrection } from './correction.service'
import { advanceInvoice, requestInvoiceForApplication } from './invoice.service'
import { deliverDueNotices, notifyAfterSales } from './notify.service'
import { ownedTitle } from './profile.service'
import { checkPhotos } from './upload.service'

/** Who acts on the staff side (the staff function resolves and authorises it). */
export interface StaffActor {
  name: string
  role: StaffRole
}

// ---------------------------------------------------------------------------------------
// Paging shared by the after-sales listings: newest first, keyset (createdAt, id)

export const PAGE_DEFAULT = 20

export function encodeCursor(c: CreatedCursor): string {
  return Buffer.from(`${c.createdAt}|${c.id}`).toString('base64url')
}

export function decodeCursor(cursor: string | undefined): CreatedCursor | undefined {
  if (!cursor) return undefined
  const [createdAt, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (extra !== undefined || !id || Number.isNaN(Date.parse(createdAt))) throw new DomainError('COMMON.BAD_REQUEST', '分页参数不正确，请刷新列表')
  return { createdAt, id }
}

export async function pageOf<S extends { createdAt: string; id: string }, V>(
  load: (page: { limit: number; cursor?: CreatedCursor }) => Promise<S[]>,
  view: (s: S) => V,
  input: { cursor?: string; limit?: number },
): Promise<Page<V>> {
  const limit = input.limit ?? PAGE_DEFAULT
  const rows = await load({ limit: limit + 1, cursor: decodeCursor(input.cursor) })
  const shown = rows.slice(0, limit)
  const last = shown[shown.length - 1]
  return { items: shown.map(view), nextCursor: rows.length > limit ? encodeCursor(last) : null }
}

export const newRecordId = (prefix: string, now: Date, deps: Deps) =>
  `${prefix}${now.getTime().toString(36).toUpperCase()}${Buffer.from(deps.random.bytes(5)).toString('hex').toUpperCase()}`

// ---------------------------------------------------------------------------------------
// Views

const TIMELINE_TEXT: Record<ApplicationStatus, string> = {
  submitted: '申请已提交，等待客服审核',
  in_review: '客服正在审核您的申请',
  approved: '审核通过，正在为您开具发票',
  done: '发票已开具，可在「已开票」中查看和下载',
  rejected: '申请未通过',
  withdrawn: '您已撤回申请',
}

export function toApplicationView(a: StoredApplication): ApplicationView {
  const recorded = a.approvedOffPlatform.length > 0
  return {
    id: a.id,
    type: a.type,
    status: a.status,
    title: a.title,
    email: a.email,
    orderIds: a.orderIds,
    invoiceId: a.invoiceId,
    // once staff recorded the off-platform top-ups, those are what the invoice lists
    offPlatform: recorded ? a.approvedOffPlatform : a.offPlatform,
    note: a.note,
    photos: a.photoFileIds.map((fileId) => ({ fileId })),
    contactPhoneMasked: maskPhone(a.contactPhone),
    rejectReason: a.rejectReason,
    resultInvoiceId: a.resultInvoiceIds[0] ?? null,
    timeline: a.timeline,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  }
}

async function ownedApplication(deps: Deps, openid: string, id: string): Promise<StoredApplication> {
  const a = await deps.applications.findById(id)
  if (!a || a.openid !== openid) throw new DomainError('APPLICATION.NOT_FOUND', '找不到该申请')
  return a
}

async function loadApplication(deps: Deps, id: string): Promise<StoredApplication> {
  const a = await deps.applications.findById(id)
  if (!a) throw new DomainError('APPLICATION.NOT_FOUND', '找不到该申请')
  return a
}

const entry = (deps: Deps, status: string, text: string, by: TimelineEntry['by']): TimelineEntry => ({
  at: deps.clock.now().toISOString(),
  status,
  text,
  by,
})

/**
 * Moves an application to `to`, conditional on its status and revision. A lost race re-reads:
 * when the record only changed in a way that still allows the move (another field written),
 * it tries again; otherwise the caller learns the application is no longer in a state for it.
 */
async function transition(
  deps: Deps,
  a: StoredApplication,
  to: ApplicationStatus,
  patch: Partial<StoredApplication>,
  e: TimelineEntry,
): Promise<StoredApplication> {
  let cur = a
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!fromStatesOf(to).includes(cur.status)) break
    const updatedAt = deps.clock.now().toISOString()
    if (await deps.applications.update(cur.id, { from: [cur.status], rev: cur.rev }, { ...patch, status: to, updatedAt }, e)) {
      return (await deps.applications.findById(cur.id))!
    }
    cur = await loadApplication(deps, cur.id)
  }
  throw new DomainError('APPLICATION.BAD_STATE', `申请当前状态为「${APPLICATION_STATUS_LABELS[cur.status]}」，无法进行此操作`)
}

function notifyApplication(deps: Deps, a: StoredApplication, text: string): Promise<void> {
  return notifyAfterSales(deps, {
    openid: a.openid,
    kind: 'application',
    id: a.id,
    statusLabel: APPLICATION_STATUS_LABELS[a.status],
    text,
    page: `pages/application-detail/index?id=${a.id}`,
    key: `application:${a.id}:${a.status}`,
  })
}

// ---------------------------------------------------------------------------------------
// The person

/**
 * Files an application (补开, or 换开 beyond the self-service limits). Everything is checked
 * before the one write; idempotent per clientToken (a unique key): a retry returns the record
 * made the first time, the same token with other content is refused.
 */
export async function applyForInvoice(deps: Deps, openid: string, input: ApplicationInput): Promise<StoredApplication> {
  if (!APPLICATION_TYPES.includes(input.type)) throw new DomainError('APPLICATION.INVALID', '请选择申请类型')
  const existing = await deps.applications.findByClientToken(openid, input.clientToken)
  if (existing) return sameApplication(existing, input)

  const now = deps.clock.now()
  const orderIds = input.orderIds ?? []
  const offPlatform = parseOffPlatform(input.offPlatform, now, deps.config.topup)
  const invoiceId = input.invoiceId ?? null
  checkApplicationShape(input.type, { orderIds, offPlatform, invoiceId })
  const contactPhone = parseContactPhone(input.contactPhone)
  const note = parseNote(input.note)
  const title = await ownedTitle(deps, openid, input.titleId)
  const settings = await deps.settings.get(openid)
  const rawEmail = input.email === undefined ? settings.defaultEmail : input.email
  const email = rawEmail ? parseEmail(rawEmail) : null

  if (orderIds.length) await checkOwnUninvoicedOrders(deps, openid, orderIds, { outsideWindow: true })
  if (invoiceId) await checkCorrectable(deps, openid, invoiceId)

  const open = await deps.applications.listByOwner(openid, { limit: 100 })
  const active = open.filter((a) => APPLICATION_OPEN.includes(a.status))
  if (active.length >= deps.config.afterSales.maxOpenApplications) {
    throw new DomainError('APPLICATION.LIMIT_REACHED', `您有 ${active.length} 个申请正在处理中，请等处理完成后再提交`)
  }
  const taken = new Set(active.flatMap((a) => [...a.orderIds, ...(a.invoiceId ? [a.invoiceId] : [])]))
  if ([...orderIds, ...(invoiceId ? [invoiceId] : [])].some((id) => taken.has(id))) {
    throw new DomainError('APPLICATION.INVALID', '所选订单或发票已有申请在处理中，可在「我的申请」中查看')
  }
  const photoFileIds = await checkPhotos(deps, openid, input.photoFileIds)

  const at = now.toISOString()
  const app: StoredApplication = {
    id: newRecordId('APP', now, deps),
    openid,
    clientToken: input.clientToken,
    type: input.type,
    status: 'submitted',
    titleId: title.id,
    title: {
      kind: title.kind,
      name: title.name,
      taxId: title.taxId,
      address: title.address,
      phone: title.phone,
      bankName: title.bankName,
      bankAccount: title.bankAccount,
    },
    email,
    orderIds,
    invoiceId,
    offPlatform,
    note,
    photoFileIds,
    contactPhone,
    rejectReason: null,
    approvedOrderIds: [],
    approvedOffPlatform: [],
    resultInvoiceIds: [],
    correctionId: null,
    decidedBy: null,
    timeline: [{ at, status: 'submitted', text: TIMELINE_TEXT.submitted, by: 'user' }],
    rev: 0,
    createdAt: at,
    updatedAt: at,
  }
  try {
    await deps.applications.insert(app)
  } catch (e) {
    if (!(e instanceof DuplicateKeyError)) throw e
    const twin = await deps.applications.findByClientToken(openid, input.clientToken)
    if (twin) return sameApplication(twin, input)
    throw e
  }
  deps.log.info('application submitted', {
    application: app.id,
    type: app.type,
    orders: orderIds.length,
    offPlatform: offPlatform.length,
    phone: maskPhone(contactPhone),
  })
  return app
}

function sameApplication(existing: StoredApplication, input: ApplicationInput): StoredApplication {
  const key = (type: string, orderIds: string[] | undefined, invoiceId: string | null | undefined) =>
    `${type}|${[...(orderIds ?? [])].sort().join(',')}|${invoiceId ?? ''}`
  if (key(existing.type, existing.orderIds, existing.invoiceId) !== key(input.type, input.orderIds, input.invoiceId)) {
    throw new DomainError('APPLICATION.CLIENT_TOKEN_REUSED', '请求已过期，请重新提交申请')
  }
  return existing
}

/**
 * Our orders named in an application: the person's own, paid, with no live invoice. For the
 * person (outsideWindow) an order still inside the request window is refused with the way on
 * (待开票 issues it at once); staff may link any such order.
 */
async function checkOwnUninvoicedOrders(deps: Deps, openid: string, orderIds: string[], opts: { outsideWindow: boolean }): Promise<StoredOrder[]> {
  if (orderIds.length > 100) throw new DomainError('APPLICATION.INVALID', '所选订单过多')
  if (new Set(orderIds).size !== orderIds.length) throw new DomainError('APPLICATION.INVALID', '订单重复选择')
  const orders = await deps.orders.findByIds(orderIds)
  const byId = new Map(orders.map((o) => [o.id, o]))
  const windowStart = deps.clock.now().getTime() - deps.config.invoice.caps.windowDays * 86400_000
  return orderIds.map((id) => {
    const o = byId.get(id)
    if (!o || o.openid !== openid) throw new DomainError('INVOICE.ORDER_NOT_FOUND', '找不到所选的充值订单，请刷新后重试')
    if (o.status !== 'paid' || !o.paidAt) throw new DomainError('INVOICE.ORDER_NOT_PAID', '只有已支付的充值才能开票')
    if (o.invoiceId) throw new DomainError('INVOICE.ORDER_ALREADY_INVOICED', '所选订单已开过发票，可在「已开票」中查看')
    if (opts.outsideWindow && Date.parse(o.paidAt) >= windowStart) {
      throw new DomainError('APPLICATION.INVALID', '所选充值仍可直接开票，请在「待开票」中申请，无需审核')
    }
    return o
  })
}

/** 换开 by application: the person's own issued blue invoice, not reversed. */
async function checkCorrectable(deps: Deps, openid: string, invoiceId: string): Promise<StoredInvoice> {
  const inv = await deps.invoices.findById(invoiceId)
  if (!inv || inv.openid !== openid) throw new DomainError('INVOICE.NOT_FOUND', '找不到该发票')
  if (inv.color === 'red') throw new DomainError('APPLICATION.INVALID', '红字发票不能换开')
  if (inv.status !== 'issued') throw new DomainError('INVOICE.NOT_ISSUED', '发票尚未开具完成')
  if (inv.reversedById) throw new DomainError('APPLICATION.INVALID', '该发票已红冲，请对新开具的发票申请')
  return inv
}

export async function listApplications(deps: Deps, openid: string, input: { cursor?: string; limit?: number }): Promise<Page<ApplicationView>> {
  return pageOf((page) => deps.applications.listByOwner(openid, page), toApplicationView, input)
}

export async function getApplication(deps: Deps, openid: string, id: string): Promise<StoredApplication> {
  return ownedApplication(deps, openid, id)
}

/** The person withdraws it, only while it is submitted or in review. */
export async function withdrawApplication(deps: Deps, openid: string, id: string): Promise<StoredApplication> {
  const a = await ownedApplication(deps, openid, id)
  if (a.status === 'withdrawn') return a
  const moved = await transition(deps, a, 'withdrawn', {}, entry(deps, 'withdrawn', TIMELINE_TEXT.withdrawn, 'user'))
  deps.log.info('application withdrawn', { application: a.id })
  return moved
}

// ---------------------------------------------------------------------------------------
// Staff (the staff function authorises the actor and writes the audit record)

export async function listApplicationsByStatus(deps: Deps, statuses: readonly ApplicationStatus[], limit: number): Promise<StoredApplication[]> {
  return deps.applications.listByStatus(statuses, limit)
}

export async function startReview(deps: Deps, actor: StaffActor, id: string): Promise<StoredApplication> {
  const a = await loadApplication(deps, id)
  if (a.status === 'in_review') return a
  const moved = await transition(deps, a, 'in_review', {}, entry(deps, 'in_review', TIMELINE_TEXT.in_review, 'staff'))
  deps.log.info('application review started', { application: a.id, by: actor.name })
  await notifyApplication(deps, moved, '客服已开始审核您的申请')
  return moved
}

export async function rejectApplication(deps: Deps, actor: StaffActor, id: string, reasonRaw: string): Promise<StoredApplication> {
  const reason = parseReason(reasonRaw)
  const a = await loadApplication(deps, id)
  if (a.status === 'approved') throw new DomainError('APPLICATION.BAD_STATE', '申请已通过并在办理中，不能再驳回')
  const moved = await transition(
    deps,
    a,
    'rejected',
    { rejectReason: reason, decidedBy: actor.name },
    entry(deps, 'rejected', `申请未通过：${reason}`, 'staff'),
  )
  deps.log.info('application rejected', { application: a.id, by: actor.name })
  await notifyApplication(deps, moved, `未通过：${reason}`)
  return moved
}

export interface ApprovalInput {
  orderIds?: string[]
  offPlatform?: OffPlatformTopup[]
}

/**
 * Approves a 补开: staff link our orders (the person's named ones by default, or others of the
 * same person, paid and unclaimed) and/or record the off-platform top-ups (the person's by
 * default). The plan is written with the move to approved in one conditional update, then
 * carried out idempotently: each recorded top-up becomes a paid order under a derived id, and
 * ONE invoice (several when the caps split them) is requested through the normal exactly-once
 * pipeline under clientToken app-<id>. A retried approve carries out the same plan and issues
 * nothing new; the sweep finishes one that was cut short.
 */
export async function approveApplication(deps: Deps, actor: StaffActor, id: string, input: ApprovalInput = {}): Promise<StoredApplication> {
  let a = await loadApplication(deps, id)
  if (a.status === 'approved' || a.status === 'done') return carryOut(deps, a)
  if (a.status === 'submitted') a = await startReview(deps, actor, id)
  if (a.status !== 'in_review') {
    throw new DomainError('APPLICATION.BAD_STATE', `申请当前状态为「${APPLICATION_STATUS_LABELS[a.status]}」，无法审批`)
  }
  if (a.type === 'correction') return approveCorrection(deps, actor, a)

  const now = deps.clock.now()
  const ownIds = input.orderIds ?? (input.offPlatform ? [] : a.orderIds)
  const recorded = input.offPlatform !== undefined ? parseOffPlatform(input.offPlatform, now, deps.config.topup) : input.orderIds ? [] : a.offPlatform
  if (ownIds.length === 0 && recorded.length === 0) throw new DomainError('APPLICATION.INVALID', '请关联充值订单或登记其他渠道充值')
  await checkOwnUninvoicedOrders(deps, a.openid, ownIds, { outsideWindow: false })
  const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex')
  const approvedOrderIds = [...ownIds, ...recorded.map((_, i) => offPlatformOrderId(a.id, i, sha))]

  const approved = await transition(
    deps,
    a,
    'approved',
    { approvedOrderIds, approvedOffPlatform: recorded, decidedBy: actor.name },
    entry(deps, 'approved', TIMELINE_TEXT.approved, 'staff'),
  )
  deps.log.info('application approved', { application: a.id, by: actor.name, orders: ownIds.length, offPlatform: recorded.length })
  await notifyApplication(deps, approved, '审核通过，正在为您开具发票')
  return carryOut(deps, approved)
}

/**
 * 换开 beyond the limits: approval starts a correction on the person's behalf (no self-service
 * count or window), under clientToken app-<id> so a retried approval finds the same correction.
 * The application is done when the correction is (the sweep looks).
 */
async function approveCorrection(deps: Deps, actor: StaffActor, a: StoredApplication): Promise<StoredApplication> {
  const correction = await requestCorrection(deps, {
    openid: a.openid,
    invoiceId: a.invoiceId!,
    newTitle: a.title,
    email: a.email,
    buyerBooked: false,
    clientToken: `app-${a.id}`,
    by: 'staff',
    skipLimits: true,
  })
  const approved = await transition(
    deps,
    a,
    'approved',
    { correctionId: correction.id, decidedBy: actor.name },
    entry(deps, 'approved', '审核通过，正在为您红冲并重新开具发票', 'staff'),
  )
  deps.log.info('correction application approved', { application: a.id, correction: correction.id, by: actor.name })
  await notifyApplication(deps, approved, '审核通过，正在为您换开发票')
  await advanceCorrection(deps, correction.id).catch((e) =>
    deps.log.error('correction advance failed; the worker continues', {
      application: a.id,
      correction: correction.id,
      error: e instanceof Error ? e.message : String(e),
    }),
  )
  return completeApplication(deps, (await deps.applications.findById(a.id))!)
}

/**
 * Carries out an approved 补开's plan, idempotently: records the off-platform orders (derived
 * ids: a retry finds them), requests the invoice(s) (derived clientTokens: a retry finds them),
 * remembers them on the application and moves them forward best-effort. Then done if issued.
 */
export async function carryOut(deps: Deps, a: StoredApplication): Promise<StoredApplication> {
  if (a.status !== 'approved') return a
  if (a.type === 'correction') return completeApplication(deps, a)
  const ownCount = a.approvedOrderIds.length - a.approvedOffPlatform.length
  const cards = await deps.cards.listByOwner(a.openid)
  const now = deps.clock.now().toISOString()
  for (let i = 0; i < a.approvedOffPlatform.length; i++) {
    const t = a.approvedOffPlatform[i]
    const id = a.approvedOrderIds[ownCount + i]
    const card = cards.find((c) => c.cardNo === t.cardNo)
    const order: StoredOrder = {
      id,
      openid: a.openid,
      clientToken: `app-${a.id}-${i + 1}`,
      cardId: card?.id ?? 'offline',
      cardNo: t.cardNo,
      cardNickname: card?.nickname ?? `武汉通${t.cardNo.slice(-4)}`,
      amountFen: t.amountFen,
      status: 'paid',
      createdAt: now,
      expiresAt: now,
      paidAt: offPlatformPaidAt(t.date),
      closedAt: null,
      transactionId: null,
      invoiceId: null,
      autoInvoice: null,
    }
    const detail = `补开申请 ${a.id} 登记的${CHANNEL_LABELS[t.channel]}充值（${t.date}），审核人 ${a.decidedBy ?? '客服'}`
    const wrote = await deps.orders.createOffPlatform(order, `offline:${t.channel}`, detail)
    if (!wrote) {
      const twin = await deps.orders.findById(id)
      if (!twin || twin.openid !== a.openid || twin.amountFen !== t.amountFen || twin.cardNo !== t.cardNo) {
        throw new Error(`off-platform order ${id} of application ${a.id} differs from the plan`)
      }
    } else {
      deps.log.info('off-platform top-up recorded', { application: a.id, order: id, card: maskCardNo(t.cardNo), amountFen: t.amountFen })
    }
  }

  const invoices = await requestInvoiceForApplication(deps, {
    openid: a.openid,
    applicationId: a.id,
    orderIds: a.approvedOrderIds,
    title: a.title,
    email: a.email,
  })
  const ids = invoices.map((i) => i.id)
  let cur = a
  if (ids.join(',') !== a.resultInvoiceIds.join(',')) {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (cur.status !== 'approved') break
      if (await deps.applications.update(cur.id, { from: ['approved'], rev: cur.rev }, { resultInvoiceIds: ids, updatedAt: deps.clock.now().toISOString() }))
        break
      cur = await loadApplication(deps, cur.id)
    }
    cur = await loadApplication(deps, a.id)
  }
  for (const inv of invoices) {
    if (inv.status === 'issued') continue
    await advanceInvoice(deps, inv.id).catch((e) =>
      deps.log.error('application invoice advance failed; the worker continues', {
        application: a.id,
        invoice: inv.id,
        error: e instanceof Error ? e.message : String(e),
      }),
    )
  }
  return completeApplication(deps, cur)
}

/** approved -> done once every invoice of it is issued (or the correction is done). */
export async function completeApplication(deps: Deps, a: StoredApplication): Promise<StoredApplication> {
  if (a.status !== 'approved') return a
  if (a.type === 'correction') {
    if (!a.correctionId) return a
    const c = await deps.corrections.findById(a.correctionId)
    if (!c) return a
    if (c.status === 'done') {
      if (c.newInvoiceId && !a.resultInvoiceIds.includes(c.newInvoiceId)) a = { ...a, resultInvoiceIds: [c.newInvoiceId] }
      return finish(deps, a, { resultInvoiceIds: a.resultInvoiceIds }, '换开完成，新发票已开具，可在「已开票」中查看')
    }
    if (c.status === 'refused' || c.status === 'lapsed') {
      // Nothing changed: the original invoice stays valid. Say why and close the application.
      const reason = c.failure ?? '红字发票信息确认单未获确认，原发票继续有效'
      try {
        const ended = await transition(deps, a, 'rejected', { rejectReason: reason }, entry(deps, 'rejected', `换开未完成：${reason}`, 'system'))
        await notifyApplication(deps, ended, '换开未完成，原发票继续有效')
        return ended
      } catch (e) {
        if (e instanceof DomainError && e.code === 'APPLICATION.BAD_STATE') return loadApplication(deps, a.id)
        throw e
      }
    }
    return a
  }
  if (a.resultInvoiceIds.length === 0) return a
  const invoices = await Promise.all(a.resultInvoiceIds.map((id) => deps.invoices.findById(id)))
  if (!invoices.every((i) => i?.status === 'issued')) return a
  return finish(deps, a, {}, TIMELINE_TEXT.done)
}

async function finish(deps: Deps, a: StoredApplication, patch: Partial<StoredApplication>, text: string): Promise<StoredApplication> {
  try {
    const done = await transition(deps, a, 'done', patch, entry(deps, 'done', text, 'system'))
    deps.log.info('application done', { application: a.id, invoices: done.resultInvoiceIds.length })
    await notifyApplication(deps, done, '发票已开具，请在小程序中查看')
    return done
  } catch (e) {
    if (e instanceof DomainError && e.code === 'APPLICATION.BAD_STATE') return loadApplication(deps, a.id)
    throw e
  }
}

/** The sweep's part: approved applications are carried out (resumed) and completed. */
export async function sweepApplications(deps: Deps, batch = 50): Promise<{ completed: number; errors: number }> {
  let completed = 0
  let errors = 0
  for (const a of await deps.applications.listByStatus(['approved'], batch)) {
    try {
      const after = await carryOut(deps, a)
      if (after.status === 'done') completed++
    } catch (e) {
      errors++
      deps.log.error('application sweep failed', { application: a.id, error: e instanceof Error ? e.message : String(e) })
    }
  }
  return { completed, errors }
}

export async function applicationSummary(deps: Deps, openid: string): Promise<number> {
  return deps.applications.countByOwner(openid, APPLICATION_OPEN)
}

export interface AftersalesSweepReport {
  applicationsCompleted: number
  noticesSent: number
  errors: number
}

/**
 * The after-sales part of the invoice worker's timer: approved applications are carried out
 * (an approval cut short resumes) and moved to done once their invoices are issued, and due
 * notice e-mails are sent (retried with backoff, none lost).
 */
export async function runAftersalesSweep(deps: Deps, batch = 50): Promise<AftersalesSweepReport> {
  const apps = await sweepApplications(deps, batch)
  let noticesSent = 0
  let errors = apps.errors
  try {
    noticesSent = await deliverDueNotices(deps, batch)
  } catch (e) {
    errors++
    deps.log.error('notice sweep failed', { error: e instanceof Error ? e.message : String(e) })
  }
  return { applicationsCompleted: apps.completed, noticesSent, errors }
}
