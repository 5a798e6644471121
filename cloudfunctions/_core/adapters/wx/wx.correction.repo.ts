import type { CorrectionStatus } from '../../../../types/aftersales'
import { ACTIVE_CORRECTION } from '../../domain/correction'
import type { CorrectionRepo, StoredCorrection } from '../../ports/correction.repo'
import { DuplicateKeyError } from '../../ports/errors'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { getUpTo, isDuplicateWrite, str, strOrNull, titleOf } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

const STATUSES: readonly CorrectionStatus[] = ['requested', 'awaiting_buyer', 'red_issuing', 'reissuing', 'done', 'refused', 'lapsed']

const UPDATABLE: ReadonlySet<string> = new Set([
  'status',
  'activeKey',
  'confirmationNo',
  'confirmDeadline',
  'redInvoiceId',
  'newInvoiceId',
  'failure',
  'nextCheckAt',
  'updatedAt',
])

function fromDoc(d: WxDoc): StoredCorrection {
  // Never guess a status: advancing a correction from a wrong one could issue a red invoice.
  if (!STATUSES.includes(d.status as CorrectionStatus)) throw new Error(`invoice_corrections/${d._id}: unknown status ${String(d.status)}`)
  return {
    id: d._id,
    openid: str(d.openid),
    invoiceId: str(d.invoiceId),
    clientToken: str(d.clientToken),
    status: d.status as CorrectionStatus,
    activeKey: str(d.activeKey),
    reasonCode: '01',
    oldTitle: titleOf(d.oldTitle),
    newTitle: titleOf(d.newTitle),
    email: strOrNull(d.email),
    buyerBooked: d.buyerBooked === true,
    by: d.by === 'staff' ? 'staff' : 'user',
    confirmationNo: strOrNull(d.confirmationNo),
    confirmDeadline: strOrNull(d.confirmDeadline),
    redInvoiceId: strOrNull(d.redInvoiceId),
    newInvoiceId: strOrNull(d.newInvoiceId),
    failure: strOrNull(d.failure),
    nextCheckAt: strOrNull(d.nextCheckAt),
    requestedAt: str(d.requestedAt),
    updatedAt: str(d.updatedAt),
  }
}

/**
 * Corrections in `invoice_corrections` (`_id` = correction id), like sqliteCorrectionRepo.
 * "One correction in progress per invoice" is the unique index on `activeKey` (the blue
 * invoice id while active; the correction's own id once ended, never null because a unique
 * index counts missing values as equal); idempotency is the unique (openid, clientToken).
 */
export function wxCorrectionRepo(db: WxDatabase): CorrectionRepo {
  const _ = db.command
  const col = () => db.collection(WX_COLLECTIONS.corrections)
  const one = async (where: Record<string, unknown>) => {
    const { data } = await col().where(where).limit(1).get()
    return data[0] ? fromDoc(data[0]) : null
  }
  return {
    create: async (c) => {
      try {
        await col().add({
          data: {
            _id: c.id,
            openid: c.openid,
            invoiceId: c.invoiceId,
            clientToken: c.clientToken,
            status: c.status,
            activeKey: c.activeKey,
            reasonCode: c.reasonCode,
            oldTitle: { ...c.oldTitle },
            newTitle: { ...c.newTitle },
            email: c.email,
            buyerBooked: c.buyerBooked,
            by: c.by,
            confirmationNo: c.confirmationNo,
            confirmDeadline: c.confirmDeadline,
            redInvoiceId: c.redInvoiceId,
            newInvoiceId: c.newInvoiceId,
            failure: c.failure,
            nextCheckAt: c.nextCheckAt,
            requestedAt: c.requestedAt,
            updatedAt: c.updatedAt,
            rev: 0,
          },
        })
      } catch (e) {
        if (!isDuplicateWrite(e)) throw e
        // The error does not reliably name the index: ask the data.
        if (await one({ openid: c.openid, clientToken: c.clientToken })) throw new DuplicateKeyError('clientToken')
        if (await one({ activeKey: c.activeKey })) throw new DuplicateKeyError('activeKey')
        throw new DuplicateKeyError('id')
      }
    },
    findById: (id) => one({ _id: id }),
    findByClientToken: (openid, clientToken) => one({ openid, clientToken }),
    findActive: (invoiceId) => one({ activeKey: invoiceId }),
    listForInvoice: async (invoiceId) => (await getUpTo(col().where({ invoiceId }).orderBy('requestedAt', 'desc').orderBy('_id', 'desc'), 100)).map(fromDoc),
    listByStatus: async (statuses, limit) =>
      statuses.length === 0
        ? []
        : (
            await getUpTo(
              col()
                .where({ status: _.in([...statuses]) })
                .orderBy('requestedAt', 'desc')
                .orderBy('_id', 'desc'),
              limit,
            )
          ).map(fromDoc),
    due: async (now, limit) =>
      (
        await getUpTo(
          col()
            .where(_.and([{ status: _.in([...ACTIVE_CORRECTION]) }, _.or([{ nextCheckAt: null }, { nextCheckAt: _.lte(now) }])]))
            .orderBy('requestedAt', 'asc')
            .orderBy('_id', 'asc'),
          limit,
        )
      ).map(fromDoc),
    /** one conditional update (atomic per document); `rev` makes every successful write count */
    update: async (id, from, patch) => {
      if (from.length === 0) return false
      const data: Record<string, unknown> = { rev: _.inc(1) }
      for (const [k, v] of Object.entries(patch)) {
        if (!UPDATABLE.has(k)) throw new Error(`correction field ${k} cannot be updated`)
        if (v !== undefined) data[k] = v
      }
      return (
        (
          await col()
            .where({ _id: id, status: _.in([...from]) })
            .update({ data })
        ).stats.updated === 1
      )
    },
  }
}
