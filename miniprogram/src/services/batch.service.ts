import type { Page } from '@shared/api'
import type { BatchItemView, BatchJobView, BatchPreview, BatchSpec, BatchStatus, BatchSplitMode } from '@shared/batch'
import { callFunction } from './cloud'

/** 企业批量开票: the `batch` function (preview, create, progress, my jobs, cancel). */
export function previewBatch(spec: BatchSpec): Promise<BatchPreview> {
  return callFunction('batch', 'preview', spec)
}

export async function createBatch(spec: BatchSpec, clientToken: string): Promise<BatchJobView> {
  return (await callFunction('batch', 'create', { ...spec, clientToken })).job
}

export function getBatch(jobId: string, from = 1): Promise<{ job: BatchJobView; items: BatchItemView[] }> {
  return callFunction('batch', 'get', { jobId, from, limit: 100 })
}

export function listBatches(cursor: string | null): Promise<Page<BatchJobView>> {
  return callFunction('batch', 'list', cursor ? { cursor, limit: 10 } : { limit: 10 })
}

export async function cancelBatch(jobId: string): Promise<BatchJobView> {
  return (await callFunction('batch', 'cancel', { jobId })).job
}

export const BATCH_STATUS_LABEL: Record<BatchStatus, string> = { running: '进行中', done: '已完成', cancelled: '已取消' }
export const SPLIT_MODE_LABEL: Record<BatchSplitMode, string> = { per_card: '每张卡单独开票', mixed: '多张卡合并开票' }

/** done / total as a whole percentage (0 when there is nothing to do) */
export function percentOf(job: Pick<BatchJobView, 'done' | 'invoiceCount'>): number {
  return job.invoiceCount ? Math.floor((job.done / job.invoiceCount) * 100) : 0
}
