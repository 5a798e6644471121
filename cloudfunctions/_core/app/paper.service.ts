import type { Page } from '../../../types/api'
import type { PaperAddress, PaperRequestView, PaperStatus, TimelineEntry } from '../../../types/aftersales'
import { DomainError } from '../domain/errors'
import { addressForLog, fromStatesOf, isTerminal, maskedAddress, PAPER_STATUS_LABELS, parsePaperAddress, parseTracking } from '../domain/paper'
import { parseReason } from '../domain/application'
import { DuplicateKeyError } from '../ports/errors'
import { PAPER_ACTIVE, type StoredPaperRequest } from '../ports/aftersales.repo'
import type { Deps } from '../runtime/deps'
import { newRecordId, pageOf, type StaffActor } from './application.service'
import { notifyAfterSales } from './notify.service'

const TIMELINE_TEXT: Record<PaperStatus, string> = {
  requested: '已收到您的邮寄申请，我们将尽快打印',
  printed: '发票纸质件已打印，等待寄出',
  mailed: '已寄出',
  delivered: '已签收',
  returned: '快递被退回',
  cancelled: '您已取消邮寄申请',
}

export function toPaperView(p: StoredPaperRequest): PaperRequestView {
  return {
    id: p.id,
    invoiceId: p.invoiceId,
    invoiceNo: p.invoiceNo,
    status: p.status,
    address: maskedAddress(p.address),
    carrier: p.carrier,
    trackingNo: p.trackingNo,
    returnReason: p.returnReason,
    timeline: p.timeline,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  }
}

async function ownedPaper(deps: Deps, openid: string, id: string): Promise<StoredPaperRequest> {
  const p = await deps.paper.findById(id)
  if (!p || p.openid !== openid) throw new DomainError('PAPER.NOT_FOUND', '找不到该邮寄申请')
  return p
}

async function loadPaper(deps: Deps, id: string): Promise<StoredPaperRequest> {
  const p = await deps.paper.findById(id)
  if (!p) throw new DomainError('PAPER.NOT_FOUND', '找不到该邮寄申请')
  return p
}

/**
 * Moves a request to `to`, conditional on status and revision (a lost race re-reads and tries
 * again while the move is still allowed). Reaching a terminal status releases the invoice's
 * active slot (activeKey becomes the request's own id) in the same write.
 */
async function transition(
  deps: Deps,
  p: StoredPaperRequest,
  to: PaperStatus,
  patch: Partial<StoredPaperRequest>,
  by: TimelineEntry['by'],
  text = TIMELINE_TEXT[to],
) {
  let cur = p
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!fromStatesOf(to).includes(cur.status)) break
    const at = deps.clock.now().toISOString()
    const full = { ...patch, status: to, updatedAt: at, ...(isTerminal(to) ? { activeKey: cur.id } : {}) }
    if (await deps.paper.update(cur.id, { from: [cur.status], rev: cur.rev }, full, { at, status: to, text, by })) {
      const moved = (await deps.paper.findById(cur.id))!
      await deps.invoices
        .addEvent(moved.invoiceId, 'paper_status', at, PAPER_STATUS_LABELS[to])
        .catch((e) => deps.log.error('paper event not written', { paper: moved.id, error: e instanceof Error ? e.message : String(e) }))
      return moved
    }
    cur = await loadPaper(deps, cur.id)
  }
  throw new DomainError('PAPER.BAD_STATE', `邮寄申请当前状态为「${PAPER_STATUS_LABELS[cur.status]}」，无法进行此操作`)
}

function notifyPaper(deps: Deps, p: StoredPaperRequest, text: string) {
  return notifyAfterSales(deps, {
    openid: p.openid,
    kind: 'paper',
    id: p.id,
    statusLabel: PAPER_STATUS_LABELS[p.status],
    text,
    page: `pages/paper-detail/index?id=${p.id}`,
    key: `paper:${p.id}:${p.status}`,
  })
}

/**
 * A printed copy of one of the person's issued blue invoices, not reversed, sent by post. One
 * active request per invoice (a unique key: PAPER.ACTIVE_EXISTS); idempotent per clientToken.
 */
export async function requestPaper(
  deps: Deps,
  openid: string,
  input: { invoiceId: string; address: PaperAddress; clientToken: string },
): Promise<StoredPaperRequest> {
  const existing = await deps.paper.findByClientToken(openid, input.clientToken)
  if (existing) {
    if (existing.invoiceId !== input.invoiceId) throw new DomainError('COMMON.BAD_REQUEST', '请求已过期，请重新提交邮寄申请')
    return existing
  }
  const address = parsePaperAddress(input.address)
  const inv = await deps.invoices.findById(input.invoiceId)
  if (!inv || inv.openid !== openid) throw new DomainError('INVOICE.NOT_FOUND', '找不到该发票')
  if (inv.status !== 'issued' || !inv.invoiceNo) throw new DomainError('PAPER.INVOICE_NOT_ISSUED', '发票开具完成后才能申请邮寄纸质版')
  if (inv.color === 'red') throw new DomainError('PAPER.INVOICE_NOT_ISSUED', '红字发票不提供纸质邮寄')
  if (inv.reversedById) throw new DomainError('PAPER.INVOICE_NOT_ISSUED', '该发票已红冲作废，请为新开具的发票申请邮寄')
  const active = await deps.paper.activeForInvoice(inv.id)
  if (active) throw new DomainError('PAPER.ACTIVE_EXISTS', '这张发票已有进行中的邮寄申请，可在「我的申请」中查看')

  const now = deps.clock.now()
  const at = now.toISOString()
  const p: StoredPaperRequest = {
    id: newRecordId('PAP', now, deps),
    openid,
    clientToken: input.clientToken,
    invoiceId: inv.id,
    invoiceNo: inv.invoiceNo,
    status: 'requested',
    activeKey: inv.id,
    address,
    carrier: null,
    trackingNo: null,
    returnReason: null,
    timeline: [{ at, status: 'requested', text: TIMELINE_TEXT.requested, by: 'user' }],
    rev: 0,
    createdAt: at,
    updatedAt: at,
  }
  try {
    await deps.paper.insert(p)
  } catch (e) {
    if (!(e instanceof DuplicateKeyError)) throw e
    const twin = await deps.paper.findByClientToken(openid, input.clientToken)
    if (twin && twin.invoiceId === input.invoiceId) return twin
    if (e.key === 'activeKey') throw new DomainError('PAPER.ACTIVE_EXISTS', '这张发票已有进行中的邮寄申请，可在「我的申请」中查看')
    throw new DomainError('COMMON.BAD_REQUEST', '请求已过期，请重新提交邮寄申请')
  }
  await deps.invoices.addEvent(inv.id, 'paper_requested', at, `邮寄至${addressForLog(address)}`).catch(() => undefined)
  deps.log.info('paper copy requested', { paper: p.id, invoice: inv.id, to: addressForLog(address) })
  return p
}

export async function listPaper(deps: Deps, openid: string, input: { cursor?: string; limit?: number }): Promise<Page<PaperRequestView>> {
  return pageOf((page) => deps.paper.listByOwner(openid, page), toPaperView, input)
}

export const getPaper = ownedPaper

/** The person cancels, only before it is printed. */
export async function cancelPaper(deps: Deps, openid: string, id: string): Promise<StoredPaperRequest> {
  const p = await ownedPaper(deps, openid, id)
  if (p.status === 'cancelled') return p
  if (p.status !== 'requested') throw new DomainError('PAPER.BAD_STATE', '发票已打印，无法取消邮寄；如有问题请联系客服')
  return transition(deps, p, 'cancelled', {}, 'user')
}

export async function listPaperByStatus(deps: Deps, statuses: readonly PaperStatus[], limit: number): Promise<StoredPaperRequest[]> {
  return deps.paper.listByStatus(statuses, limit)
}

/** Staff move a request along: printed, mailed (carrier + tracking number), delivered, returned (reason). */
export async function markPaper(
  deps: Deps,
  actor: StaffActor,
  id: string,
  to: 'printed' | 'mailed' | 'delivered' | 'returned',
  extra: { carrier?: string; trackingNo?: string; reason?: string } = {},
): Promise<StoredPaperRequest> {
  const p = await loadPaper(deps, id)
  let patch: Partial<StoredPaperRequest> = {}
  let text = TIMELINE_TEXT[to]
  let notice = text
  if (to === 'mailed') {
    const t = parseTracking(extra.carrier, extra.trackingNo)
    // a retried "mailed" with the same tracking number is the same step, not an error
    if (p.status === 'mailed' && p.trackingNo === t.trackingNo) return p
    patch = t
    text = `已寄出：${t.carrier} ${t.trackingNo}`
    notice = `已寄出，${t.carrier}单号 ${t.trackingNo}`
  } else if (to === 'returned') {
    const reason = parseReason(extra.reason)
    patch = { returnReason: reason }
    text = `快递被退回：${reason}`
    notice = `快递被退回：${reason}`
  } else if (p.status === to) {
    return p
  }
  const moved = await transition(deps, p, to, patch, 'staff', text)
  deps.log.info('paper copy moved', { paper: p.id, to, by: actor.name })
  await notifyPaper(deps, moved, notice)
  return moved
}

export async function paperSummary(deps: Deps, openid: string): Promise<number> {
  return deps.paper.countByOwner(openid, PAPER_ACTIVE)
}
