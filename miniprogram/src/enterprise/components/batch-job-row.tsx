import { View } from '@tarojs/components'
import type { BatchJobView } from '@shared/batch'
import { decorative, pressable } from '../../components/a11y'
import { BATCH_STATUS_LABEL, percentOf } from '../../services/batch.service'
import { formatDateTime } from '../../services/format'
import { openPage } from '../../services/nav'

/** One of my batch jobs in a list: opens its progress page (resume from any device). */
export function BatchJobRow({ job }: { job: BatchJobView }) {
  const status = job.status === 'running' ? `进行中 ${percentOf(job)}%` : BATCH_STATUS_LABEL[job.status]
  return (
    <View
      className='cell cell--link'
      id={`batch-job-${job.id}`}
      onClick={() => openPage(`/enterprise/batch-detail/index?id=${encodeURIComponent(job.id)}`)}
      {...pressable('', 'link')}
    >
      <View className='cell__body'>
        <View className='cell__title wrap'>{job.titleName}</View>
        <View className='cell__desc'>
          {job.periodLabel} · {job.invoiceCount} 张 · {formatDateTime(job.createdAt)}
        </View>
      </View>
      <View className={`tag batch-tag--${job.status}`}>{status}</View>
      <View className='cell__arrow' {...decorative()} />
    </View>
  )
}
