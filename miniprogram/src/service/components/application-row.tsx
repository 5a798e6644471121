import { View } from '@tarojs/components'
import type { ApplicationView, PaperRequestView } from '@shared/aftersales'
import {
  APPLICATION_STATUS_LABEL,
  APPLICATION_STATUS_TAG,
  APPLICATION_TYPE_LABEL,
  PAPER_STATUS_LABEL,
  PAPER_STATUS_TAG,
} from '../../services/application.service'
import { formatDateTime, formatFen } from '../../services/format'
import { openPage } from '../../services/nav'
import { pressable } from '../../components/a11y'

/** "2 笔充值记录 · 1 笔其他渠道充值 ¥100.00" / "发票换开" */
export function applicationWhat(app: ApplicationView): string {
  if (app.type === 'correction') return '发票换开（超出自助换开范围）'
  const parts: string[] = []
  if (app.orderIds.length > 0) parts.push(`${app.orderIds.length} 笔充值记录`)
  if (app.offPlatform.length > 0) {
    const sum = app.offPlatform.reduce((acc, t) => acc + t.amountFen, 0)
    parts.push(`${app.offPlatform.length} 笔其他渠道充值 ${formatFen(sum)}`)
  }
  return parts.join(' · ') || '补开发票'
}

export function ApplicationRow({ app }: { app: ApplicationView }) {
  return (
    <View
      className='cell'
      id={`application-${app.id}`}
      hoverClass='cell-hover'
      onClick={() => openPage(`/service/application-detail/index?id=${encodeURIComponent(app.id)}`)}
      {...pressable('', 'link')}
    >
      <View className='cell__body'>
        <View className='cell__title row-title'>
          {APPLICATION_TYPE_LABEL[app.type]}申请 · {app.title.name}
        </View>
        <View className='cell__desc'>{applicationWhat(app)}</View>
        <View className='cell__desc'>{formatDateTime(app.createdAt)}</View>
      </View>
      <View className='row-side'>
        <View className={`tag ${APPLICATION_STATUS_TAG[app.status]}`}>{APPLICATION_STATUS_LABEL[app.status]}</View>
      </View>
      <View className='cell__arrow' />
    </View>
  )
}

/** A paper-copy request; its detail page belongs to the aftersales subpackage. */
export function PaperRow({ paper }: { paper: PaperRequestView }) {
  return (
    <View
      className='cell'
      id={`paper-${paper.id}`}
      hoverClass='cell-hover'
      onClick={() => openPage(`/aftersales/paper-detail/index?id=${encodeURIComponent(paper.id)}`)}
      {...pressable('', 'link')}
    >
      <View className='cell__body'>
        <View className='cell__title row-title'>邮寄纸质版 · {paper.address.recipient}</View>
        <View className='cell__desc'>发票号码 {paper.invoiceNo ?? '—'}</View>
        <View className='cell__desc'>{paper.trackingNo ? `${paper.carrier ?? ''} ${paper.trackingNo}` : formatDateTime(paper.createdAt)}</View>
      </View>
      <View className='row-side'>
        <View className={`tag ${PAPER_STATUS_TAG[paper.status]}`}>{PAPER_STATUS_LABEL[paper.status]}</View>
      </View>
      <View className='cell__arrow' />
    </View>
  )
}
