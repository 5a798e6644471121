import type { CorrectionStatus } from '../../../../types/aftersales'
import type { TitleSnapshot } from '../../../../types/domain'
import { ACTIVE_CORRECTION } from '../../domain/correction'
import type { CorrectionPatch, CorrectionRepo, StoredCorrection } from '../../ports/correction.repo'
import { DuplicateKeyError } from '../../ports/errors'
import { statementCache, uniqueViolation, type Db } from './sqlite.db'

type Row = Record<string, unknown>

const COLUMNS: Record<keyof CorrectionPatch, string> = {
  status: 'status',
  activeKey: 'active_key',
  confirmationNo: 'confirmation_no',
  confirmDeadline: 'confirm_deadline',
  redInvoiceId: 'red_invoice_id',
  newInvoiceId: 'new_invoice_id',
  failure: 'failure',
  nextCheckAt: 'next_check_at',
  updatedAt: 'updated_at',
}

const fromRow = (r: Row): StoredCorrection => ({
  id: r.id as string,
  openid: r.openid as string,
  invoiceId: r.invoice_id as string,
  clientToken: r.client_token as string,
  status: r.status as CorrectionStatus,
  activeKey: r.active_key as string,
  reasonCode: '01',
  oldTitle: JSON.parse(r.old_title as string) as TitleSnapshot,
  newTitle: JSON.parse(r.new_title as string) as TitleSnapshot,
  email: (r.email as string) ?? null,
  buyerBooked: r.buyer_booked === 1,
  by: r.by_whom === 'staff' ? 'staff' : 'user',
  confirmationNo: (r.confirmation_no as string) ?? null,
  confirmDeadline: (r.confirm_deadline as string) ?? null,
  redInvoiceId: (r.red_invoice_id as string) ?? null,
  newInvoiceId: (r.new_invoice_id as string) ?? null,
  failure: (r.failure as string) ?? null,
  nextCheckAt: (r.next_check_at as string) ?? null,
  requestedAt: r.requested_at as string,
  updatedAt: r.updated_at as string,
})

/** Corrections in `invoice_corrections`; UNIQUE(active_key) is "one in progress per invoice". */
export function sqliteCorrectionRepo(db: Db): CorrectionRepo {
  const ins = db.prepare(
    `INSERT INTO invoice_corrections (id, openid, invoice_id, client_token, status, active_key, reason_code, old_title, new_title, email,
       buyer_booked, by_whom, confirmation_no, confirm_deadline, red_invoice_id, new_invoice_id, failure, next_check_at, requested_at, updated_at)
     VALUES (@id, @openid, @invoiceId, @clientToken, @status, @activeKey, @reasonCode, @oldTitle, @newTitle, @email,
       @buyerBooked, @by, @confirmationNo, @confirmDeadline, @redInvoiceId, @newInvoiceId, @failure, @nextCheckAt, @requestedAt, @updatedAt)`,
  )
  const sql = statementCache(db)
  const active = ACTIVE_CORRECTION.map((s) => `'${s}'`).join(',')
  return {
    create: async (c) => {
      try {
        ins.run({ ...c, oldTitle: JSON.stringify(c.oldTitle), newTitle: JSON.stringify(c.newTitle), buyerBooked: c.buyerBooked ? 1 : 0 })
      } catch (e) {
        const v = uniqueViolation(e)
        if (v) throw new DuplicateKeyError(v.includes('active_key') ? 'activeKey' : v.includes('client_token') ? 'clientToken' : 'id')
        throw e
      }
    },
    findById: async (id) => {
      const r = sql('SELECT * FROM invoice_corrections WHERE id = ?').get(id) as Row | undefined
      return r ? fromRow(r) : null
    },
    findByClientToken: async (openid, token) => {
      const r = sql('SELECT * FROM invoice_corrections WHERE openid = ? AND client_token = ?').get(openid, token) as Row | undefined
      return r ? fromRow(r) : null
    },
    findActive: async (invoiceId) => {
      const r = sql('SELECT * FROM invoice_corrections WHERE active_key = ?').get(invoiceId) as Row | undefined
      return r ? fromRow(r) : null
    },
    listForInvoice: async (invoiceId) =>
      (sql('SELECT * FROM invoice_corrections WHERE invoice_id = ? ORDER BY requested_at DESC, id DESC LIMIT 100').all(invoiceId) as Row[]).map(fromRow),
    listByStatus: async (statuses, limit) => {
      if (statuses.length === 0) return []
      const marks = statuses.map(() => '?').join(',')
      return (
        sql(`SELECT * FROM invoice_corrections WHERE status IN (${marks}) ORDER BY requested_at DESC, id DESC LIMIT ?`).all(...statuses, limit) as Row[]
      ).map(fromRow)
    },
    due: async (now, limit) =>
      (
        sql(
          `SELECT * FROM invoice_corrections WHERE status IN (${active}) AND (next_check_at IS NULL OR next_check_at <= ?)
           ORDER BY requested_at, id LIMIT ?`,
        ).all(now, limit) as Row[]
      ).map(fromRow),
    update: async (id, from, patch) => {
      if (from.length === 0) return false
      const sets: string[] = []
      const params: Record<string, unknown> = { id }
      for (const [k, v] of Object.entries(patch)) {
        const col = COLUMNS[k as keyof CorrectionPatch]
        if (!col) throw new Error(`correction field ${k} cannot be updated`)
        if (v === undefined) continue
        sets.push(`${col} = @p_${k}`)
        params[`p_${k}`] = v
      }
      if (sets.length === 0) return false
      const states = from.map((s, i) => {
        params[`s${i}`] = s
        return `@s${i}`
      })
      return sql(`UPDATE invoice_corrections SET ${sets.join(', ')} WHERE id = @id AND status IN (${states.join(',')})`).run(params).changes === 1
    },
  }
}
