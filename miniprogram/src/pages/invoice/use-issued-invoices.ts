import { useCallback, useEffect, useRef, useState } from 'react'
import type { Card, InvoiceSummary, InvoiceTitle } from '@shared/domain'
import { usePagedList } from '../../components/use-paged-list'
import { getInvoice, listInvoices, type InvoiceFilters } from '../../services/invoice.service'
import { listCards } from '../../services/card.service'
import { listTitles } from '../../services/profile.service'
import { takeHandOff } from '../../services/handoff'
import { openPage } from '../../services/nav'

export const NO_FILTERS: InvoiceFilters = { status: 'all', month: null, cardNo: null, titleId: null, group: null }

/**
 * 已开票: the invoices with their filters. Loaded on the segment's first opening; coming back
 * from a detail page refreshes the one invoice opened, or the whole list after a new request.
 */
export function useIssuedInvoices() {
  const [filters, setFilters] = useState<InvoiceFilters>(NO_FILTERS)
  const fetchPage = useCallback((cursor: string | null) => listInvoices(cursor, filters), [filters])
  const list = usePagedList<InvoiceSummary>(fetchPage)
  const [cards, setCards] = useState<Card[]>([])
  const [titles, setTitles] = useState<InvoiceTitle[]>([])
  const started = useRef(false)
  const opened = useRef<string | null>(null)

  // a change of filters reloads from the top; before the first opening there is nothing to reload
  const reload = list.reload
  useEffect(() => {
    if (started.current) void reload(true)
  }, [filters, reload])

  /** the segment's first opening */
  const start = useCallback(() => {
    if (started.current) return
    started.current = true
    listCards()
      .then(setCards)
      .catch(() => undefined)
    listTitles()
      .then(setTitles)
      .catch(() => undefined)
    void reload(true)
  }, [reload])

  function open(inv: InvoiceSummary) {
    opened.current = inv.id
    openPage(`/pages/invoice-detail/index?id=${encodeURIComponent(inv.id)}`)
  }

  const setItems = list.setItems
  /** the page shows again (Back from a detail page) */
  const refreshOnShow = useCallback(() => {
    const changed = takeHandOff('invoice.listChanged')
    if (!started.current) return
    const id = opened.current
    opened.current = null
    if (changed) void reload(false)
    else if (id) {
      getInvoice(id)
        .then((inv) => setItems((cur) => (cur ?? []).map((x) => (x.id === inv.id ? inv : x))))
        .catch(() => undefined)
    }
  }, [reload, setItems])

  const filtered = filters.status !== 'all' || filters.month !== null || filters.cardNo !== null || filters.titleId != null || filters.group != null

  return { list, filters, setFilters, filtered, cards, titles, start, open, refreshOnShow }
}

export type IssuedInvoices = ReturnType<typeof useIssuedInvoices>
