import type { OrderStatus } from '../../../../types/domain'
import { DuplicateKeyError } from '../../ports/errors'
import type { OrderEventType, OrderRepo, StoredOrder } from '../../ports/order.repo'
import { uniqueViolation, type Db } from './sqlite.db'

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
})

export function sqliteOrderRepo(db: Db): OrderRepo {
  const ins = db.prepare(
    `INSERT INTO topup_orders (id, openid, client_token, card_id, card_no, card_nickname, amount_fen, status, created_at, expires_at)
     VALUES (@id, @openid, @clientToken, @cardId, @cardNo, @cardNickname, @amountFen, @status, @createdAt, @expiresAt)`,
  )
  const event = db.prepare('INSERT INTO topup_order_events (order_id, type, at, detail) VALUES (?, ?, ?, ?)')
  const byId = db.prepare<[string], Row>('SELECT * FROM topup_orders WHERE id = ?')
  const byToken = db.prepare<[string, string], Row>('SELECT * FROM topup_orders WHERE openid = ? AND client_token = ?')
  const firstPage = db.prepare<[string, number], Row>(
    'SELECT * FROM topup_orders WHERE openid = ? ORDER BY created_at DESC, id DESC LIMIT ?',
  )
  const nextPage = db.prepare<[string, string, string, string, number], Row>(
    `SELECT * FROM topup_orders WHERE openid = ? AND (created_at < ? OR (created_at = ? AND id < ?))
     ORDER BY created_at DESC, id DESC LIMIT ?`,
  )
  const unsettled = db.prepare<[string, number], Row>(
    `SELECT * FROM topup_orders WHERE status = 'created' AND created_at < ? ORDER BY created_at LIMIT ?`,
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

  const insertTx = db.transaction((o: StoredOrder) => {
    ins.run(o)
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
        const changed = db
          .prepare(
            `UPDATE topup_orders SET status = 'paid', paid_at = ?, transaction_id = ?, cash_fen = ?, paid_via = ?
             WHERE id = ? AND status IN (${placeholders})`,
          )
          .run(p.paidAt, p.transactionId, p.cashFen, p.via, id, ...from).changes
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
  }
}
