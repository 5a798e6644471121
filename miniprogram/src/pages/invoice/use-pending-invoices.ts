import { useCallback, useState } from 'react'
import type { InvoiceCaps, TopupOrder } from '@shared/domain'
import { usePagedList } from '../../components/use-paged-list'
import { getCaps, listUninvoiced } from '../../services/invoice.service'
import { usePendingSelection } from './use-pending-selection'

/** 待开票: the paid top-ups not yet invoiced, the merge caps and the ticked ones. */
export function usePendingInvoices() {
  const list = usePagedList<TopupOrder>(listUninvoiced)
  const [caps, setCaps] = useState<InvoiceCaps | null>(null)
  const selection = usePendingSelection(list.items, caps)

  const reloadList = list.reload
  const keepOnly = selection.keepOnly
  /** reset: show the loading state; `select`: an order to tick once it is listed (from pay-result) */
  const load = useCallback(
    async (reset = false, select?: string | null) => {
      getCaps()
        .then(setCaps)
        .catch(() => undefined)
      const items = await reloadList(reset)
      if (!items) return
      keepOnly(
        items,
        items.find((o) => o.id === select),
      )
    },
    [reloadList, keepOnly],
  )

  const setItems = list.setItems
  /** after a request: those orders are no longer 待开票 */
  const remove = useCallback(
    (ids: string[]) => {
      const done = new Set(ids)
      setItems((cur) => (cur ?? []).filter((o) => !done.has(o.id)))
    },
    [setItems],
  )

  return { list, caps, selection, load, remove }
}

export type PendingInvoices = ReturnType<typeof usePendingInvoices>
