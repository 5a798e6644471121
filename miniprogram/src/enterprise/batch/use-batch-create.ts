import { useState } from 'react'
import type { BatchSpec } from '@shared/batch'
import { useClientToken } from '../../components/use-client-token'
import { createBatch } from '../../services/batch.service'
import { errorMessage } from '../../services/cloud'
import { replacePage } from '../../services/nav'

/**
 * 确认开票: records the batch job once per confirmed spec (the same clientToken on every tap and
 * retry, so a lost answer never makes a second job) and opens its progress page.
 */
export function useBatchCreate(onProblem: (message: string) => void) {
  const tokenFor = useClientToken()
  const [busy, setBusy] = useState(false)
  async function create(spec: BatchSpec) {
    if (busy) return
    setBusy(true)
    try {
      const job = await createBatch(spec, tokenFor(spec))
      replacePage(`/enterprise/batch-detail/index?id=${encodeURIComponent(job.id)}`)
    } catch (e) {
      onProblem(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  return { busy, create }
}
