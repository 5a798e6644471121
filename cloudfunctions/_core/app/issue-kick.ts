import { DomainError } from '../domain/errors'
import type { IssueKick } from '../ports/invoke.port'
import type { StoredInvoice } from '../ports/invoice.repo'
import type { Deps } from '../runtime/deps'
import { advanceInvoice } from './invoice.service'

/**
 * The hand-off from a payment to issuing (issue 7 item 5).
 *
 * The payment side (payNotify, reconcile) records the payment and the automatic invoice
 * request, then only starts the invoice worker for that invoice and answers: the provider,
 * rendering, storage and mail all happen in the worker's own invocation, which the platform
 * runs to the end whether or not the caller is still there. The minute timer of the worker is
 * the safety net for a start that never arrives.
 */

/** Invoice ids are ours (INV...), but a kick comes from outside this process: check the shape. */
const INVOICE_ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * Starts the worker for one invoice. Never throws: a failed start is logged and left to the
 * timer, because the payment it follows is already recorded and a non-zero answer would only
 * make WeChat deliver the callback again.
 */
export async function kickIssue(deps: Deps, invoiceId: string): Promise<'started' | 'left_to_timer'> {
  try {
    await deps.invoke.startWorker({ kick: 'issue', invoiceId })
    return 'started'
  } catch (e) {
    deps.log.warn('direct issue not started; the invoice worker timer will issue', {
      invoice: invoiceId,
      error: e instanceof Error ? e.message.slice(0, 200) : String(e).slice(0, 200),
    })
    return 'left_to_timer'
  }
}

/** The kick payload, or null when the event is not one (then the caller refuses it). */
export function parseKick(event: unknown): IssueKick | null {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return null
  const e = event as Record<string, unknown>
  const keys = Object.keys(e)
  if (e.kick !== 'issue' || typeof e.invoiceId !== 'string' || !INVOICE_ID.test(e.invoiceId)) return null
  // Nothing else rides along: the worker must not grow a second, unreviewed input.
  if (keys.some((k) => k !== 'kick' && k !== 'invoiceId')) return null
  return { kick: 'issue', invoiceId: e.invoiceId }
}

export interface KickResult {
  invoiceId: string
  status: StoredInvoice['status']
}

/**
 * The worker's side of a kick: move that one invoice forward, waiting for the provider as long
 * as an inline request would (INVOICE_INLINE_WAIT_MS); what is not done by then the timer
 * finishes. Safe next to the timer and to a second kick: advanceInvoice takes a lease before it
 * talks to the provider and every step is a conditional update.
 */
export async function advanceKicked(deps: Deps, kick: IssueKick): Promise<KickResult> {
  const inv = await deps.invoices.findById(kick.invoiceId)
  if (!inv) throw new DomainError('INVOICE.NOT_FOUND', '找不到该发票')
  const after = await advanceInvoice(deps, inv.id, deps.config.invoice.inlineWaitMs)
  return { invoiceId: after.id, status: after.status }
}
