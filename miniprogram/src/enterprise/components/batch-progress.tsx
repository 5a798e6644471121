import { View } from '@tarojs/components'
import type { BatchJobView } from '@shared/batch'
import { decorative, live } from '../../components/a11y'
import { BATCH_STATUS_LABEL, percentOf } from '../../services/batch.service'
import { formatDateTime, formatFen } from '../../services/format'

/** A job's progress: status, a bar with done / total, and the counters (read out as they change). */
export function BatchProgress({ job }: { job: BatchJobView }) {
  const pct = percentOf(job)
  return (
    <View className='cells batch-progress'>
      <View className='cell'>
        <View className='cell__body'>
          <View className='cell__title wrap'>{job.titleName}</View>
          <View className='cell__desc wrap'>
            {job.periodLabel} · {job.cardsLabel}
          </View>
          <View className='cell__desc'>创建于 {formatDateTime(job.createdAt)}</View>
        </View>
        <View className={`tag batch-tag--${job.status}`}>{BATCH_STATUS_LABEL[job.status]}</View>
      </View>
      <View className='batch-bar' {...decorative()}>
        <View className='batch-bar__fill' style={{ width: `${pct}%` }} />
      </View>
      <View className='batch-count' id='batch-progress-text' {...live()}>
        已处理 {job.done} / {job.invoiceCount} 张（{pct}%）
      </View>
      <View className='kv'>
        <View className='kv__key'>已开票</View>
        <View className='kv__value' id='batch-invoices-created'>
          {job.invoicesCreated} 张 · {job.ordersInvoiced} 笔
        </View>
      </View>
      <View className='kv'>
        <View className='kv__key'>总金额</View>
        <View className='kv__value'>
          {formatFen(job.totalFen)}（{job.orderCount} 笔）
        </View>
      </View>
      {job.ordersSkipped ? (
        <View className='kv'>
          <View className='kv__key'>已跳过</View>
          <View className='kv__value'>{job.ordersSkipped} 笔已在别处开票</View>
        </View>
      ) : null}
      {job.failed ? (
        <View className='kv'>
          <View className='kv__key'>失败</View>
          <View className='kv__value warn-text'>{job.failed} 张</View>
        </View>
      ) : null}
    </View>
  )
}
