import { useCallback, useMemo, useState } from 'react'
import Taro from '@tarojs/taro'
import type { InvoiceCaps, TopupOrder } from '@shared/domain'
import { mergeCapProblem } from '@shared/invoice-rules'
import { formatFen } from '../../services/format'

/**
 * Which top-ups of 待开票 are ticked for one invoice. The merge caps are the cloud's own rule
 * (types/invoice-rules.ts): a tick that would break them is refused here with the same words.
 */
export function usePendingSelection(items: TopupOrder[] | null, caps: InvoiceCaps | null) {
  const [selected, setSelected] = useState<Record<string, TopupOrder>>({})
  const list = useMemo(() => Object.values(selected), [selected])
  const totalFen = list.reduce((sum, o) => sum + o.amountFen, 0)

  const refusal = (count: number, total: number) => (caps ? mergeCapProblem(caps, count, total) : null)

  function toggle(order: TopupOrder) {
    if (selected[order.id]) {
      setSelected(({ [order.id]: _off, ...rest }) => rest)
      return
    }
    const problem = refusal(list.length + 1, totalFen + order.amountFen)
    if (problem) {
      void Taro.showToast({ title: problem, icon: 'none' })
      return
    }
    setSelected((current) => ({ ...current, [order.id]: order }))
  }

  const allOn = Boolean(items && items.length > 0 && items.every((o) => selected[o.id]))

  /** 全选: as many as the caps allow, in list order; again: none */
  function selectAll() {
    if (allOn) {
      setSelected({})
      return
    }
    const next: Record<string, TopupOrder> = { ...selected }
    let count = list.length
    let total = totalFen
    let skipped = false
    for (const o of items ?? []) {
      if (next[o.id]) continue
      if (refusal(count + 1, total + o.amountFen)) {
        skipped = true
        continue
      }
      next[o.id] = o
      count += 1
      total += o.amountFen
    }
    setSelected(next)
    if (skipped && caps) void Taro.showToast({ title: `已按上限选择：最多 ${caps.maxOrders} 笔、合计 ${formatFen(caps.maxTotalFen)}`, icon: 'none' })
  }

  /** after a reload: keep only what can still be invoiced (fresh copies), plus `also` */
  const keepOnly = useCallback((fresh: TopupOrder[], also?: TopupOrder) => {
    setSelected((current) => {
      const next: Record<string, TopupOrder> = {}
      for (const o of fresh) if (current[o.id]) next[o.id] = o
      if (also) next[also.id] = also
      return next
    })
  }, [])

  const clear = useCallback(() => setSelected({}), [])

  return { selected, list, count: list.length, totalFen, allOn, toggle, selectAll, keepOnly, clear }
}

export type PendingSelection = ReturnType<typeof usePendingSelection>
