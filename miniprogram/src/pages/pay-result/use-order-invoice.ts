import { useCallback, useEffect, useRef, useState } from 'react'
import type { InvoiceSummary } from '@shared/domain'
import { usePolling } from '../../components/use-polling'
import { invoiceForOrder, isInFlight } from '../../services/invoice.service'
import { getSettings } from '../../services/profile.service'

/** with 自动开票 on, how long to wait for the invoice to appear before offering 开票 */
const AUTO_INVOICE_WAIT_MS = 60_000

type Found = { invoice: InvoiceSummary | null }

export type InvoiceState =
  | { kind: 'unknown' }
  | { kind: 'auto-pending' }
  | { kind: 'none' }
  | { kind: 'in-flight'; invoice: InvoiceSummary }
  | { kind: 'issued'; invoice: InvoiceSummary }
  | { kind: 'failed'; invoice: InvoiceSummary }

/**
 * The invoice of a paid order: watched while it is being issued, or (with 自动开票 on) until it
 * appears. Settings also load the subscribe template ids for the taps that follow.
 */
export function useOrderInvoice(orderId: string, paid: boolean): InvoiceState {
  // null until known; a failed read counts as off (开票 is then offered, which is always safe)
  const [auto, setAuto] = useState<boolean | null>(null)
  const autoRef = useRef(auto)
  autoRef.current = auto
  useEffect(() => {
    if (!paid) return
    getSettings()
      .then((p) => setAuto(p.settings.autoInvoice && p.defaultTitle !== null))
      .catch(() => setAuto(false))
  }, [paid])

  const fetch = useCallback(async (): Promise<Found> => ({ invoice: await invoiceForOrder(orderId) }), [orderId])
  const isSettled = useCallback((f: Found) => (f.invoice ? !isInFlight(f.invoice.status) : autoRef.current === false), [])
  const watch = usePolling<Found>({ fetch: paid && orderId ? fetch : null, isSettled, limitMs: AUTO_INVOICE_WAIT_MS })

  const invoice = watch.data?.invoice
  if (watch.data === null || invoice === undefined) return { kind: 'unknown' }
  if (invoice === null) return auto !== false && !watch.slow ? { kind: 'auto-pending' } : { kind: 'none' }
  if (isInFlight(invoice.status)) return { kind: 'in-flight', invoice }
  return invoice.status === 'issued' ? { kind: 'issued', invoice } : { kind: 'failed', invoice }
}

export const INVOICE_STATE_TEXT: Record<InvoiceState['kind'], string> = {
  unknown: '正在查询发票…',
  'auto-pending': '发票开具中…',
  none: '尚未开票',
  'in-flight': '发票开具中…',
  issued: '发票已开具',
  failed: '发票暂未开出，我们会自动重试',
}
