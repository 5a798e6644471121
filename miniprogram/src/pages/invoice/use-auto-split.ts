import { useState } from 'react'
import Taro from '@tarojs/taro'
import { planInvoices, type BatchSpec } from '@shared/batch'
import type { InvoiceCaps } from '@shared/domain'
import { useClientToken } from '../../components/use-client-token'
import { createBatch } from '../../services/batch.service'
import { errorMessage } from '../../services/cloud'
import { listAllUninvoiced } from '../../services/invoice.service'
import { listTitles } from '../../services/profile.service'
import { openPage } from '../../services/nav'
import { useTitleChoice } from './use-title-choice'

export interface SplitPlan {
  orderCount: number
  totalFen: number
  invoiceCount: number
}

const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)

/**
 * 全选 over the caps: instead of silently ticking the first top-ups that fit one invoice, offer
 * "按上限自动分成 N 张发票" for all of 待开票, split by the cloud's own rule (types/batch.ts
 * planInvoices, mixed), and run it as a batch job (企业批量开票) over the request window.
 * `offer` answers false when everything fits one invoice (then 全选 simply ticks them all).
 */
export function useAutoSplit() {
  const choice = useTitleChoice()
  const tokenFor = useClientToken()
  const [plan, setPlan] = useState<SplitPlan | null>(null)
  const [caps, setCaps] = useState<InvoiceCaps | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const [group, setGroup] = useState<string | null>(null)

  /** `forGroup`: 待开票 filtered to one card group: the split covers that group only */
  async function offer(withCaps: InvoiceCaps, forGroup: string | null): Promise<boolean> {
    if (busy) return true
    setBusy(true)
    try {
      // all of 待开票, not only the pages on screen: the offer counts what the batch will cover
      const orders = await listAllUninvoiced(forGroup)
      const { groups } = planInvoices(orders, withCaps, 'mixed')
      if (groups.length <= 1) return false
      choice.show(await listTitles())
      setCaps(withCaps)
      setGroup(forGroup)
      setError(null)
      setPlan({ orderCount: orders.length, totalFen: orders.reduce((s, o) => s + o.amountFen, 0), invoiceCount: groups.length })
      return true
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
      return true
    } finally {
      setBusy(false)
    }
  }

  async function confirm() {
    const title = choice.title
    if (!plan || !caps || busy) return
    if (!title) return setError('请选择发票抬头')
    const now = Date.now()
    const spec: BatchSpec = {
      titleId: title.id,
      // the whole request window: what 待开票 lists; the cloud plans the same split again
      period: { kind: 'range', from: day(now - caps.windowDays * 86400_000), to: day(now) },
      cards: group === null ? { kind: 'all' } : { kind: 'group', group },
      mode: 'mixed',
    }
    setBusy(true)
    setError(null)
    try {
      const job = await createBatch(spec, tokenFor({ spec, plan }))
      setPlan(null)
      openPage(`/enterprise/batch-detail/index?id=${encodeURIComponent(job.id)}`)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return { choice, plan, caps, busy, error, offer, confirm, close: () => !busy && setPlan(null) }
}

export type AutoSplit = ReturnType<typeof useAutoSplit>
