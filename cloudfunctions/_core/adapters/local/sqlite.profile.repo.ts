import type { UserSettings } from '../../../../types/domain'
import type { SettingsRepo, StoredTitle, TitleRepo } from '../../ports/profile.repo'
import type { Db } from './sqlite.db'

type TitleRow = {
  id: string
  openid: string
  kind: 'personal' | 'enterprise'
  name: string
  tax_id: string | null
  address: string | null
  phone: string | null
  bank_name: string | null
  bank_account: string | null
  is_default: number
  tax_id_checksum_ok: number | null
  created_at: string
  updated_at: string
}

const fromRow = (r: TitleRow): StoredTitle => ({
  id: r.id,
  openid: r.openid,
  kind: r.kind,
  name: r.name,
  taxId: r.tax_id,
  address: r.address,
  phone: r.phone,
  bankName: r.bank_name,
  bankAccount: r.bank_account,
  isDefault: r.is_default === 1,
  taxIdChecksumOk: r.tax_id_checksum_ok === null ? null : r.tax_id_checksum_ok === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

export function sqliteTitleRepo(db: Db): TitleRepo {
  const list = db.prepare<[string], TitleRow>('SELECT * FROM invoice_titles WHERE openid = ? ORDER BY is_default DESC, created_at, id')
  const count = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM invoice_titles WHERE openid = ?')
  const byId = db.prepare<[string], TitleRow>('SELECT * FROM invoice_titles WHERE id = ?')
  const clearDefault = db.prepare('UPDATE invoice_titles SET is_default = 0 WHERE openid = ? AND is_default = 1 AND id <> ?')
  const upsert = db.prepare(
    `INSERT INTO invoice_titles (id, openid, kind, name, tax_id, address, phone, bank_name, bank_account, is_default, tax_id_checksum_ok, created_at, updated_at)
     VALUES (@id, @openid, @kind, @name, @taxId, @address, @phone, @bankName, @bankAccount, @isDefault, @checksum, @createdAt, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, tax_id = excluded.tax_id, address = excluded.address,
       phone = excluded.phone, bank_name = excluded.bank_name, bank_account = excluded.bank_account, is_default = excluded.is_default,
       tax_id_checksum_ok = excluded.tax_id_checksum_ok, updated_at = excluded.updated_at
     WHERE invoice_titles.openid = excluded.openid`,
  )
  const del = db.prepare('DELETE FROM invoice_titles WHERE id = ? AND openid = ?')
  const makeDefault = db.prepare('UPDATE invoice_titles SET is_default = 1 WHERE id = ? AND openid = ?')
  // One default per owner is also a partial unique index, so a race can never leave two.
  const saveTx = db.transaction((t: StoredTitle) => {
    if (t.isDefault) clearDefault.run(t.openid, t.id)
    upsert.run({ ...t, isDefault: t.isDefault ? 1 : 0, checksum: t.taxIdChecksumOk === null ? null : t.taxIdChecksumOk ? 1 : 0 })
  })
  // count and insert in one IMMEDIATE transaction: no other writer (request or process) between them
  const limitedTx = db.transaction((t: StoredTitle, max: number) => {
    if (count.get(t.openid)!.n >= max) return false
    saveTx(t)
    return true
  })
  const defaultTx = db.transaction((openid: string, id: string) => {
    clearDefault.run(openid, id)
    return makeDefault.run(id, openid).changes === 1
  })
  return {
    listByOwner: async (openid) => list.all(openid).map(fromRow),
    countByOwner: async (openid) => count.get(openid)!.n,
    findById: async (id) => {
      const r = byId.get(id)
      return r ? fromRow(r) : null
    },
    save: async (t) => saveTx(t),
    insertWithinLimit: async (t, max) => limitedTx.immediate(t, max),
    remove: async (openid, id) => del.run(id, openid).changes === 1,
    setDefault: async (openid, id) => defaultTx(openid, id),
  }
}

export function sqliteSettingsRepo(db: Db): SettingsRepo {
  const get = db.prepare<[string], { auto_invoice: number; default_email: string | null }>(
    'SELECT auto_invoice, default_email FROM user_settings WHERE openid = ?',
  )
  const put = db.prepare(
    `INSERT INTO user_settings (openid, auto_invoice, default_email) VALUES (?, ?, ?)
     ON CONFLICT (openid) DO UPDATE SET auto_invoice = excluded.auto_invoice, default_email = excluded.default_email`,
  )
  const read = (openid: string): UserSettings => {
    const r = get.get(openid)
    return { autoInvoice: r?.auto_invoice === 1, defaultEmail: r?.default_email ?? null }
  }
  const updateTx = db.transaction((openid: string, patch: Partial<UserSettings>) => {
    const next = { ...read(openid), ...patch }
    put.run(openid, next.autoInvoice ? 1 : 0, next.defaultEmail)
    return next
  })
  return {
    get: async (openid) => read(openid),
    update: async (openid, patch) => updateTx(openid, patch),
  }
}
