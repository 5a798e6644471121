import { useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { Page } from '../../components/page'
import { Segmented } from '../../components/segmented'
import { takeHandOff } from '../../services/handoff'
import { useInvoiceTabBadge } from '../../components/use-uninvoiced'
import { openPage } from '../../services/nav'
import { usePendingInvoices } from './use-pending-invoices'
import { useIssuedInvoices } from './use-issued-invoices'
import { useInvoiceRequest } from './use-invoice-request'
import { PendingList } from './pending-list'
import { MergeBar } from './merge-bar'
import { IssuedList } from './issued-list'
import { TitleSheet } from './title-sheet'
import { RequestSheet } from './request-sheet'
import { SplitSheet } from './split-sheet'
import { PendingFilter } from './pending-filter'
import { useAutoSplit } from './use-auto-split'

type Segment = 'pending' | 'issued'

const SEGMENTS = [
  { key: 'pending' as const, label: '待开票', id: 'seg-pending' },
  { key: 'issued' as const, label: '已开票', id: 'seg-issued' },
]

/**
 * 发票 (tab): 待开票 — tick paid top-ups, 开票, pick a title, confirm — and 已开票 — the
 * invoices, filtered. The state lives in the hooks of this folder, the parts in its components.
 */
export default function InvoicePage() {
  const [segment, setSegment] = useState<Segment>('pending')
  // the tab's badge counts what 待开票 shows: kept right on every show
  useInvoiceTabBadge()
  const pending = usePendingInvoices()
  const issued = useIssuedInvoices()
  const { selection } = pending
  const request = useInvoiceRequest({
    onRequested: (invoice, orderIds) => {
      pending.remove(orderIds)
      selection.clear()
      openPage(`/pages/invoice-detail/index?id=${encodeURIComponent(invoice.id)}`)
    },
    onStale: () => void pending.load(false),
  })
  const split = useAutoSplit()
  const shownOnce = useRef(false)

  /** 全选: all of them when they fit one invoice; over the caps, the automatic split is offered */
  async function selectAll() {
    if (selection.allOn || !pending.caps || !(await split.offer(pending.caps, pending.group))) selection.selectAll()
  }

  function switchSegment(next: Segment) {
    setSegment(next)
    if (next === 'issued') issued.start()
  }

  useDidShow(() => {
    // from pay-result (switchTab carries no query): tick that order in 待开票
    const preselect = takeHandOff('invoice.preselectOrder')
    if (preselect) setSegment('pending')
    const first = !shownOnce.current
    shownOnce.current = true
    // the first showing loads with the loading state; coming back refreshes quietly
    void pending.load(first, preselect)
    if (first) return
    issued.refreshOnShow()
    // back from the title editor with the title sheet up: list again and pick the new title
    request.choice.refresh(request.step === 'title')
  })

  usePullDownRefresh(() => {
    const done = segment === 'pending' ? pending.load(false) : issued.list.reload(false)
    void done.finally(() => Taro.stopPullDownRefresh())
  })

  useReachBottom(() => {
    void (segment === 'pending' ? pending.list.loadMore() : issued.list.loadMore())
  })

  const hasPending = Boolean(pending.list.items && pending.list.items.length > 0)

  return (
    <Page>
      <View className='segmented-bar'>
        <Segmented options={SEGMENTS} value={segment} onChange={switchSegment} />
      </View>
      {segment === 'pending' ? (
        <View className={hasPending ? 'with-bottom-bar' : undefined}>
          <PendingFilter group={pending.group} groups={pending.groups} onChange={pending.setGroup} />
          <PendingList pending={pending} onRetry={() => void pending.load(true)} onSelectAll={() => void selectAll()} />
          {hasPending ? (
            <MergeBar
              count={selection.count}
              totalFen={selection.totalFen}
              caps={pending.caps}
              busy={request.preparing}
              onSubmit={() => void request.start(selection.count)}
            />
          ) : null}
        </View>
      ) : (
        <IssuedList issued={issued} onGoPending={() => switchSegment('pending')} />
      )}

      <TitleSheet open={request.step === 'title'} choice={request.choice} onClose={request.close} onNext={request.toConfirm} />
      <SplitSheet split={split} />
      <RequestSheet request={request} count={selection.count} totalFen={selection.totalFen} onConfirm={() => void request.confirm(selection.list)} />
    </Page>
  )
}
