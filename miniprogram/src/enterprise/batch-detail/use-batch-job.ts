import { useCallback, useMemo, useState } from 'react'
import Taro from '@tarojs/taro'
import type { BatchItemView, BatchJobView } from '@shared/batch'
import { usePolling } from '../../components/use-polling'
import { cancelBatch, getBatch } from '../../services/batch.service'
import { errorMessage } from '../../services/cloud'

/**
 * One batch job, watched until it ends (usePolling: growing pauses, resumes when the page, the app
 * or the network comes back), with its planned invoices and 取消 (stops before the next chunk).
 */
export function useBatchJob(jobId: string) {
  const fetch = useMemo(() => (jobId ? () => getBatch(jobId) : null), [jobId])
  const watch = usePolling<{ job: BatchJobView; items: BatchItemView[] }>({
    fetch,
    isSettled: (v) => v.job.status !== 'running',
    firstDelayMs: 800,
    maxDelayMs: 5000,
    limitMs: 10 * 60_000,
  })
  const [cancelling, setCancelling] = useState(false)

  const cancel = useCallback(async () => {
    const { confirm } = await Taro.showModal({
      title: '取消批量开票',
      content: '已开出的发票会保留并照常发送，其余的不再开具。确定取消？',
      confirmText: '取消任务',
      cancelText: '继续开票',
    })
    if (!confirm) return
    setCancelling(true)
    try {
      const job = await cancelBatch(jobId)
      watch.setData((cur) => (cur ? { ...cur, job } : cur))
      void watch.restart()
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 2500 })
    } finally {
      setCancelling(false)
    }
  }, [jobId, watch])

  return { ...watch, cancelling, cancel }
}
