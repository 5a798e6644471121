import type { ExportStatus } from '../../domain/ledger'
import { DuplicateKeyError } from '../../ports/errors'
import type { LedgerRepo, StoredExport } from '../../ports/ledger.repo'
import { statementCache, uniqueViolation, type Db } from './sqlite.db'

type Row = Record<string, unknown>

/** Fields a conditional update may change, and their columns. */
const COLUMNS: Partial<Record<keyof StoredExport, string>> = {
  status: 'status',
  total: 'total',
  done: 'done',
  zipFileId: 'zip_file_id',
  zipBytes: 'zip_bytes',
  zipSha256: 'zip_sha256',
  mail: 'mail',
  error: 'error',
  attempts: 'attempts',
  finishedAt: 'finished_at',
  leaseUntil: 'lease_until',
}

const fromRow = (r: Row): StoredExport => ({
  id: r.id as string,
  openid: r.openid as string,
  clientToken: r.client_token as string,
  status: r.status as ExportStatus,
  selection: JSON.parse(r.selection as string) as StoredExport['selection'],
  email: (r.email as string) ?? null,
  total: r.total as number,
  done: r.done as number,
  zipFileId: (r.zip_file_id as string) ?? null,
  zipBytes: (r.zip_bytes as number) ?? null,
  zipSha256: (r.zip_sha256 as string) ?? null,
  mail: (r.mail as StoredExport['mail']) ?? null,
  error: (r.error as string) ?? null,
  attempts: r.attempts as number,
  createdAt: r.created_at as string,
  finishedAt: (r.finished_at as string) ?? null,
  leaseUntil: (r.lease_until as string) ?? null,
})

/** Export jobs, rate-limit counters and the SHA-256 lookup of 验真, on SQLite (tables: export_jobs, rate_counters). */
export function sqliteLedgerRepo(db: Db): LedgerRepo {
  const st = statementCache(db)
  return {
    createExport: async (j) => {
      try {
        st(
          `INSERT INTO export_jobs (id, openid, client_token, status, selection, email, total, done, zip_file_id, zip_bytes, zip_sha256,
             mail, error, attempts, created_at, finished_at, lease_until)
           VALUES (@id, @openid, @clientToken, @status, @selection, @email, @total, @done, @zipFileId, @zipBytes, @zipSha256,
             @mail, @error, @attempts, @createdAt, @finishedAt, @leaseUntil)`,
        ).run({ ...j, selection: JSON.stringify(j.selection) })
      } catch (e) {
        const u = uniqueViolation(e)
        if (u) throw new DuplicateKeyError(u.includes('client_token') ? 'clientToken' : 'id')
        throw e
      }
    },
    findExport: async (id) => {
      const r = st('SELECT * FROM export_jobs WHERE id = ?').get(id) as Row | undefined
      return r ? fromRow(r) : null
    },
    findExportByToken: async (openid, clientToken) => {
      const r = st('SELECT * FROM export_jobs WHERE openid = ? AND client_token = ?').get(openid, clientToken) as Row | undefined
      return r ? fromRow(r) : null
    },
    listExports: async (openid, limit) =>
      (st('SELECT * FROM export_jobs WHERE openid = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(openid, limit) as Row[]).map(fromRow),
    updateExport: async (id, from, patch, opts) => {
      const sets: string[] = []
      const params: Record<string, unknown> = { id }
      for (const [k, v] of Object.entries(patch)) {
        const col = COLUMNS[k as keyof StoredExport]
        if (!col) continue
        sets.push(`${col} = @${k}`)
        params[k] = v
      }
      if (!sets.length || !from.length) return false
      const statuses = from.map((s, i) => {
        params[`s${i}`] = s
        return `@s${i}`
      })
      let sql = `UPDATE export_jobs SET ${sets.join(', ')} WHERE id = @id AND status IN (${statuses.join(', ')})`
      if (opts?.leaseFreeAt) {
        sql += ' AND (lease_until IS NULL OR lease_until <= @leaseFreeAt)'
        params.leaseFreeAt = opts.leaseFreeAt
      }
      return st(sql).run(params).changes === 1
    },
    hit: async (key, at) => {
      const r = st(
        `INSERT INTO rate_counters (key, count, first_at) VALUES (?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET count = count + 1 RETURNING count`,
      ).get(key, at) as { count: number }
      return r.count
    },
    invoiceIdsBySha256: async (sha, limit) =>
      (
        st(`SELECT id FROM invoices WHERE status = 'issued' AND (pdf_sha256 = @sha OR xml_sha256 = @sha OR ofd_sha256 = @sha) LIMIT @limit`).all({
          sha,
          limit,
        }) as { id: string }[]
      ).map((r) => r.id),
  }
}
