import type { ExportFilter } from '../../../types/ledger'
import { createExport, getExport, listExports } from '../../_core/app/export.service'
import { statement } from '../../_core/app/statement.service'
import { verifyFile, verifyNumber } from '../../_core/app/verify.service'
import { DomainError } from '../../_core/domain/errors'
import { defineFunction } from '../../_core/runtime/define-function'
import type { Check } from '../../_core/runtime/validate'
import { int, optional, str } from '../../_core/runtime/validate'

const ID = str({ min: 1, max: 64 })
const TOKEN = str({ min: 8, max: 64, pattern: /^[A-Za-z0-9_-]+$/ })
const bad = (f: string, why: string): never => {
  throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} ${why}`)
}

const strList =
  (max: number, itemMax: number): Check<string[] | undefined> =>
  (v, f) => {
    if (v === undefined || v === null) return undefined
    if (!Array.isArray(v) || v.length > max || v.some((x) => typeof x !== 'string' || x.length === 0 || x.length > itemMax)) return bad(f, '应为字符串列表')
    return v as string[]
  }

/** Only the known filter fields pass, each a short string; their rules are the service's. */
const filter: Check<ExportFilter | undefined> = (v, f) => {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v)) return bad(f, '应为对象')
  const o = v as Record<string, unknown>
  const field = (k: string, max: number) => optional(str({ max }))(o[k], `${f}.${k}`)
  return { from: field('from', 10), to: field('to', 10), title: field('title', 100), cardNo: field('cardNo', 32) }
}

const nullableEmail: Check<string | null | undefined> = (v, f) => (v === null ? null : optional(str({ max: 254 }))(v, f))

/** ledger: exports (ZIP + 台账), the year statement (对账单) and 验真. */
export const createLedgerHandler = defineFunction('ledger', {
  createExport: {
    schema: { invoiceIds: strList(20000, 64), filter, email: nullableEmail, clientToken: TOKEN },
    run: async (input, ctx, deps) => ({ export: await createExport(deps, ctx.openid, input) }),
  },
  getExport: { schema: { exportId: ID }, run: async (input, ctx, deps) => ({ export: await getExport(deps, ctx.openid, input.exportId) }) },
  listExports: { schema: {}, run: async (_in, ctx, deps) => ({ exports: await listExports(deps, ctx.openid) }) },
  statement: { schema: { year: int({ min: 2000, max: 2200 }) }, run: (input, ctx, deps) => statement(deps, ctx.openid, input.year) },
  verifyFile: {
    schema: { sha256: str({ min: 64, max: 64 }), numbers: strList(5, 20) },
    run: (input, ctx, deps) => verifyFile(deps, ctx.openid, input),
  },
  verifyNumber: {
    schema: { invoiceNo: str({ min: 1, max: 30 }), amountFen: int({ min: -100_000_000, max: 100_000_000 }), issueDate: str({ min: 10, max: 10 }) },
    run: (input, ctx, deps) => verifyNumber(deps, ctx.openid, input),
  },
})
