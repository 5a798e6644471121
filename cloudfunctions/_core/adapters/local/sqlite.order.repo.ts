import type { OrderStatus } from '../../../../types/domain'
import { DuplicateKeyError } from '../../ports/errors'
import type { OrderEventType, OrderRepo, StoredOrder } from '../../ports/order.repo'
import { statementCache, uniqueViolation, type Db } from './sqlite.db'

type Row = {
  id: string
  openid: string
  client_token: string
  card_id: string
  card_no: string
  card_nickname: string
  amount_fen: number
  status: OrderStatus
  created_at: string
  expires_at: string
  paid_at: string | null
  closed_at: string | null
  transaction_id: string | null
  invoice_id: string | null
  auto_invoice_title_id: string | null
  auto_invoice_email: string | null
}

const fromRow = (r: Row): StoredOrder => ({
  id: r.id,
  openid: r.openid,
  clientToken: r.client_token,
  cardId: r.card_id,
  cardNo: r.card_no,
  cardNickname: r.card_nickname,
  amountFen: r.amount_fen,
  status: r.status,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  paidAt: r.paid_at,
  closedAt: r.closed_at,
  transactionId: r.transaction_id,
  invoiceId: r.invoice_id ?? null,
  autoInvoice: r.auto_invoice_title_id ? { titleId: r.auto_invoice_title_id, email: r.auto_invoice_email } : null,
})

/** Orders are read with their live invoice (the claim in invoice_orders), if any. */
const SELECT = 'SELECT o.*, io.invoice_id FROM topup_orders o LEFT JOIN invoice_orders io ON io.order_id = o.id'

export function sqliteOrderRepo(db: Db): OrderRepo {
  const ins = db.prepare(
    `INSERT INTO topup_orders (id, openid, client_token, card_id, card_no, card_nickname, amount_fen, status, created_at, expires_at,
       auto_invoice_title_id, auto_invoice_email)
     VALUES (@id, @openid, @clientToken, @cardId, @cardNo, @cardNickname, @amountFen, @status, @createdAt, @expiresAt,
       @autoTitleId, @autoEmail)`,
  )
  const event = db.prepare('INSERT INTO topup_order_events (order_id, type, at, detail) VALUES (?, ?, ?, ?)')
  const byId = db.prepare<[string], Row>(`${SELECT} WHERE o.id = ?`)
  const byToken = db.prepare<[string, string], Row>(`${SELECT} WHERE o.openid = ? AND o.client_token = ?`)
  const firstPage = db.prepare<[string, number], Row>(`${SELECT} WHERE o.openid = ? ORDER BY o.created_at DESC, o.id DESC LIMIT ?`)
  const nextPage = db.prepare<[string, string, string, string, number], Row>(
    `${SELECT} WHERE o.openid = ? AND (o.created_at < ? OR (o.created_at = ? AND o.id < ?))
     ORDER BY o.created_at DESC, o.id DESC LIMIT ?`,
  )
  const unsettled = db.prepare<[string, number], Row>(`${SELECT} WHERE o.status = 'created' AND o.created_at < ? ORDER BY o.created_at LIMIT ?`)
  const uninvoicedFirst = db.prepare<[string, string, number], Row>(
    `${SELECT} WHERE o.openid = ? AND o.status = 'paid' AND o.paid_at >= ? AND io.order_id IS NULL
     ORDER BY o.paid_at DESC, o.id DESC LIMIT ?`,
  )
  const uninvoicedNext = db.prepare<[string, string, string, string, string, number], Row>(
    `${SELECT} WHERE o.openid = ? AND o.status = 'paid' AND o.paid_at >= ? AND io.order_id IS NULL
       AND (o.paid_at < ? OR (o.paid_at = ? AND o.id < ?))
     ORDER BY o.paid_at DESC, o.id DESC LIMIT ?`,
  )
  const autoPending = db.prepare<[string, string, number], Row>(
    `${SELECT} WHERE o.status = 'paid' AND o.auto_invoice_title_id IS NOT NULL AND io.order_id IS NULL AND o.paid_at >= ? AND o.paid_at < ?
     ORDER BY o.paid_at LIMIT ?`,
  )
  const uninvoicedBetween = db.prepare<[string, string, string, string, string, number], Row>(
    `${SELECT} WHERE o.status = 'paid' AND io.order_id IS NULL AND o.paid_at >= ? AND o.paid_at < ?
       AND (o.paid_at > ? OR (o.paid_at = ? AND o.id > ?))
     ORDER BY o.paid_at, o.id LIMIT ?`,
  )
  const closeStmt = db.prepare(`UPDATE topup_orders SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'created'`)
  const notif = db.prepare(
    `INSERT INTO pay_notifications (out_trade_no, transaction_id, total_fee, result_code, received_at, outcome)
     VALUES (@outTradeNo, @transactionId, @totalFee, @resultCode, @receivedAt, @outcome)`,
  )
  const anomaly = db.prepare(`UPDATE topup_orders SET anomaly = ? WHERE id = ?`)
  const events = db.prepare<[string], { type: OrderEventType; at: string; detail: string | null }>(
    'SELECT type, at, detail FROM topup_order_events WHERE order_id = ? ORDER BY seq',
  )

  const sql = statementCache(db)
  const insertTx = db.transaction((o: StoredOrder) => {
    const { autoInvoice, invoiceId: _i, paidAt: _p, closedAt: _c, transactionId: _t, ...cols } = o
    ins.run({ ...cols, autoTitleId: autoInvoice?.titleId ?? null, autoEmail: autoInvoice?.email ?? null })
    event.run(o.id, 'created', o.createdAt, null)
  })

  return {
    insert: async (o) => {
      try {
        insertTx(o)
      } catch (e) {
        const v = uniqueViolation(e)
        if (v) throw new DuplicateKeyError(v.includes('client_token') ? 'clientToken' : 'outTradeNo')
        throw e
      }
    },
    findById: async (id) => {
      const r = byId.get(id)
      return r ? fromRow(r) : null
    },
    findByClientToken: async (openid, token) => {
      const r = byToken.get(openid, token)
      return r ? fromRow(r) : null
    },
    listByOwner: async (openid, { limit, cursor }) =>
      (cursor ? nextPage.all(openid, cursor.createdAt, cursor.createdAt, cursor.id, limit) : firstPage.all(openid, limit)).map(fromRow),
    markPaid: async (id, from, p) =>
      db.transaction(() => {
        const placeholders = from.map(() => '?').join(',')
        const changed = sql(
          `UPDATE topup_orders SET status = 'paid', paid_at = ?, transaction_id = ?, cash_fen = ?, paid_via = ?
           WHERE id = ? AND status IN (${placeholders})`,
        ).run(p.paidAt, p.transactionId, p.cashFen, p.via, id, ...from).changes
        if (changed === 1) event.run(id, 'paid', p.paidAt, JSON.stringify({ via: p.via, transactionId: p.transactionId }))
        return changed === 1
      })(),
    markClosed: async (id, closedAt, reason) =>
      db.transaction(() => {
        const changed = closeStmt.run(closedAt, id).changes
        if (changed === 1) event.run(id, 'closed', closedAt, reason)
        return changed === 1
      })(),
    listUnsettled: async (before, limit) => unsettled.all(before, limit).map(fromRow),
    recordNotification: async (n) => {
      notif.run(n)
    },
    recordAnomaly: async (id, at, detail) => {
      db.transaction(() => {
        anomaly.run(detail, id)
        event.run(id, 'anomaly', at, detail)
      })()
    },
    events: async (id) => events.all(id),
    findByIds: async (ids) => {
      if (ids.length === 0) return []
      return (sql(`${SELECT} WHERE o.id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Row[]).map(fromRow)
    },
    listUninvoiced: async (openid, since, { limit, cursor }, filter) => {
      if (!filter?.cardNos) {
        return (cursor ? uninvoicedNext.all(openid, since, cursor.paidAt, cursor.paidAt, cursor.id, limit) : uninvoicedFirst.all(openid, since, limit)).map(
          fromRow,
        )
      }
      // 待开票 of one card group (issue 8): the same query, the cards as a JSON list
      const after = cursor ? 'AND (o.paid_at < @cAt OR (o.paid_at = @cAt AND o.id < @cId))' : ''
      return (
        sql(
          `${SELECT} WHERE o.openid = @openid AND o.status = 'paid' AND o.paid_at >= @since AND io.order_id IS NULL
             AND o.card_no IN (SELECT value FROM json_each(@cardNos)) ${after}
           ORDER BY o.paid_at DESC, o.id DESC LIMIT @limit`,
        ).all({ openid, since, cardNos: JSON.stringify(filter.cardNos), limit, ...(cursor ? { cAt: cursor.paidAt, cId: cursor.id } : {}) }) as Row[]
      ).map(fromRow)
    },
    listUninvoicedPaidBetween: async (since, before, { limit, after }) =>
      uninvoicedBetween.all(since, before, after?.paidAt ?? '', after?.paidAt ?? '', after?.id ?? '', limit).map(fromRow),
    listAutoInvoicePending: async (since, before, limit) => autoPending.all(since, before, limit).map(fromRow),
    // Born paid in one transaction with both events: never payable, never half-written.
    createOffPlatform: async (o, paidVia, detail) => {
      if (o.status !== 'paid' || !o.paidAt) throw new Error('createOffPlatform: the order must be paid')
      try {
        db.transaction(() => {
          sql(
            `INSERT INTO topup_orders (id, openid, client_token, card_id, card_no, card_nickname, amount_fen, status, created_at, expires_at,
               paid_at, transaction_id, cash_fen, paid_via)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'paid', ?, ?, ?, ?, ?, ?)`,
          ).run(
            o.id,
            o.openid,
            o.clientToken,
            o.cardId,
            o.cardNo,
            o.cardNickname,
            o.amountFen,
            o.createdAt,
            o.expiresAt,
            o.paidAt,
            o.transactionId,
            o.amountFen,
            paidVia,
          )
          event.run(o.id, 'created', o.createdAt, detail)
          event.run(o.id, 'paid', o.createdAt, JSON.stringify({ via: paidVia, paidAt: o.paidAt }))
        })()
        return true
      } catch (e) {
        if (uniqueViolation(e)) return false
        throw e
      }
    },
  }
}
