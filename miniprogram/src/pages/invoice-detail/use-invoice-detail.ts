import { useCallback, useState } from 'react'
import type { InvoiceDetail } from '@shared/domain'
import { usePolling } from '../../components/use-polling'
import { getInvoice, isInFlight } from '../../services/invoice.service'
import { isCorrectionMoving } from '../../services/correction.service'

/** Keep asking while the invoice is being issued or its correction is being carried out. */
function isSettled(inv: InvoiceDetail): boolean {
  const moving = inv.correction?.active ? isCorrectionMoving(inv.correction.active.status) : false
  return !isInFlight(inv.status) && !moving
}

/** The invoice of the page, watched through the one polling hook, and its chain partners. */
export function useInvoiceDetail(invoiceId: string) {
  const fetchInvoice = useCallback(() => getInvoice(invoiceId), [invoiceId])
  const watch = usePolling<InvoiceDetail>({ fetch: invoiceId ? fetchInvoice : null, isSettled })
  const [partners, setPartners] = useState<Record<string, InvoiceDetail>>({})
  const invoice = watch.data
  const red = invoice?.color === 'red'
  const blueNo = red && invoice?.chain.originalId ? (partners[invoice.chain.originalId]?.invoiceNo ?? null) : null
  return { watch, invoice, setPartners, blueNo }
}
