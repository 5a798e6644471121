import crypto from 'node:crypto'
import type { StaffAuditVerify, StaffCase, StaffCaseKind, StaffFindBy, StaffHealth, StaffQueue, StaffQueueItem, Page } from '../../../types/api'
import type { AuditRecord, CorrectionStatus, OffPlatformTopup, StaffMember, StaffRole } from '../../../types/aftersales'
import type { InvoiceDetail, TitleInput, TitleSnapshot } from '../../../types/domain'
import { CHANNEL_LABELS } from '../domain/application'
import { chainVerifier } from '../domain/audit'
import { DomainError } from '../domain/errors'
import { parseTitle } from '../domain/invoice'
import { PAPER_STATUS_LABELS } from '../domain/paper'
import {
  AUDIT_GENESIS,
  auditId,
  auditTarget,
  canonicalJson,
  canUnmask,
  maskCard,
  maskForStaff,
  maskFreeText,
  maskName,
  maskOpenid,
  maskPhone,
  parseOperator,
  ROLE_LABELS,
  type StaffActor,
} from '../domain/staff'
import { CATEGORY_LABELS } from '../domain/ticket'
import { DuplicateKeyError } from '../ports/errors'
import type { StoredAudit } from '../ports/staff.repo'
import type { Deps } from '../runtime/deps'
import { approveApplication, rejectApplication, startReview, toApplicationView } from './application.service'
import { advanceCorrection, getCorrectionView, requestCorrection } from './correction.service'
import { advanceInvoice, resendInvoice, toDetail, toSummary } from './invoice.service'
import { markPaper, toPaperView } from './paper.service'
import { subscribeHealth } from './subscribe-health.service'
import { closeAsStaff, replyAsStaff, toTicketView } from './ticket.service'
import { toOrder } from './topup.service'

/**
 * Staff work over the other services: the queues, the context of one case (masked unless a
 * reason is given), the actions, and the append-only audit trail every change writes. The
 * entry (runtime/define-staff-function.ts) has already settled who the actor is and that the
 * role allows the action; the services called here do the business checks.
 */

// ---------------------------------------------------------------------------------------
// Audit

/** First 16 hex of SHA-256 over the canonical JSON of a state; null when there is no state. */
export function digestOf(state: unknown): string | null {
  if (state === null || state === undefined) return null
  return sha256(canonicalJson(state)).slice(0, 16)
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex')

/** The hash a record carries: over the previous record's hash and its own content. */
export function auditHash(r: Omit<StoredAudit, 'hash'>): string {
  const { prevHash, ...content } = r
  return sha256(`${prevHash}\n${canonicalJson(content)}`)
}

export interface AuditEntry {
  action: string
  target: string
  reason: string | null
  before: unknown
  after: unknown
  /** a retried action that changed nothing (same state before and after) writes no record */
  onlyIfChanged?: boolean
}

/** Who a record names: a staff actor, or a user acting on their own data (app/audit.service.ts). */
export type AuditActor = Pick<StaffActor, 'name' | 'viaId'> & { role: StaffRole | 'user'; via: string }

/** Concurrent staff actions each take the next place in the chain; a loser goes round again. */
const MAX_APPEND_ROUNDS = 20

/**
 * Appends one record at the head of the chain. A writer that lost the place to a concurrent
 * one (DuplicateKeyError('seq')) reads the new head and tries the next place. If the trail
 * cannot be written the call fails loudly (INTERNAL), and the log line carries what the
 * record would have said, masked, so it can be restored.
 */
export async function appendAudit(deps: Deps, actor: AuditActor, e: AuditEntry): Promise<StoredAudit | null> {
  const at = deps.clock.now().toISOString()
  const beforeDigest = digestOf(e.before)
  const afterDigest = digestOf(e.after)
  if (e.onlyIfChanged && beforeDigest === afterDigest) return null
  for (let round = 1; ; round++) {
    const head = await deps.audit.head()
    const seq = (head?.seq ?? 0) + 1
    const base: Omit<StoredAudit, 'hash'> = {
      seq,
      id: auditId(seq),
      at,
      operator: actor.name,
      via: actor.viaId,
      role: actor.role,
      action: e.action,
      target: e.target,
      reason: e.reason,
      beforeDigest,
      afterDigest,
      prevHash: head?.hash ?? AUDIT_GENESIS,
    }
    const record: StoredAudit = { ...base, hash: auditHash(base) }
    try {
      await deps.audit.append(record)
      deps.log.info('staff audit', { id: record.id, action: e.action, target: e.target, operator: actor.name, role: actor.role, via: actor.via })
      return record
    } catch (err) {
      if (err instanceof DuplicateKeyError && round < MAX_APPEND_ROUNDS) continue
      deps.log.error('staff audit NOT written', {
        action: e.action,
        target: e.target,
        operator: actor.name,
        role: actor.role,
        via: actor.via,
        at,
        beforeDigest,
        afterDigest,
        error: err instanceof Error ? err.message : String(err),
      })
      throw err
    }
  }
}

/** How many records one read of the chain brings (the cloud answers at most 100 per get). */
const CHAIN_PAGE = 100
/** Problems listed in the answer; all of them are counted. */
const MAX_LISTED_PROBLEMS = 20

/**
 * admin `auditVerify`: walks the whole audit chain oldest first, a page at a time (never the
 * whole trail in memory), through domain/audit.ts chainVerifier. firstBadSeq is where the first
 * break shows: the edited record itself, or the record after a removed one.
 */
export async function staffAuditVerify(deps: Deps): Promise<StaffAuditVerify> {
  const v = chainVerifier<StoredAudit>(auditHash, MAX_LISTED_PROBLEMS)
  let after: string | null = null
  do {
    const page = await deps.audit.chain({ after, limit: CHAIN_PAGE })
    for (const r of page.records) v.add(r)
    after = page.next
  } while (after !== null)
  const { ok, checked, problems, problemCount, head } = v.verdict()
  if (!ok) deps.log.error('audit chain broken', { checked, problems: problemCount, firstBadSeq: problems[0].seq, firstBadId: problems[0].id })
  return {
    ok,
    checked,
    ...(ok ? {} : { firstBadSeq: problems[0].seq }),
    head,
    problemCount,
    problems: problems.map((p) => ({ seq: p.seq, id: p.id, kind: p.kind, detail: p.detail })),
  }
}

/** The chain checked (staffAuditVerify), answered the short way some callers want. */
export async function verifyAuditChain(deps: Deps): Promise<{ ok: boolean; checked: number; brokenAt: string | null }> {
  const v = await staffAuditVerify(deps)
  return { ok: v.ok, checked: v.checked, brokenAt: v.problems[0]?.id ?? null }
}

const auditCursor = (seq: number) => Buffer.from(`audit|${seq}`).toString('base64url')
function parseAuditCursor(cursor: string): number {
  const [tag, seq, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const n = Number(seq)
  if (tag !== 'audit' || extra !== undefined || !Number.isSafeInteger(n) || n < 1) {
    throw new DomainError('COMMON.BAD_REQUEST', '分页参数不正确，请刷新列表')
  }
  return n
}

/** admin: the trail newest first; a staff member's openid is masked, 'console' stays. */
export async function listAudit(deps: Deps, input: { cursor?: string; limit?: number; target?: string }): Promise<Page<AuditRecord>> {
  const limit = input.limit ?? 20
  const rows = await deps.audit.list({ target: input.target }, { limit: limit + 1, beforeSeq: input.cursor ? parseAuditCursor(input.cursor) : undefined })
  const shown = rows.slice(0, limit)
  return {
    items: shown.map(({ seq: _s, ...r }) => ({ ...r, via: r.via === 'console' ? 'console' : maskOpenid(r.via) })),
    nextCursor: rows.length > limit ? auditCursor(shown[shown.length - 1].seq) : null,
  }
}

// ---------------------------------------------------------------------------------------
// Who am I; roles

export const whoami = (actor: StaffActor) => ({ operator: actor.name, role: actor.role, via: actor.via })

const OPENID = /^[A-Za-z0-9_-]{6,64}$/

/** admin: grant, change or revoke (role null) a staff role, audited as staff.grant / staff.revoke. */
export async function grantRole(
  deps: Deps,
  actor: StaffActor,
  input: { openid: string; name: string; role: StaffRole | null; reason: string },
): Promise<{ staff: { openid: string; name: string; role: StaffRole } | null }> {
  if (!OPENID.test(input.openid)) throw new DomainError('COMMON.BAD_REQUEST', '参数 openid 格式不正确')
  let name: string
  try {
    name = parseOperator(input.name)
  } catch {
    throw new DomainError('COMMON.BAD_REQUEST', '请填写工作人员姓名（1 到 32 个字）')
  }
  const before = await deps.staff.find(input.openid)
  let after: StaffMember | null = null
  if (input.role === null) {
    await deps.staff.remove(input.openid)
  } else {
    after = { openid: input.openid, name, role: input.role, grantedBy: actor.name, grantedAt: deps.clock.now().toISOString() }
    await deps.staff.put(after)
  }
  await appendAudit(deps, actor, {
    action: input.role === null ? 'staff.revoke' : 'staff.grant',
    target: auditTarget('staff', input.openid),
    reason: input.reason,
    before,
    after,
  })
  deps.log.info('staff role changed', { openid: input.openid, role: input.role ?? 'none', by: actor.name })
  return { staff: after && { openid: after.openid, name: after.name, role: after.role } }
}

// ---------------------------------------------------------------------------------------
// Queues

export const STAFF_QUEUES: readonly StaffQueue[] = ['applications', 'tickets', 'paper', 'invoices', 'payments', 'corrections']

/** requested / issuing this long is stuck (issuing normally takes seconds; the worker runs every minute) */
const STUCK_MS = 10 * 60_000
/** corrections counted per queue read: they are few; the list is the count */
const CORRECTIONS_SCAN = 200
const APPLICATION_QUEUE = ['submitted', 'in_review', 'approved'] as const
const PAPER_QUEUE = ['requested', 'printed', 'mailed'] as const
const CORRECTION_QUEUE: CorrectionStatus[] = ['awaiting_buyer', 'red_issuing', 'reissuing']

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`

const APPLICATION_TYPE_LABELS = { supplement: '补开', correction: '换开' } as const
const INVOICE_STATUS_LABELS = { requested: '待开具', issuing: '开具中', issued: '已开具', failed: '开具失败' } as const
const CORRECTION_STATUS_LABELS: Record<CorrectionStatus, string> = {
  requested: '已申请',
  awaiting_buyer: '待购买方确认',
  red_issuing: '红冲中',
  reissuing: '重新开具中',
  done: '已完成',
  refused: '购买方拒绝',
  lapsed: '已逾期',
}

async function queueItems(deps: Deps, queue: StaffQueue, limit: number): Promise<{ count: number; items: StaffQueueItem[] }> {
  const now = deps.clock.now()
  switch (queue) {
    case 'applications': {
      const [count, rows] = await Promise.all([deps.applications.countByStatus(APPLICATION_QUEUE), deps.applications.listByStatus(APPLICATION_QUEUE, limit)])
      return {
        count,
        items: rows.map((a) => {
          const off = a.offPlatform.reduce((s, t) => s + t.amountFen, 0)
          const parts = [
            APPLICATION_TYPE_LABELS[a.type],
            a.orderIds.length ? `${a.orderIds.length} 笔订单` : null,
            a.offPlatform.length ? `${a.offPlatform.length} 笔其他渠道充值 ${yuan(off)}` : null,
            a.invoiceId ? `发票 ${a.invoiceId}` : null,
            `抬头 ${maskName(a.title.name)}`,
            `电话 ${maskPhone(a.contactPhone)}`,
          ]
          return item(queue, 'application', a.id, a.status, parts, a.openid, a.createdAt, a.updatedAt)
        }),
      }
    }
    case 'tickets': {
      const [count, rows] = await Promise.all([deps.tickets.countByStatus(['open']), deps.tickets.listByStatus(['open'], limit)])
      return {
        count,
        items: rows.map((t) => {
          const last = t.messages[t.messages.length - 1]
          const text = last ? maskFreeText(last.text) : ''
          const parts = [CATEGORY_LABELS[t.category], `${t.messages.length} 条消息`, text.length > 30 ? `${[...text].slice(0, 30).join('')}…` : text]
          return item(queue, 'ticket', t.id, t.status, parts, t.openid, t.createdAt, t.updatedAt)
        }),
      }
    }
    case 'paper': {
      const [count, rows] = await Promise.all([deps.paper.countByStatus(PAPER_QUEUE), deps.paper.listByStatus(PAPER_QUEUE, limit)])
      return {
        count,
        items: rows.map((p) => {
          const parts = [
            `发票 ${p.invoiceNo ?? p.invoiceId}`,
            PAPER_STATUS_LABELS[p.status],
            `收件人 ${maskName(p.address.recipient)} ${p.address.province}${p.address.city}`,
            p.trackingNo ? `${p.carrier ?? ''} ${p.trackingNo}` : null,
          ]
          return item(queue, 'paper', p.id, p.status, parts, p.openid, p.createdAt, p.updatedAt)
        }),
      }
    }
    case 'invoices': {
      const { count, ids } = await deps.staffQueries.stuckInvoices(new Date(now.getTime() - STUCK_MS).toISOString(), limit)
      const rows = (await Promise.all(ids.map((id) => deps.invoices.findById(id)))).flatMap((i) => (i ? [i] : []))
      return {
        count,
        items: rows.map((i) => {
          const parts = [
            i.color === 'red' ? '红字发票' : null,
            INVOICE_STATUS_LABELS[i.status],
            yuan(i.amountFen),
            `抬头 ${maskName(i.title.name)}`,
            `第 ${i.attempts} 次`,
            i.lastError ? maskFreeText(i.lastError).slice(0, 60) : null,
          ]
          return item(queue, 'invoice', i.id, i.status, parts, i.openid, i.requestedAt, i.issuedAt ?? i.nextRetryAt ?? i.requestedAt)
        }),
      }
    }
    case 'payments': {
      const { count, items } = await deps.staffQueries.orderAnomalies(limit)
      const orders = await deps.orders.findByIds(items.map((x) => x.id))
      return {
        count,
        items: items.flatMap((x) => {
          const o = orders.find((y) => y.id === x.id)
          if (!o) return []
          const parts = [yuan(o.amountFen), `卡 ${maskCard(o.cardNo)}`, o.status, maskFreeText(x.detail).slice(0, 80)]
          return [item(queue, 'order', o.id, o.status, parts, o.openid, o.createdAt, o.paidAt ?? o.closedAt ?? o.createdAt)]
        }),
      }
    }
    case 'corrections': {
      const stuckBefore = new Date(now.getTime() - STUCK_MS).toISOString()
      const rows = (await deps.corrections.listByStatus(CORRECTION_QUEUE, CORRECTIONS_SCAN)).filter(
        (c) => c.status === 'awaiting_buyer' || c.updatedAt < stuckBefore,
      )
      return {
        count: rows.length,
        items: rows.slice(0, limit).map((c) => {
          const parts = [
            CORRECTION_STATUS_LABELS[c.status],
            `发票 ${c.invoiceId}`,
            `${maskName(c.oldTitle.name)} → ${maskName(c.newTitle.name)}`,
            c.confirmDeadline && c.status === 'awaiting_buyer' ? `确认截止 ${c.confirmDeadline}` : null,
            c.by === 'staff' ? '工作人员代办' : null,
          ]
          return item(queue, 'correction', c.id, c.status, parts, c.openid, c.requestedAt, c.updatedAt)
        }),
      }
    }
  }
}

function item(
  queue: StaffQueue,
  kind: StaffCaseKind,
  id: string,
  status: string,
  parts: (string | null | undefined | false)[],
  openid: string,
  createdAt: string,
  updatedAt: string,
): StaffQueueItem {
  return { queue, kind, id, status, summary: parts.filter(Boolean).join(' · '), openidMasked: maskOpenid(openid), createdAt, updatedAt }
}

/**
 * The queues, and the staff function's own configuration problems (the startup check's rule over
 * its environment): staff keep running when misconfigured, so the first page they open says so.
 */
export async function staffQueues(deps: Deps, input: { queue?: StaffQueue; limit?: number }) {
  const limit = input.limit ?? 20
  const all = await Promise.all(STAFF_QUEUES.map(async (q) => [q, await queueItems(deps, q, input.queue && input.queue !== q ? 1 : limit)] as const))
  const counts = Object.fromEntries(all.map(([q, r]) => [q, r.count])) as Record<StaffQueue, number>
  const items = all.filter(([q]) => !input.queue || q === input.queue).flatMap(([, r]) => r.items)
  return { counts, items, config: { problems: deps.configCheck('staff') } }
}

// ---------------------------------------------------------------------------------------
// Find and health (the CLI's `find` and `health`)

const FIND_LIMIT = 20

/**
 * The cases a person's call is about: by order id (the order and the invoice claiming it), by
 * invoice id or number, or by card number (that card's top-ups, whoever owns them, and their
 * invoices). Items are masked like queue items; `case` shows one in full.
 */
export async function staffFind(deps: Deps, input: { by: StaffFindBy; value: string }): Promise<{ items: StaffQueueItem[] }> {
  const value = input.value.trim()
  let orderIds: string[] = []
  let invoiceIds: string[] = []
  if (input.by === 'order') orderIds = [value]
  else if (input.by === 'invoice') invoiceIds = [value, ...(await deps.staffQueries.invoiceIdsByNumber(value, FIND_LIMIT))]
  else orderIds = await deps.staffQueries.orderIdsByCard(value.replace(/[\s-]/g, ''), FIND_LIMIT)
  const orders = orderIds.length ? await deps.orders.findByIds(orderIds) : []
  if (input.by !== 'invoice') {
    const claimed = await Promise.all(orders.map((o) => deps.invoices.findByOrderId(o.id)))
    invoiceIds = claimed.flatMap((i) => (i ? [i.id] : []))
  }
  const invoices = (await Promise.all([...new Set(invoiceIds)].map((id) => deps.invoices.findById(id)))).flatMap((i) => (i ? [i] : []))
  const items = [
    ...orders.map((o) =>
      item('payments', 'order', o.id, o.status, [yuan(o.amountFen), `卡 ${maskCard(o.cardNo)}`], o.openid, o.createdAt, o.paidAt ?? o.closedAt ?? o.createdAt),
    ),
    ...invoices.map((i) =>
      item(
        'invoices',
        'invoice',
        i.id,
        i.status,
        [
          i.color === 'red' ? '红字发票' : null,
          INVOICE_STATUS_LABELS[i.status],
          yuan(i.amountFen),
          i.invoiceNo ? `号码 ${i.invoiceNo}` : null,
          `抬头 ${maskName(i.title.name)}`,
        ],
        i.openid,
        i.requestedAt,
        i.issuedAt ?? i.requestedAt,
      ),
    ),
  ]
  return { items }
}

const DAY_MS = 24 * 60 * 60_000

const minutesSince = (now: Date, iso: string) => Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 60_000))

/** What on-call looks at first: queue depths, the oldest stuck invoice, the mail backlog. */
export async function staffHealth(deps: Deps): Promise<StaffHealth> {
  const now = deps.clock.now()
  const [counts, stuck, mail, subscribe, jobs] = await Promise.all([
    Promise.all(STAFF_QUEUES.map(async (q) => [q, (await queueItems(deps, q, 1)).count] as const)),
    deps.staffQueries.stuckInvoices(new Date(now.getTime() - STUCK_MS).toISOString(), 1),
    deps.staffQueries.mailBacklog(),
    subscribeHealth(deps, now),
    deps.staffQueries.jobsHealth(now.toISOString(), new Date(now.getTime() - DAY_MS).toISOString()),
  ])
  const oldest = stuck.ids[0] ? await deps.invoices.findById(stuck.ids[0]) : null
  return {
    at: now.toISOString(),
    queues: Object.fromEntries(counts) as Record<StaffQueue, number>,
    oldestStuckInvoice: oldest && {
      id: oldest.id,
      status: oldest.status,
      requestedAt: oldest.requestedAt,
      ageMinutes: minutesSince(now, oldest.requestedAt),
      lastError: oldest.lastError ? maskFreeText(oldest.lastError).slice(0, 120) : null,
    },
    mail: {
      pending: mail.pending,
      oldestCreatedAt: mail.oldestCreatedAt,
      oldestAgeMinutes: mail.oldestCreatedAt ? minutesSince(now, mail.oldestCreatedAt) : null,
    },
    subscribe,
    jobs,
  }
}

// ---------------------------------------------------------------------------------------
// One case

const PERSON_ORDERS = 20
const PERSON_INVOICES = 20

interface LoadedCase {
  subject: unknown
  /** the record as stored, for the audit digest */
  raw: unknown
  openid: string
}

async function loadCase(deps: Deps, kind: StaffCaseKind, id: string, unmasked: boolean): Promise<LoadedCase> {
  switch (kind) {
    case 'application': {
      const a = await deps.applications.findById(id)
      if (!a) throw new DomainError('APPLICATION.NOT_FOUND', '找不到该申请')
      // With a stated reason staff see the contact phone itself, to call the person back.
      return { subject: { ...toApplicationView(a), ...(unmasked ? { contactPhone: a.contactPhone } : {}) }, raw: a, openid: a.openid }
    }
    case 'ticket': {
      const t = await deps.tickets.findById(id)
      if (!t) throw new DomainError('TICKET.NOT_FOUND', '找不到该反馈')
      return { subject: { ...toTicketView(t), contactPhone: t.contactPhone, closeReason: t.closeReason }, raw: t, openid: t.openid }
    }
    case 'paper': {
      const p = await deps.paper.findById(id)
      if (!p) throw new DomainError('PAPER.NOT_FOUND', '找不到该邮寄申请')
      // The view masks the phone for the person's own lists; staff mailing it need the address itself.
      return { subject: { ...toPaperView(p), address: p.address }, raw: p, openid: p.openid }
    }
    case 'invoice': {
      const i = await deps.invoices.findById(id)
      if (!i) throw new DomainError('INVOICE.NOT_FOUND', '找不到该发票')
      return { subject: await toDetail(deps, i), raw: i, openid: i.openid }
    }
    case 'order': {
      const o = await deps.orders.findById(id)
      if (!o) throw new DomainError('ORDER.NOT_FOUND', '找不到该订单')
      return { subject: { ...toOrder(o), history: await deps.orders.events(o.id) }, raw: o, openid: o.openid }
    }
    case 'correction': {
      const c = await deps.corrections.findById(id)
      if (!c) throw new DomainError('CORRECTION.NOT_FOUND', '找不到该换开记录')
      return { subject: await getCorrectionView(deps, id), raw: c, openid: c.openid }
    }
  }
}

/**
 * The full context of one case: the subject and the person's recent orders, invoices (with
 * their chains) and e-mail. Masked (names partly, phones, e-mails, tax IDs, card numbers) unless
 * a reason is given by an agent or admin; then shown in full and audited as case.unmask BEFORE
 * anything is returned (no audit record, no personal data).
 */
export async function staffCase(
  deps: Deps,
  actor: StaffActor,
  input: { kind: StaffCaseKind; id: string; reason: string | null },
): Promise<{ case: StaffCase }> {
  const unmasked = input.reason !== null
  if (unmasked && !canUnmask(actor.role)) {
    throw new DomainError('STAFF.ROLE_INSUFFICIENT', `「${ROLE_LABELS[actor.role]}」角色只能查看脱敏信息，查看完整信息需要「客服」或以上`)
  }
  const c = await loadCase(deps, input.kind, input.id, unmasked)
  const [orders, invoices, settings] = await Promise.all([
    deps.orders.listByOwner(c.openid, { limit: PERSON_ORDERS }),
    deps.invoices.list(c.openid, {}, { limit: PERSON_INVOICES }),
    deps.settings.get(c.openid),
  ])
  const full: StaffCase = {
    kind: input.kind,
    id: input.id,
    subject: c.subject,
    person: { openid: c.openid, orders: orders.map(toOrder), invoices: invoices.map(toSummary), email: settings.defaultEmail },
    unmasked,
  }
  if (!unmasked) return { case: { ...maskForStaff(full), unmasked: false } }
  await appendAudit(deps, actor, { action: 'case.unmask', target: auditTarget(input.kind, input.id), reason: input.reason, before: c.raw, after: c.raw })
  return { case: full }
}

// ---------------------------------------------------------------------------------------
// Actions on applications, tickets, paper requests

const actorOf = (a: StaffActor) => ({ name: a.name, role: a.role })

/**
 * Runs one staff action on a record and audits what it changed: the state is read before and
 * after, and a record is written when they differ (a retry that changed nothing writes none).
 * If the action fails half-way (e.g. an approval moved the application, then issuing failed),
 * whatever it did change is still audited before the error goes back to the caller.
 */
async function audited<S, R>(
  deps: Deps,
  actor: StaffActor,
  what: { action: string; target: string; reason: string | null },
  load: () => Promise<S | null>,
  run: () => Promise<R>,
  stateOf: (r: R) => S,
): Promise<R> {
  const before = await load()
  let result: R
  try {
    result = await run()
  } catch (e) {
    const after = before === null ? null : await load().catch(() => null)
    if (before !== null && after !== null) await appendAudit(deps, actor, { ...what, reason: what.reason, before, after, onlyIfChanged: true })
    throw e
  }
  await appendAudit(deps, actor, { ...what, before, after: stateOf(result), onlyIfChanged: true })
  return result
}

export async function staffStartReview(deps: Deps, actor: StaffActor, id: string) {
  const after = await audited(
    deps,
    actor,
    { action: 'application.startReview', target: auditTarget('application', id), reason: null },
    () => deps.applications.findById(id),
    () => startReview(deps, actorOf(actor), id),
    (a) => a,
  )
  return { application: toApplicationView(after) }
}

export async function staffApprove(
  deps: Deps,
  actor: StaffActor,
  input: { applicationId: string; orderIds?: string[]; offPlatform?: OffPlatformTopup[]; reason: string | null },
) {
  // what staff recorded goes into the trail's text too (amounts and dates, never the card number)
  const recorded = input.offPlatform?.length
    ? `登记其他渠道充值 ${input.offPlatform.map((t) => `${CHANNEL_LABELS[t.channel] ?? String(t.channel)} ${String(t.date)} ${yuan(Number(t.amountFen))}`).join('、')}`
    : ''
  const reason = [input.reason, recorded].filter(Boolean).join('；') || null
  const after = await audited(
    deps,
    actor,
    { action: 'application.approve', target: auditTarget('application', input.applicationId), reason },
    () => deps.applications.findById(input.applicationId),
    () => approveApplication(deps, actorOf(actor), input.applicationId, { orderIds: input.orderIds, offPlatform: input.offPlatform }),
    (a) => a,
  )
  return { application: toApplicationView(after) }
}

export async function staffReject(deps: Deps, actor: StaffActor, input: { applicationId: string; reason: string }) {
  const after = await audited(
    deps,
    actor,
    { action: 'application.reject', target: auditTarget('application', input.applicationId), reason: input.reason },
    () => deps.applications.findById(input.applicationId),
    () => rejectApplication(deps, actorOf(actor), input.applicationId, input.reason),
    (a) => a,
  )
  return { application: toApplicationView(after) }
}

export async function staffReply(deps: Deps, actor: StaffActor, input: { ticketId: string; text: string }) {
  // The reply itself is in the thread; the audit keeps who and when (and the digests).
  const after = await audited(
    deps,
    actor,
    { action: 'ticket.reply', target: auditTarget('ticket', input.ticketId), reason: null },
    () => deps.tickets.findById(input.ticketId),
    () => replyAsStaff(deps, actorOf(actor), input.ticketId, input.text),
    (t) => t,
  )
  return { ticket: toTicketView(after) }
}

export async function staffCloseTicket(deps: Deps, actor: StaffActor, input: { ticketId: string; reason: string }) {
  const after = await audited(
    deps,
    actor,
    { action: 'ticket.close', target: auditTarget('ticket', input.ticketId), reason: input.reason },
    () => deps.tickets.findById(input.ticketId),
    () => closeAsStaff(deps, actorOf(actor), input.ticketId, input.reason),
    (t) => t,
  )
  return { ticket: toTicketView(after) }
}

export type PaperStep = 'printed' | 'mailed' | 'delivered' | 'returned'

export async function staffPaper(
  deps: Deps,
  actor: StaffActor,
  input: { paperId: string; to: PaperStep; carrier?: string; trackingNo?: string; reason?: string },
) {
  const after = await audited(
    deps,
    actor,
    {
      action: `paper.${input.to}`,
      target: auditTarget('paper', input.paperId),
      reason: input.to === 'returned' ? (input.reason ?? null) : input.to === 'mailed' ? `${input.carrier} ${input.trackingNo}` : null,
    },
    () => deps.paper.findById(input.paperId),
    () => markPaper(deps, actorOf(actor), input.paperId, input.to, { carrier: input.carrier, trackingNo: input.trackingNo, reason: input.reason }),
    (p) => p,
  )
  return { paper: toPaperView(after) }
}

// ---------------------------------------------------------------------------------------
// Actions on invoices

async function invoiceState(deps: Deps, id: string) {
  const i = await deps.invoices.findById(id)
  if (!i) throw new DomainError('INVOICE.NOT_FOUND', '找不到该发票')
  return i
}

/**
 * 换开 on the person's behalf: no self-service limits, any title of that person (titleId) or a
 * full title checked like any title. The correction runs the same exactly-once chain as the
 * person's own (same clientToken, same correction).
 */
export async function staffCorrect(
  deps: Deps,
  actor: StaffActor,
  input: { invoiceId: string; titleId?: string; title?: TitleInput; buyerBooked?: boolean; reason: string; clientToken: string },
) {
  const before = await invoiceState(deps, input.invoiceId)
  let newTitle: TitleSnapshot
  if (input.titleId) {
    const t = await deps.titles.findById(input.titleId)
    if (!t || t.openid !== before.openid) throw new DomainError('TITLE.NOT_FOUND', '找不到该抬头（须为发票所属用户的抬头）')
    newTitle = { kind: t.kind, name: t.name, taxId: t.taxId, address: t.address, phone: t.phone, bankName: t.bankName, bankAccount: t.bankAccount }
  } else if (input.title) {
    const { taxIdChecksumOk: _ok, ...snapshot } = parseTitle(input.title)
    newTitle = snapshot
  } else {
    throw new DomainError('INVOICE.TITLE_REQUIRED', '请选择该用户的抬头（titleId）或填写完整抬头（title）')
  }
  // The same clientToken again is a retry: it finds the same correction and records nothing new.
  const retried = (await deps.corrections.findByClientToken(before.openid, input.clientToken)) !== null
  const requested = await requestCorrection(deps, {
    openid: before.openid,
    invoiceId: before.id,
    newTitle,
    email: before.email,
    buyerBooked: input.buyerBooked ?? false,
    clientToken: input.clientToken,
    by: 'staff',
    skipLimits: true,
  })
  if (!retried) {
    await deps.invoices.addEvent(before.id, 'staff_action', deps.clock.now().toISOString(), `工作人员代为申请换开：${input.reason}`)
    await appendAudit(deps, actor, {
      action: 'invoice.correct',
      target: auditTarget('invoice', before.id),
      reason: input.reason,
      before,
      after: { invoice: await deps.invoices.findById(before.id), correction: requested },
    })
  }
  // Like the person's own request: move it along inline for a while; the worker finishes it.
  const correction = await advanceCorrection(deps, requested.id, deps.config.invoice.inlineWaitMs).catch((e) => {
    deps.log.error('inline correction step failed; the worker will continue', { correction: requested.id, error: e instanceof Error ? e.message : String(e) })
    return requested
  })
  return { correction }
}

/**
 * A failed invoice made due now and moved forward (the next provider attempt); a requested or
 * issuing one whose worker lease ran out is simply moved forward. An issued one has nothing to retry.
 */
export async function staffRetryInvoice(deps: Deps, actor: StaffActor, input: { invoiceId: string; reason: string }): Promise<{ invoice: InvoiceDetail }> {
  const before = await invoiceState(deps, input.invoiceId)
  if (before.status === 'issued') throw new DomainError('COMMON.BAD_REQUEST', '该发票已开具，无需重试；如需再次发送，请用 resendInvoice')
  const nowIso = deps.clock.now().toISOString()
  if (before.status === 'failed') await deps.invoices.update(before.id, ['failed'], { nextRetryAt: nowIso })
  await deps.invoices.addEvent(before.id, 'staff_action', nowIso, `工作人员重试开具：${input.reason}`)
  const moved = await advanceInvoice(deps, before.id, deps.config.invoice.inlineWaitMs).catch((e) => {
    deps.log.error('staff retry: advance failed; the worker will continue', { invoice: before.id, error: e instanceof Error ? e.message : String(e) })
    return null
  })
  const after = moved ?? (await invoiceState(deps, before.id))
  await appendAudit(deps, actor, { action: 'invoice.retry', target: auditTarget('invoice', before.id), reason: input.reason, before, after })
  return { invoice: await toDetail(deps, after) }
}

/** 补发 on the person's behalf, with the same cooldown; staff may name another address. */
export async function staffResendInvoice(deps: Deps, actor: StaffActor, input: { invoiceId: string; email?: string | null; reason: string }) {
  const before = await invoiceState(deps, input.invoiceId)
  const out = await resendInvoice(deps, before.openid, before.id, input.email ?? null)
  await deps.invoices.addEvent(before.id, 'staff_action', deps.clock.now().toISOString(), `工作人员代为补发：${input.reason}`)
  await appendAudit(deps, actor, {
    action: 'invoice.resend',
    target: auditTarget('invoice', before.id),
    reason: input.reason,
    before,
    // the address is in the digest, never in the trail's text
    after: { invoice: await deps.invoices.findById(before.id), resentTo: out.email },
  })
  return out
}
