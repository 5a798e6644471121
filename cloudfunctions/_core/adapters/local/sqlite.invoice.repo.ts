import type { InvoiceEventType, InvoiceStatus } from '../../../../types/domain'
import { DuplicateKeyError } from '../../ports/errors'
import type { InvoiceRepo, OutboxItem, OutboxRepo, ReplaceInput, StoredInvoice } from '../../ports/invoice.repo'
import { statementCache, uniqueViolation, type Db } from './sqlite.db'
import { LEASE_OWNER } from './sqlite.leases'

type Row = Record<string, unknown>

const COLUMNS: Record<string, string> = {
  status: 'status',
  title: 'title',
  email: 'email',
  issuedAt: 'issued_at',
  invoiceNo: 'invoice_no',
  attempts: 'attempts',
  requestNo: 'request_no',
  lastError: 'last_error',
  nextRetryAt: 'next_retry_at',
  leaseUntil: 'lease_until',
  pdfFileId: 'pdf_file_id',
  pdfSha256: 'pdf_sha256',
  pdfBytes: 'pdf_bytes',
  xmlFileId: 'xml_file_id',
  xmlSha256: 'xml_sha256',
  xmlBytes: 'xml_bytes',
  ofdFileId: 'ofd_file_id',
  ofdSha256: 'ofd_sha256',
  ofdBytes: 'ofd_bytes',
}

const fromRow = (r: Row): StoredInvoice => ({
  id: r.id as string,
  openid: r.openid as string,
  clientToken: r.client_token as string,
  status: r.status as InvoiceStatus,
  source: r.source as StoredInvoice['source'],
  title: JSON.parse(r.title as string) as StoredInvoice['title'],
  email: (r.email as string) ?? null,
  amountFen: r.amount_fen as number,
  orderIds: JSON.parse(r.order_ids as string) as string[],
  cards: JSON.parse(r.cards as string) as StoredInvoice['cards'],
  requestedAt: r.requested_at as string,
  issuedAt: (r.issued_at as string) ?? null,
  invoiceNo: (r.invoice_no as string) ?? null,
  attempts: r.attempts as number,
  requestNo: (r.request_no as string) ?? null,
  lastError: (r.last_error as string) ?? null,
  nextRetryAt: (r.next_retry_at as string) ?? null,
  leaseUntil: (r.lease_until as string) ?? null,
  pdfFileId: (r.pdf_file_id as string) ?? null,
  pdfSha256: (r.pdf_sha256 as string) ?? null,
  pdfBytes: (r.pdf_bytes as number) ?? null,
  xmlFileId: (r.xml_file_id as string) ?? null,
  xmlSha256: (r.xml_sha256 as string) ?? null,
  xmlBytes: (r.xml_bytes as number) ?? null,
  ofdFileId: (r.ofd_file_id as string) ?? null,
  ofdSha256: (r.ofd_sha256 as string) ?? null,
  ofdBytes: (r.ofd_bytes as number) ?? null,
  color: r.color === 'red' ? 'red' : 'blue',
  originalId: (r.original_id as string) ?? null,
  reversedById: (r.reversed_by_id as string) ?? null,
  replacedById: (r.replaced_by_id as string) ?? null,
  correctionId: (r.correction_id as string) ?? null,
  correctionCount: (r.correction_count as number) ?? 0,
  confirmationNo: (r.confirmation_no as string) ?? null,
})

export function sqliteInvoiceRepo(db: Db): InvoiceRepo {
  const ins = db.prepare(
    `INSERT INTO invoices (id, openid, client_token, status, source, title, email, amount_fen, order_ids, cards, requested_at, attempts,
       color, original_id, reversed_by_id, replaced_by_id, correction_id, correction_count, confirmation_no)
     VALUES (@id, @openid, @clientToken, @status, @source, @title, @email, @amountFen, @orderIds, @cards, @requestedAt, @attempts,
       @color, @originalId, @reversedById, @replacedById, @correctionId, @correctionCount, @confirmationNo)`,
  )
  const insertRow = (inv: StoredInvoice) =>
    ins.run({ ...inv, title: JSON.stringify(inv.title), orderIds: JSON.stringify(inv.orderIds), cards: JSON.stringify(inv.cards) })
  const claim = db.prepare('INSERT INTO invoice_orders (order_id, invoice_id, openid, card_no, requested_at) VALUES (?, ?, ?, ?, ?)')
  const event = db.prepare('INSERT INTO invoice_events (invoice_id, type, at, detail) VALUES (?, ?, ?, ?)')
  const byId = db.prepare<[string], Row>('SELECT * FROM invoices WHERE id = ?')
  const byToken = db.prepare<[string, string], Row>('SELECT * FROM invoices WHERE openid = ? AND client_token = ?')
  const byOrder = db.prepare<[string], Row>('SELECT i.* FROM invoice_orders io JOIN invoices i ON i.id = io.invoice_id WHERE io.order_id = ?')
  const due = db.prepare<[string, string, number], Row>(
    `SELECT * FROM invoices
     WHERE status IN ('requested', 'issuing', 'failed') AND (next_retry_at IS NULL OR next_retry_at <= ?)
       AND (lease_until IS NULL OR lease_until <= ?)
     ORDER BY requested_at LIMIT ?`,
  )
  const withoutFirstMail = db.prepare<[string, string, number], Row>(
    `SELECT i.* FROM invoices i
     WHERE i.status = 'issued' AND i.email IS NOT NULL AND i.issued_at >= ? AND i.issued_at <= ?
       AND NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.invoice_id = i.id AND m.kind = 'issued')
     ORDER BY i.issued_at, i.id LIMIT ?`,
  )
  const events = db.prepare<[string], { type: InvoiceEventType; at: string; detail: string | null }>(
    'SELECT type, at, detail FROM invoice_events WHERE invoice_id = ? ORDER BY seq',
  )

  // The invoice row and the claim of each of its orders commit together or not at all: a
  // claim that hits an order already claimed (PRIMARY KEY order_id) rolls the invoice back.
  const createTx = db.transaction((inv: StoredInvoice, orders: { orderId: string; cardNo: string }[]) => {
    insertRow(inv)
    for (const o of orders) claim.run(o.orderId, inv.id, inv.openid, o.cardNo, inv.requestedAt)
    event.run(inv.id, 'requested', inv.requestedAt, null)
  })

  // Step 3 of a correction in one transaction: the old blue reversed, the new blue created and
  // every claim moved from one to the other. Readers see either all of it or none of it.
  const markReversed = db.prepare(
    `UPDATE invoices SET reversed_by_id = ?, replaced_by_id = ? WHERE id = ? AND color = 'blue' AND status = 'issued' AND reversed_by_id IS NULL`,
  )
  const moveClaims = db.prepare('UPDATE invoice_orders SET invoice_id = ? WHERE invoice_id = ?')
  const claimsOf = db.prepare<[string], { order_id: string }>('SELECT order_id FROM invoice_orders WHERE invoice_id = ?')
  const replaceTx = db.transaction((r: ReplaceInput): 'replaced' | 'already' => {
    const old = byId.get(r.oldId)
    if (!old) throw new Error(`invoice ${r.oldId} not found`)
    if (old.reversed_by_id) {
      if (old.reversed_by_id === r.redId && old.replaced_by_id === r.replacement.id && byId.get(r.replacement.id)) return 'already'
      throw new Error(`invoice ${r.oldId} was reversed by ${old.reversed_by_id as string}, not ${r.redId}`)
    }
    if (markReversed.run(r.redId, r.replacement.id, r.oldId).changes !== 1) throw new Error(`invoice ${r.oldId} cannot be reversed now`)
    const claimed = claimsOf
      .all(r.oldId)
      .map((c) => c.order_id)
      .sort()
    const expected = [...r.replacement.orderIds].sort()
    if (claimed.join(',') !== expected.join(',')) throw new Error(`invoice ${r.oldId}: claims ${claimed.length} differ from its orders`)
    insertRow(r.replacement)
    moveClaims.run(r.replacement.id, r.oldId)
    // the new invoice's first line names the invoice it replaces
    event.run(r.replacement.id, 'requested', r.replacement.requestedAt, r.oldId)
    event.run(r.oldId, 'reversed', r.at, r.redId)
    event.run(r.oldId, 'replaced', r.at, r.replacement.id)
    return 'replaced'
  })

  const sql = statementCache(db)

  return {
    create: async (inv, orders) => {
      try {
        createTx(inv, orders)
      } catch (e) {
        const v = uniqueViolation(e)
        if (v) throw new DuplicateKeyError(v.includes('invoice_orders') ? 'orderId' : v.includes('client_token') ? 'clientToken' : 'invoiceId')
        throw e
      }
    },
    replace: async (input) => replaceTx(input),
    findById: async (id) => {
      const r = byId.get(id)
      return r ? fromRow(r) : null
    },
    findByClientToken: async (openid, token) => {
      const r = byToken.get(openid, token)
      return r ? fromRow(r) : null
    },
    findByOrderId: async (orderId) => {
      const r = byOrder.get(orderId)
      return r ? fromRow(r) : null
    },
    list: async (openid, filter, { limit, cursor }) => {
      const where = ['i.openid = @openid']
      if (filter.status) where.push('i.status = @status')
      if (filter.from) where.push('i.requested_at >= @from')
      if (filter.to) where.push('i.requested_at < @to')
      // By the invoice's own cards, not its claims: a red invoice claims nothing and a reversed
      // one gave its claims away, yet both belong to the card (as the cloud's cardNos array does).
      if (filter.cardNo) where.push(`EXISTS (SELECT 1 FROM json_each(i.cards) c WHERE json_extract(c.value, '$.cardNo') = @cardNo)`)
      if (filter.cardNos) {
        where.push(`EXISTS (SELECT 1 FROM json_each(i.cards) c WHERE json_extract(c.value, '$.cardNo') IN (SELECT value FROM json_each(@cardNos)))`)
      }
      if (filter.title) {
        where.push(`json_extract(i.title, '$.name') = @titleName AND json_extract(i.title, '$.taxId') IS @titleTaxId`)
      }
      if (cursor) where.push('(i.requested_at < @cAt OR (i.requested_at = @cAt AND i.id < @cId))')
      const st = sql(`SELECT i.* FROM invoices i WHERE ${where.join(' AND ')} ORDER BY i.requested_at DESC, i.id DESC LIMIT @limit`)
      const rows = st.all({
        openid,
        status: filter.status,
        from: filter.from,
        to: filter.to,
        cardNo: filter.cardNo,
        cardNos: filter.cardNos ? JSON.stringify(filter.cardNos) : undefined,
        titleName: filter.title?.name,
        titleTaxId: filter.title?.taxId ?? null,
        cAt: cursor?.requestedAt,
        cId: cursor?.id,
        limit,
      }) as Row[]
      return rows.map(fromRow)
    },
    update: async (id, from, patch, opts) => {
      const sets: string[] = []
      const params: Record<string, unknown> = { id }
      for (const [k, v] of Object.entries(patch)) {
        const col = COLUMNS[k]
        if (!col) throw new Error(`invoice field ${k} cannot be updated`)
        sets.push(`${col} = @p_${k}`)
        params[`p_${k}`] = k === 'title' ? JSON.stringify(v) : v
      }
      // who holds the lease, so a restart can release a dead process's lease at once
      if ('leaseUntil' in patch) {
        sets.push('lease_owner = @leaseOwner')
        params.leaseOwner = patch.leaseUntil ? LEASE_OWNER : null
      }
      const states = from.map((s, i) => {
        params[`s${i}`] = s
        return `@s${i}`
      })
      let text = `UPDATE invoices SET ${sets.join(', ')} WHERE id = @id AND status IN (${states.join(',')})`
      if (opts?.leaseFreeAt) {
        text += ' AND (lease_until IS NULL OR lease_until <= @leaseFreeAt)'
        params.leaseFreeAt = opts.leaseFreeAt
      }
      return sql(text).run(params).changes === 1
    },
    due: async (now, limit) => due.all(now, now, limit).map(fromRow),
    issuedWithoutFirstMail: async (since, before, limit) => withoutFirstMail.all(since, before, limit).map(fromRow),
    addEvent: async (id, type, at, detail) => {
      event.run(id, type, at, detail)
    },
    events: async (id) => events.all(id),
  }
}

type OutboxRow = {
  id: string
  invoice_id: string
  openid: string
  to_addr: string
  kind: 'issued' | 'resend'
  status: OutboxItem['status']
  attempts: number
  next_attempt_at: string
  last_error: string | null
  created_at: string
  sent_at: string | null
}

const outboxFromRow = (r: OutboxRow): OutboxItem => ({
  id: r.id,
  invoiceId: r.invoice_id,
  openid: r.openid,
  to: r.to_addr,
  kind: r.kind,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
})

export function sqliteOutboxRepo(db: Db): OutboxRepo {
  const ins = db.prepare(
    `INSERT INTO mail_outbox (id, invoice_id, openid, to_addr, kind, status, attempts, next_attempt_at, last_error, created_at, sent_at)
     VALUES (@id, @invoiceId, @openid, @to, @kind, @status, @attempts, @nextAttemptAt, @lastError, @createdAt, @sentAt)`,
  )
  const due = db.prepare<[string, number], OutboxRow>(
    `SELECT * FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
  )
  const claim = db.prepare(
    `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ?, lease_owner = ? WHERE id = ? AND attempts = ? AND status = 'pending'`,
  )
  const sent = db.prepare(`UPDATE mail_outbox SET status = 'sent', sent_at = ?, last_error = NULL, lease_owner = NULL WHERE id = ?`)
  const retry = db.prepare(`UPDATE mail_outbox SET status = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL WHERE id = ? AND attempts = ?`)
  const latest = db.prepare<[string], OutboxRow>('SELECT * FROM mail_outbox WHERE invoice_id = ? ORDER BY created_at DESC LIMIT 1')
  const latestTo = db.prepare<[string, string], OutboxRow>(
    'SELECT * FROM mail_outbox WHERE invoice_id = ? AND lower(to_addr) = lower(?) ORDER BY created_at DESC LIMIT 1',
  )
  return {
    add: async (item) => {
      try {
        ins.run(item)
        return true
      } catch (e) {
        if (uniqueViolation(e)) return false
        throw e
      }
    },
    due: async (now, limit) => due.all(now, limit).map(outboxFromRow),
    claim: async (id, attempts, leaseUntil) => claim.run(leaseUntil, LEASE_OWNER, id, attempts).changes === 1,
    markSent: async (id, at) => {
      sent.run(at, id)
    },
    markRetry: async (id, attempts, nextAttemptAt, error, giveUp) => {
      retry.run(giveUp ? 'failed' : 'pending', nextAttemptAt, error.slice(0, 500), id, attempts)
    },
    latestFor: async (invoiceId, to) => {
      const r = to === undefined ? latest.get(invoiceId) : latestTo.get(invoiceId, to)
      return r ? outboxFromRow(r) : null
    },
  }
}
