import crypto from 'node:crypto'
import type { Page } from '../../../types/api'
import type { PaperRequestView } from '../../../types/aftersales'
import type { InvoiceDetail, InvoiceDocument, InvoiceStatus, InvoiceSummary, TopupOrder } from '../../../types/domain'
import { printedInvoice, type PrintedInvoice } from '../../../types/invoice-lines'
import { parseCardGroup } from '../domain/card'
import { buildRedDocument } from '../domain/correction'
import { DomainError } from '../domain/errors'
import { buildInvoiceDocument, checkMergeable, fromStatesOf, nextRetryAt, parseEmail, printableSnapshot } from '../domain/invoice'
import { resendCounterKey, resendDay, resendLimitMessage, secondsToNextCnDay, type ResendCap } from '../domain/resend-limit'
import { maskTaxId } from '../domain/tax-id'
import { DuplicateKeyError } from '../ports/errors'
import { isProviderUnavailable, type ProviderFiles } from '../ports/provider.port'
import type { StoredInvoice } from '../ports/invoice.repo'
import type { StoredOrder } from '../ports/order.repo'
import type { Deps } from '../runtime/deps'
import { advanceCorrection, correctionEligibility } from './correction.service'
import { deliverMail, enqueueMail, notifyInvoice } from './delivery.service'
import { distinctCards, newInvoiceId, newInvoiceRecord } from './invoice-record'
import { toPaperView } from './paper.service'
import { defaultTitle, ownedTitle } from './profile.service'
import { toOrder } from './topup.service'

const LEASE_MS = 60_000

export const toSummary = (i: StoredInvoice): InvoiceSummary => ({
  id: i.id,
  status: i.status,
  color: i.color,
  chain: {
    originalId: i.originalId,
    reversedById: i.reversedById,
    replacedById: i.replacedById,
    correctionId: i.correctionId,
    correctionCount: i.correctionCount,
  },
  source: i.source,
  invoiceNo: i.invoiceNo,
  title: i.title,
  amountFen: i.amountFen,
  orderCount: i.orderIds.length,
  cards: i.cards,
  requestedAt: i.requestedAt,
  issuedAt: i.issuedAt,
  email: i.email,
})

export async function toDetail(deps: Deps, i: StoredInvoice): Promise<InvoiceDetail> {
  return {
    ...toSummary(i),
    orderIds: i.orderIds,
    attempts: i.attempts,
    lastError: i.lastError,
    nextRetryAt: i.nextRetryAt,
    pdf: i.pdfSha256 ? { sha256: i.pdfSha256, bytes: i.pdfBytes ?? 0 } : null,
    xml: i.xmlSha256 ? { sha256: i.xmlSha256, bytes: i.xmlBytes ?? 0 } : null,
    ofd: i.ofdSha256 ? { sha256: i.ofdSha256, bytes: i.ofdBytes ?? 0 } : null,
    history: await deps.invoices.events(i.id),
    confirmationNo: i.confirmationNo,
    correction: i.color === 'red' ? null : await correctionEligibility(deps, i),
    paper: await paperOf(deps, i.id),
    printed: await printedOf(deps, i),
  }
}

/**
 * Page 1's lines and remarks from the same document the PDF is rendered from (one line per
 * top-up), so the detail page's preview matches the PDF. A red invoice has none until its
 * confirmation is known.
 */
async function printedOf(deps: Deps, i: StoredInvoice): Promise<PrintedInvoice | null> {
  if (i.color === 'red' && !i.confirmationNo) return null
  try {
    const { doc } = await documentOf(deps, i, i.invoiceNo ?? undefined, i.issuedAt ?? i.requestedAt)
    return printedInvoice(doc)
  } catch (e) {
    // the detail still answers without the lines; the preview then shows the total only
    deps.log.warn('invoice lines not built for the detail', { invoice: i.id, error: e instanceof Error ? e.message : String(e) })
    return null
  }
}

/** The invoice's active paper-copy request (邮寄纸质版), if any. */
async function paperOf(deps: Deps, invoiceId: string): Promise<PaperRequestView | null> {
  const p = await deps.paper.activeForInvoice(invoiceId)
  return p ? toPaperView(p) : null
}

export async function ownedInvoice(deps: Deps, openid: string, invoiceId: string): Promise<StoredInvoice> {
  const inv = await deps.invoices.findById(invoiceId)
  if (!inv || inv.openid !== openid) throw new DomainError('INVOICE.NOT_FOUND', '找不到该发票')
  return inv
}

const cursorOf = (key: string, id: string) => Buffer.from(`${key}|${id}`).toString('base64url')
function parseCursor(cursor: string): { key: string; id: string } {
  const [key, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (extra !== undefined || !id || Number.isNaN(Date.parse(key))) throw new DomainError('COMMON.BAD_REQUEST', '分页参数不正确，请刷新列表')
  return { key, id }
}

export async function listUninvoiced(deps: Deps, openid: string, input: { cursor?: string; limit?: number; group?: string }): Promise<Page<TopupOrder>> {
  const limit = input.limit ?? 20
  const since = new Date(deps.clock.now().getTime() - deps.config.invoice.caps.windowDays * 86400_000).toISOString()
  const c = input.cursor ? parseCursor(input.cursor) : undefined
  // issue 8: the top-ups of one group of my cards ('' = cards without a group)
  const cardNos = input.group !== undefined ? await groupCardNos(deps, openid, input.group) : undefined
  if (cardNos && cardNos.length === 0) return { items: [], nextCursor: null }
  const rows = await deps.orders.listUninvoiced(
    openid,
    since,
    { limit: limit + 1, cursor: c && { paidAt: c.key, id: c.id } },
    cardNos ? { cardNos } : undefined,
  )
  const items = rows.slice(0, limit).map(toOrder)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > limit ? cursorOf(last.paidAt!, last.id) : null }
}

/** 'YYYY-MM' (a month in UTC+8) -> [from, to) in ISO UTC. */
function monthRange(month: string): { from: string; to: string } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month)
  if (!m) throw new DomainError('COMMON.BAD_REQUEST', '月份格式应为 YYYY-MM')
  const y = Number(m[1])
  const mo = Number(m[2])
  return {
    from: new Date(Date.UTC(y, mo - 1, 1) - 8 * 3600_000).toISOString(),
    to: new Date(Date.UTC(y, mo, 1) - 8 * 3600_000).toISOString(),
  }
}

export async function listInvoices(
  deps: Deps,
  openid: string,
  input: { cursor?: string; limit?: number; status?: InvoiceStatus; month?: string; cardNo?: string; titleId?: string; group?: string },
): Promise<Page<InvoiceSummary>> {
  const limit = input.limit ?? 20
  const c = input.cursor ? parseCursor(input.cursor) : undefined
  // issue 8: by one of my titles (as printed: name and tax ID) and by a group of my cards
  const title = input.titleId ? await ownedTitle(deps, openid, input.titleId) : null
  const cardNos = input.group !== undefined ? await groupCardNos(deps, openid, input.group) : undefined
  if (cardNos && cardNos.length === 0) return { items: [], nextCursor: null }
  const rows = await deps.invoices.list(
    openid,
    {
      status: input.status,
      cardNo: input.cardNo,
      ...(input.month ? monthRange(input.month) : {}),
      ...(cardNos ? { cardNos } : {}),
      ...(title ? { title: { name: title.name, taxId: title.taxId } } : {}),
    },
    { limit: limit + 1, cursor: c && { requestedAt: c.key, id: c.id } },
  )
  const items = rows.slice(0, limit).map(toSummary)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > limit ? cursorOf(last.requestedAt, last.id) : null }
}

/** The card numbers of my cards in a group ('' = my cards without a group). */
async function groupCardNos(deps: Deps, openid: string, raw: string): Promise<string[]> {
  const group = raw.trim() === '' ? null : parseCardGroup(raw)
  return (await deps.cards.listByOwner(openid)).filter((c) => (c.group ?? null) === group).map((c) => c.cardNo)
}

export interface RequestInput {
  orderIds: string[]
  titleId: string
  email?: string | null
  kind?: 'normal' | 'special'
  clientToken: string
}

/**
 * Requests one invoice for one or several paid orders. Exactly once: the store claims every
 * order under a unique key together with the invoice, so retries, repeated taps and
 * concurrent calls all end with one live invoice per order; the same clientToken returns the
 * invoice made the first time.
 */
export async function requestInvoice(
  deps: Deps,
  openid: string,
  input: RequestInput,
  source: StoredInvoice['source'] = input.orderIds.length > 1 ? 'merge' : 'single',
): Promise<StoredInvoice> {
  if (input.kind === 'special') {
    throw new DomainError('INVOICE.SPECIAL_NOT_ALLOWED', '专票不适用于充值：预付卡充值只能开具不征税普通发票，无法抵扣进项税')
  }
  const existing = await deps.invoices.findByClientToken(openid, input.clientToken)
  if (existing) return sameRequest(existing, input)

  const title = await ownedTitle(deps, openid, input.titleId)
  const settings = await deps.settings.get(openid)
  const rawEmail = input.email === undefined ? settings.defaultEmail : input.email
  const email = rawEmail ? parseEmail(rawEmail) : null
  const now = deps.clock.now()
  const orders = await deps.orders.findByIds(input.orderIds)
  const amountFen = checkMergeable(orders, openid, input.orderIds, deps.config.invoice.caps, now)
  const ordered = input.orderIds.map((id) => orders.find((o) => o.id === id)!)
  const inv = newInvoiceRecord({
    id: newInvoiceId(now),
    openid,
    clientToken: input.clientToken,
    source,
    // checked again now: a title saved under an older rule must not print boxes (domain/invoice.ts)
    title: printableSnapshot(title),
    email,
    amountFen,
    orderIds: input.orderIds,
    cards: distinctCards(ordered),
    requestedAt: now.toISOString(),
  })
  try {
    await deps.invoices.create(
      inv,
      ordered.map((o) => ({ orderId: o.id, cardNo: o.cardNo })),
    )
  } catch (e) {
    if (!(e instanceof DuplicateKeyError)) throw e
    // A concurrent twin of this very request won: answer with its invoice.
    const twin = await deps.invoices.findByClientToken(openid, input.clientToken)
    if (twin) return sameRequest(twin, input)
    throw new DomainError('INVOICE.ORDER_ALREADY_INVOICED', '所选订单已开过发票，可在「已开票」中查看')
  }
  deps.log.info('invoice requested', { invoice: inv.id, orders: inv.orderIds.length, amountFen, taxId: maskTaxId(inv.title.taxId) })
  return inv
}

function sameRequest(existing: StoredInvoice, input: RequestInput): StoredInvoice {
  const a = [...existing.orderIds].sort().join(',')
  const b = [...input.orderIds].sort().join(',')
  if (a !== b) throw new DomainError('INVOICE.CLIENT_TOKEN_REUSED', '请求已过期，请重新确认开票')
  return existing
}

/** Requests the automatic invoice of a paid order (idempotent: one per order, whoever calls). */
export async function requestAutoInvoice(deps: Deps, order: StoredOrder): Promise<StoredInvoice | null> {
  if (!order.autoInvoice || order.status !== 'paid') return null
  const title = (await deps.titles.findById(order.autoInvoice.titleId)) ?? (await defaultTitle(deps, order.openid))
  if (!title || title.openid !== order.openid) {
    deps.log.warn('automatic invoice skipped: no title', { order: order.id })
    return null
  }
  try {
    return await requestInvoice(
      deps,
      order.openid,
      { orderIds: [order.id], titleId: title.id, email: order.autoInvoice.email, clientToken: `auto-${order.id}` },
      'auto',
    )
  } catch (e) {
    if (e instanceof DomainError && e.code === 'INVOICE.ORDER_ALREADY_INVOICED') return deps.invoices.findByOrderId(order.id)
    if (e instanceof DomainError && (e.code === 'TITLE.NAME_INVALID' || e.code === 'TITLE.FIELD_INVALID')) {
      // like a missing title: nothing to issue until the person fixes it; they can still request by hand
      deps.log.warn('automatic invoice skipped: the title cannot be printed', { order: order.id, code: e.code })
      return null
    }
    throw e
  }
}

/**
 * Moves an invoice forward as far as it can now: submit to the provider, poll it (for up to
 * waitMs), then render, store and deliver. Safe to call from several places at once: every
 * step is a conditional update, and only the holder of the lease talks to the provider.
 */
export async function advanceInvoice(deps: Deps, invoiceId: string, waitMs = 0): Promise<StoredInvoice> {
  const deadline = Date.now() + waitMs
  const memo: OrdersMemo = {}
  for (;;) {
    let inv = await deps.invoices.findById(invoiceId)
    if (!inv) throw new Error(`invoice ${invoiceId} vanished`)
    const now = deps.clock.now()
    const nowIso = now.toISOString()

    if (inv.status === 'issued') return inv
    if (inv.status === 'requested' || (inv.status === 'failed' && (!inv.nextRetryAt || inv.nextRetryAt <= nowIso))) {
      const attempts = inv.attempts + 1
      const requestNo = `${inv.id}-${attempts}`
      const took = await deps.invoices.update(
        inv.id,
        fromStatesOf('issuing').filter((s) => s === inv!.status),
        { status: 'issuing', attempts, requestNo, lastError: null, nextRetryAt: null, leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString() },
        { leaseFreeAt: nowIso },
      )
      if (!took) return (await deps.invoices.findById(invoiceId))!
      if (inv.status === 'failed') await deps.invoices.addEvent(inv.id, 'retry_scheduled', nowIso, `第 ${attempts} 次开具`)
      inv = { ...inv, status: 'issuing', attempts, requestNo }
      try {
        await submit(deps, inv, requestNo, memo)
        await deps.invoices.addEvent(inv.id, 'submitted', nowIso, requestNo)
      } catch (e) {
        // No answer (timeout, dropped connection): the provider may have taken it. A new
        // attempt would be a new request number, i.e. possibly a second invoice; so keep this
        // number and ask the provider below (and the worker again after the lease).
        if (!isProviderUnavailable(e)) {
          await fail(deps, inv, `提交开票失败：${e instanceof Error ? e.message : String(e)}`)
          return (await deps.invoices.findById(invoiceId))!
        }
        deps.log.warn('invoice submit unanswered; asking again under the same request number', { invoice: inv.id, requestNo, error: e.message })
      }
    }
    if (inv.status === 'failed') return inv

    // issuing: ask the provider how it went (unreachable: leave it to the next run)
    try {
      const status = await deps.provider.query(inv.requestNo!)
      if (status.state === 'issued') return await finalize(deps, inv, status.invoiceNo, status.issuedAt, status.files, status.checkCode, memo)
      if (status.state === 'failed') {
        await fail(deps, inv, status.reason)
        return (await deps.invoices.findById(invoiceId))!
      }
      if (status.state === 'not_found') {
        // Our submit was lost on the way: submit again under the same request number.
        await submit(deps, inv, inv.requestNo!, memo)
      }
    } catch (e) {
      if (!isProviderUnavailable(e)) throw e
      deps.log.warn('invoice provider unavailable; the worker tries again', { invoice: inv.id, requestNo: inv.requestNo, error: e.message })
      return inv
    }
    if (Date.now() >= deadline) return inv
    await new Promise((r) => setTimeout(r, Math.min(250, Math.max(deadline - Date.now(), 0))))
  }
}

/**
 * The invoice's document from its orders; before issuing, with a placeholder number and date.
 * A red invoice reverses its blue one: negative lines, and remarks naming the blue invoice and
 * the red-letter confirmation.
 */
async function documentOf(deps: Deps, inv: StoredInvoice, invoiceNo = '0'.repeat(20), issuedAt = inv.requestedAt, checkCode?: string, memo: OrdersMemo = {}) {
  // a failed read is not remembered: the next step of the same call reads again
  const orders = await (memo.orders ??= deps.orders.findByIds(inv.orderIds).catch((e: unknown) => {
    memo.orders = undefined
    throw e
  }))
  const input = {
    invoiceNo,
    issuedAt,
    checkCode, // the provider's QR check; none: the sandbox's own (domain/invoice.ts qrPayload)
    title: inv.title,
    orders: inv.orderIds.map((id) => {
      const o = orders.find((x) => x.id === id)
      if (!o) throw new Error(`order ${id} of invoice ${inv.id} missing`)
      return { id, amountFen: o.amountFen, cardNo: o.cardNo }
    }),
    seller: deps.config.invoice.seller,
  }
  if (inv.color === 'blue') return { doc: buildInvoiceDocument(input), red: undefined }
  const red = await redOf(deps, inv)
  return { doc: buildRedDocument({ ...input, ...red }), red }
}

async function redOf(deps: Deps, inv: StoredInvoice): Promise<{ blueInvoiceNo: string; confirmationNo: string }> {
  const blue = inv.originalId ? await deps.invoices.findById(inv.originalId) : null
  if (!blue?.invoiceNo || !inv.confirmationNo) throw new Error(`red invoice ${inv.id}: blue invoice or confirmation missing`)
  return { blueInvoiceNo: blue.invoiceNo, confirmationNo: inv.confirmationNo }
}

/**
 * The invoice's orders, read once per advanceInvoice call: submit and finalize both print them,
 * and what they print (id, amount, card) never changes once an order is paid and claimed.
 */
interface OrdersMemo {
  orders?: Promise<StoredOrder[]>
}

async function submit(deps: Deps, inv: StoredInvoice, requestNo: string, memo?: OrdersMemo) {
  const { doc, red } = await documentOf(deps, inv, undefined, undefined, undefined, memo)
  return deps.provider.submit({ requestNo, buyer: doc.buyer, items: doc.items, amountFen: doc.totalFen, remarks: doc.remarks, red })
}

async function fail(deps: Deps, inv: StoredInvoice, reason: string): Promise<void> {
  const now = deps.clock.now()
  const moved = await deps.invoices.update(inv.id, fromStatesOf('failed'), {
    status: 'failed',
    lastError: reason.slice(0, 200),
    nextRetryAt: nextRetryAt(now, inv.attempts).toISOString(),
    leaseUntil: null,
  })
  if (!moved) return
  await deps.invoices.addEvent(inv.id, 'failed', now.toISOString(), reason.slice(0, 200))
  deps.log.warn('invoice issue failed; will retry', { invoice: inv.id, attempts: inv.attempts })
  // Tell the person once, on the first failure: it is being retried, nothing to do.
  if (inv.attempts === 1) await notifyInvoice(deps, { ...inv, lastError: reason }, 'invoiceFailed')
}

/**
 * Issued at the provider: keep our own copy. The PDF and the XML original (the provider's, or
 * rendered for the sandbox) and the provider's OFD when it gives one: record their SHA-256, store
 * them under the owner's private path, then move issuing -> issued (once: a concurrent finisher
 * loses the conditional update) and deliver.
 */
async function finalize(
  deps: Deps,
  inv: StoredInvoice,
  invoiceNo: string,
  issuedAt: string,
  files?: ProviderFiles,
  checkCode?: string,
  memo?: OrdersMemo,
): Promise<StoredInvoice> {
  const { doc } = await documentOf(deps, inv, invoiceNo, issuedAt, checkCode, memo)
  const { pdf, xml, ofd, origin } = await originals(deps, doc, files)
  const base = `users/${inv.openid}/invoices/${invoiceNo}`
  const [pdfFile, xmlFile, ofdFile] = await Promise.all([
    deps.storage.upload({ cloudPath: `${base}.pdf`, content: pdf }),
    deps.storage.upload({ cloudPath: `${base}.xml`, content: xml }),
    ofd ? deps.storage.upload({ cloudPath: `${base}.ofd`, content: ofd }) : null,
  ])
  const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')
  const at = deps.clock.now().toISOString()
  const moved = await deps.invoices.update(inv.id, ['issuing'], {
    status: 'issued',
    invoiceNo,
    issuedAt,
    leaseUntil: null,
    pdfFileId: pdfFile.fileID,
    pdfSha256: sha(pdf),
    pdfBytes: pdf.length,
    xmlFileId: xmlFile.fileID,
    xmlSha256: sha(xml),
    xmlBytes: xml.length,
    ...(ofd && ofdFile ? { ofdFileId: ofdFile.fileID, ofdSha256: sha(ofd), ofdBytes: ofd.length } : {}),
  })
  const issued = (await deps.invoices.findById(inv.id))!
  if (!moved) return issued
  await deps.invoices.addEvent(inv.id, 'issued', issuedAt, invoiceNo)
  await deps.invoices.addEvent(inv.id, 'stored', at, `PDF ${pdf.length} B, XML ${xml.length} B${ofd ? `, OFD ${ofd.length} B` : ''}${origin}`)
  deps.log.info('invoice issued', { invoice: inv.id, invoiceNo })
  let emailed = false
  if (issued.email) {
    const item = await enqueueMail(deps, issued, issued.email, 'issued')
    if (item) emailed = await deliverMail(deps, item, { pdf, xml, invoice: issued })
  }
  // A red invoice is one step of a 换开: the person hears of the correction once, when it
  // completes (notifyAfterSales), not once per document; their one-message quota is precious.
  if (issued.color === 'red') await deps.invoices.addEvent(inv.id, 'message_skipped', at, '红字发票：换开完成时统一通知')
  else await notifyInvoice(deps, issued, 'invoiceIssued', emailed)
  return issued
}

/**
 * The files we keep of an issued invoice. A licensed provider's files are the originals (the
 * tax platform produced them): download and keep those. Our renderer makes them only for the
 * sandbox, and the XML when the provider gives none (数电 XML is an option of the seller's
 * Nuonuo account); `origin` says which, for the history line. The OFD exists only as the
 * provider's (we render none): kept when given, and null otherwise. A PDF or XML download that
 * fails throws, so the invoice stays issuing and the worker fetches again; the OFD is a
 * convenience copy (the XML is the legal original, the PDF what people use), so a broken OFD link
 * is logged and skipped rather than holding the invoice back forever.
 */
async function originals(
  deps: Deps,
  doc: InvoiceDocument,
  files: ProviderFiles | undefined,
): Promise<{ pdf: Buffer; xml: Buffer; ofd: Buffer | null; origin: string }> {
  const fetchFile = deps.provider.fetchFile?.bind(deps.provider)
  const ofdUrl = fetchFile ? files?.ofdUrl : undefined
  const fetchOfd = (url: string) =>
    fetchFile!(url).catch((e: unknown) => {
      deps.log.warn('provider OFD not fetched; the invoice is kept with PDF and XML', {
        invoiceNo: doc.invoiceNo,
        error: e instanceof Error ? e.message : String(e),
      })
      return null
    })
  if (files?.pdfUrl && fetchFile) {
    const [pdf, xml, ofd] = await Promise.all([fetchFile(files.pdfUrl), files.xmlUrl ? fetchFile(files.xmlUrl) : null, ofdUrl ? fetchOfd(ofdUrl) : null])
    return { pdf, xml: xml ?? deps.renderer().renderXml(doc), ofd, origin: xml ? '（开票平台原件）' : '（PDF 为开票平台原件）' }
  }
  const renderer = deps.renderer()
  const [pdf, ofd] = await Promise.all([renderer.renderPdf(doc), ofdUrl ? fetchOfd(ofdUrl) : null])
  return { pdf, xml: renderer.renderXml(doc), ofd, origin: ofd ? '（OFD 为开票平台原件）' : '' }
}

export async function invoiceFiles(deps: Deps, openid: string, invoiceId: string) {
  const inv = await ownedInvoice(deps, openid, invoiceId)
  if (inv.status !== 'issued' || !inv.pdfFileId || !inv.xmlFileId) throw new DomainError('INVOICE.NOT_ISSUED', '发票尚未开具完成，请稍后再试')
  const ttl = deps.config.invoice.linkTtlSeconds
  const ids = inv.ofdFileId ? [inv.pdfFileId, inv.xmlFileId, inv.ofdFileId] : [inv.pdfFileId, inv.xmlFileId]
  const [pdf, xml, ofd] = await deps.storage.tempUrls(ids, { openid, maxAgeSeconds: ttl })
  if (!pdf.url || !xml.url || (ofd && !ofd.url)) throw new Error('storage refused a link for the owner')
  return {
    pdfUrl: pdf.url,
    xmlUrl: xml.url,
    // only when the provider handed out an OFD original (never for the sandbox)
    ...(ofd?.url ? { ofdUrl: ofd.url } : {}),
    expiresAt: new Date(deps.clock.now().getTime() + ttl * 1000).toISOString(),
  }
}

/**
 * Seconds until the same address may be sent to again (0: now). A mail still waiting for its first
 * attempt counts as just sent, so a double tap never queues two.
 */
export function resendWaitSeconds(last: { createdAt: string; status: string; attempts: number }, now: Date, cooldownSeconds: number): number {
  const elapsed = now.getTime() - Date.parse(last.createdAt)
  const left = Math.ceil((cooldownSeconds * 1000 - elapsed) / 1000)
  if (last.status === 'pending' && last.attempts === 0) return Math.max(1, left)
  return Math.max(0, left)
}

/**
 * The daily caps (per invoice, per owner) on re-sends, on atomic counters (ledger.hit: a
 * unique-keyed record incremented in one conditional write), so concurrent requests cannot
 * both take the last one. The invoice is counted first: a refusal there leaves the person's
 * count alone; a refusal on the person's count spends one of that invoice's, which no longer
 * matters that day. A crash after counting loses one re-send of the day, never adds one.
 */
export async function takeResendAllowance(deps: Pick<Deps, 'ledger' | 'config'>, inv: Pick<StoredInvoice, 'id' | 'openid'>, now: Date): Promise<void> {
  const { resendMaxPerInvoicePerDay: perInvoice, resendMaxPerUserPerDay: perUser } = deps.config.invoice
  const day = resendDay(now)
  const at = now.toISOString()
  const refuse = (cap: ResendCap, max: number) =>
    new DomainError('INVOICE.RESEND_LIMIT', resendLimitMessage(cap, max), { retryAfterSeconds: secondsToNextCnDay(now), limit: max })
  if ((await deps.ledger.hit(resendCounterKey('invoice', inv.id, day), at)) > perInvoice) throw refuse('invoice', perInvoice)
  if ((await deps.ledger.hit(resendCounterKey('user', inv.openid, day), at)) > perUser) throw refuse('user', perUser)
}

/** 补发: the same invoice e-mailed again; never a second invoice. */
export async function resendInvoice(deps: Deps, openid: string, invoiceId: string, email?: string | null) {
  const inv = await ownedInvoice(deps, openid, invoiceId)
  if (inv.status !== 'issued') throw new DomainError('INVOICE.NOT_ISSUED', '发票尚未开具完成，开具后会自动发送')
  const raw = email || inv.email || (await deps.settings.get(openid)).defaultEmail
  if (!raw) throw new DomainError('INVOICE.EMAIL_REQUIRED', '请填写接收发票的邮箱')
  const to = parseEmail(raw)
  // The cooldown is per address: it keeps one mailbox from being flooded, while sending the
  // invoice to another address (a colleague, the finance office) is allowed at once.
  const last = await deps.outbox.latestFor(inv.id, to)
  const now = deps.clock.now()
  const waitSeconds = last ? resendWaitSeconds(last, now, deps.config.invoice.resendCooldownSeconds) : 0
  if (last && waitSeconds > 0) {
    const sending = last.status === 'pending' && last.attempts === 0
    const message = sending ? `正在发送到这个邮箱，请 ${waitSeconds} 秒后再试` : `刚刚已发送到这个邮箱，请 ${waitSeconds} 秒后再试；没收到？请先查看垃圾邮件箱`
    throw new DomainError('INVOICE.RESEND_TOO_SOON', message, { retryAfterSeconds: waitSeconds })
  }
  await takeResendAllowance(deps, inv, now)
  const item = await enqueueMail(deps, inv, to, 'resend')
  await deps.invoices.addEvent(inv.id, 'resend_requested', now.toISOString(), null)
  if (item) await deliverMail(deps, item)
  return { queued: true as const, email: to }
}

export async function invoiceForOrder(deps: Deps, openid: string, orderId: string): Promise<InvoiceSummary | null> {
  const order = await deps.orders.findById(orderId)
  if (!order || order.openid !== openid) throw new DomainError('ORDER.NOT_FOUND', '找不到该订单')
  const inv = await deps.invoices.findByOrderId(orderId)
  return inv ? toSummary(inv) : null
}

export interface WorkerReport {
  autoRequested: number
  advanced: number
  issued: number
  failed: number
  mailsSent: number
  /** corrections (换开) moved forward: confirmations polled, chains resumed after a crash */
  correctionsAdvanced: number
  errors: number
}

/**
 * The invoice worker (timer): requests automatic invoices whose payment-time request did not
 * happen, moves every due invoice forward, and sends due e-mails from the outbox.
 */
export async function runInvoiceWorker(deps: Deps, batch = 50): Promise<WorkerReport> {
  const report: WorkerReport = { autoRequested: 0, advanced: 0, issued: 0, failed: 0, mailsSent: 0, correctionsAdvanced: 0, errors: 0 }
  const now = deps.clock.now()
  const since = new Date(now.getTime() - 2 * 86400_000).toISOString()
  const before = new Date(now.getTime() - 30_000).toISOString()
  for (const order of await deps.orders.listAutoInvoicePending(since, before, batch)) {
    try {
      if (await requestAutoInvoice(deps, order)) report.autoRequested++
    } catch (e) {
      report.errors++
      deps.log.error('auto invoice failed', { order: order.id, error: e instanceof Error ? e.message : String(e) })
    }
  }
  for (const inv of await deps.invoices.due(deps.clock.now().toISOString(), batch)) {
    try {
      const after = await advanceInvoice(deps, inv.id)
      report.advanced++
      if (after.status === 'issued') report.issued++
      if (after.status === 'failed') report.failed++
    } catch (e) {
      report.errors++
      deps.log.error('invoice advance failed', { invoice: inv.id, error: e instanceof Error ? e.message : String(e) })
    }
  }
  // After the invoices: a red invoice the loop above just issued lets its correction go on.
  for (const c of await deps.corrections.due(deps.clock.now().toISOString(), batch)) {
    try {
      await advanceCorrection(deps, c.id)
      report.correctionsAdvanced++
    } catch (e) {
      report.errors++
      deps.log.error('correction advance failed', { correction: c.id, error: e instanceof Error ? e.message : String(e) })
    }
  }
  // A crash between marking an invoice issued and queueing its first e-mail: queue it now (the
  // first-mail unique key makes a twin impossible); the loop below sends it.
  const settled = new Date(deps.clock.now().getTime() - 2 * 60_000).toISOString()
  for (const inv of await deps.invoices.issuedWithoutFirstMail(since, settled, batch)) {
    try {
      if (inv.email && (await enqueueMail(deps, inv, inv.email, 'issued'))) {
        deps.log.warn('first e-mail of an issued invoice was never queued; queued now', { invoice: inv.id })
      }
    } catch (e) {
      report.errors++
      deps.log.error('queueing a missed first e-mail failed', { invoice: inv.id, error: e instanceof Error ? e.message : String(e) })
    }
  }
  for (const item of await deps.outbox.due(deps.clock.now().toISOString(), batch)) {
    if (await deliverMail(deps, item)) report.mailsSent++
  }
  return report
}

// ---------------------------------------------------------------------------------------
// After-sales (helper 2): the invoice(s) of a staff-approved 补开 application
import { applicationInvoiceToken, splitByCaps } from '../domain/application'

export interface ApplicationInvoiceInput {
  openid: string
  applicationId: string
  /** the approved orders, ours and the recorded off-platform ones, all of this person */
  orderIds: string[]
  title: StoredInvoice['title']
  email: string | null
}

/**
 * The invoice(s) of an approved application, through the same exactly-once store as every
 * invoice: clientToken app-<applicationId> (app-<id>-<n> when the caps split the orders, in a
 * deterministic order, so a retry makes the same groups), source 'application', the title
 * snapshotted on the application. No request-window check (staff approved it), the caps still
 * apply. A retry finds the invoices made the first time; an order meanwhile claimed by another
 * live invoice of the same person counts as invoiced by it.
 */
export async function requestInvoiceForApplication(deps: Deps, input: ApplicationInvoiceInput): Promise<StoredInvoice[]> {
  if (input.orderIds.length === 0) throw new DomainError('INVOICE.NO_ORDERS', '没有可开票的充值')
  const orders = await deps.orders.findByIds(input.orderIds)
  const byId = new Map(orders.map((o) => [o.id, o]))
  const ordered = input.orderIds.map((id) => {
    const o = byId.get(id)
    if (!o || o.openid !== input.openid) throw new DomainError('INVOICE.ORDER_NOT_FOUND', '找不到所选的充值订单')
    if (o.status !== 'paid' || !o.paidAt) throw new DomainError('INVOICE.ORDER_NOT_PAID', '只有已支付的充值才能开票')
    return o
  })
  const groups = splitByCaps(ordered, deps.config.invoice.caps)
  const out: StoredInvoice[] = []
  for (let g = 0; g < groups.length; g++) {
    const clientToken = applicationInvoiceToken(input.applicationId, g, groups.length)
    const existing = await deps.invoices.findByClientToken(input.openid, clientToken)
    if (existing) {
      out.push(existing)
      continue
    }
    const group = groups[g]
    const claimedElsewhere = group.filter((o) => o.invoiceId)
    if (claimedElsewhere.length === group.length) {
      for (const o of claimedElsewhere) {
        const other = await deps.invoices.findById(o.invoiceId!)
        if (other && !out.some((x) => x.id === other.id)) out.push(other)
      }
      continue
    }
    if (claimedElsewhere.length) throw new DomainError('INVOICE.ORDER_ALREADY_INVOICED', '部分订单已开过发票，请重新审核关联的订单')
    const now = deps.clock.now()
    const inv = newInvoiceRecord({
      id: newInvoiceId(now),
      openid: input.openid,
      clientToken,
      source: 'application',
      title: input.title,
      email: input.email,
      amountFen: group.reduce((s, o) => s + o.amountFen, 0),
      orderIds: group.map((o) => o.id),
      cards: distinctCards(group),
      requestedAt: now.toISOString(),
    })
    try {
      await deps.invoices.create(
        inv,
        group.map((o) => ({ orderId: o.id, cardNo: o.cardNo })),
      )
      deps.log.info('application invoice requested', {
        invoice: inv.id,
        application: input.applicationId,
        orders: inv.orderIds.length,
        amountFen: inv.amountFen,
        taxId: maskTaxId(inv.title.taxId),
      })
      out.push(inv)
    } catch (e) {
      if (!(e instanceof DuplicateKeyError)) throw e
      const twin = await deps.invoices.findByClientToken(input.openid, clientToken)
      if (twin) {
        out.push(twin)
        continue
      }
      throw new DomainError('INVOICE.ORDER_ALREADY_INVOICED', '部分订单已开过发票，请重新审核关联的订单')
    }
  }
  return out
}
