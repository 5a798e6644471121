import { useCallback, useEffect, useRef, useState } from 'react'
import type { InvoiceCaps, TopupOrder } from '@shared/domain'
import { usePagedList } from '../../components/use-paged-list'
import { groupsOf, listCards } from '../../services/card.service'
import { getCaps, listUninvoiced } from '../../services/invoice.service'
import { usePendingSelection } from './use-pending-selection'

/** 待开票: the paid top-ups not yet invoiced (all, or one card group's), the merge caps and the ticked ones. */
export function usePendingInvoices() {
  // issue 8: a company's accountant invoices one department (card group) at a time; null: all
  const [group, setGroup] = useState<string | null>(null)
  const [groups, setGroups] = useState<string[]>([])
  const fetchPage = useCallback((cursor: string | null) => listUninvoiced(cursor, group), [group])
  const list = usePagedList<TopupOrder>(fetchPage)
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
      listCards()
        .then((cards) => setGroups(groupsOf(cards)))
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

  // another group: the list from the top, nothing ticked (a tick of another group would be hidden)
  const first = useRef(true)
  const clear = selection.clear
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    clear()
    void reloadList(true)
  }, [group, reloadList, clear])

  return { list, caps, selection, load, remove, group, setGroup, groups }
}

export type PendingInvoices = ReturnType<typeof usePendingInvoices>
