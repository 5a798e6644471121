import { View } from '@tarojs/components'
import type { InvoiceDetail } from '@shared/domain'
import { StatusSteps, stepsOf } from './status-steps'
import {
  CORRECTION_STATUS_LABEL,
  correctionApplicationUrl,
  CORRECTION_STEP_LABEL,
  correctionPageUrl,
  correctionStepOrder,
  isLiveBlue,
} from '../services/correction.service'
import { PAPER_STATUS_LABEL, isPaperActive, paperDetailUrl, paperFormUrl } from '../services/paper.service'
import { formatDateTime } from '../services/format'
import { openPage } from '../services/nav'
import './after-sales.css'
import { decorative, pressable } from './a11y'

/**
 * 换开 on the detail page: the entry (发票有误？申请换开), the correction in progress with its
 * steps, or why self-service is closed and the way on (an application reviewed by staff).
 */
function CorrectionPart({ invoice }: { invoice: InvoiceDetail }) {
  const c = invoice.correction
  if (invoice.color !== 'blue' || !c) return null
  if (c.active) {
    const a = c.active
    const text = a.status === 'awaiting_buyer' ? `待购买方确认，截止 ${formatDateTime(a.confirmDeadline)}` : CORRECTION_STATUS_LABEL[a.status]
    return (
      <View className='cells'>
        <View
          className='cell'
          id='correction-active'
          hoverClass='cell-hover'
          onClick={() => openPage(correctionPageUrl(invoice.id))}
          {...pressable('', 'link')}
        >
          <View className='cell__body'>
            <View className='cell__title'>换开进度</View>
            <View className='cell__desc warn-text' id='correction-active-status'>
              {text}
            </View>
          </View>
          <View className='cell__arrow' {...decorative()} />
        </View>
        <StatusSteps id='correction-steps' steps={stepsOf(correctionStepOrder(a.buyerBooked), CORRECTION_STEP_LABEL, a.status)} />
      </View>
    )
  }
  if (!isLiveBlue(invoice)) return null
  if (c.allowed) {
    return (
      <View className='cells'>
        <View
          className='cell cell--link'
          id='correction-entry'
          hoverClass='cell-hover'
          onClick={() => openPage(correctionPageUrl(invoice.id))}
          {...pressable('', 'link')}
        >
          <View className='cell__body'>
            <View className='cell__title'>发票有误？申请换开</View>
            <View className='cell__desc'>
              抬头或税号填错可换开：原发票红冲作废，重开一张新发票
              {c.windowEndsAt ? `（${formatDateTime(c.windowEndsAt).slice(0, 10)} 前可自助换开）` : ''}
            </View>
          </View>
          <View className='cell__arrow' {...decorative()} />
        </View>
      </View>
    )
  }
  return (
    <View className='cells'>
      <View className='cell'>
        <View className='cell__body'>
          <View className='cell__title'>发票有误？</View>
          <View className='cell__desc' id='correction-closed-reason'>
            {c.reason ?? '这张发票暂不能自助换开'}
          </View>
        </View>
      </View>
      {c.routeToApplication ? (
        <View
          className='cell cell--link'
          id='correction-apply'
          hoverClass='cell-hover'
          onClick={() => openPage(correctionApplicationUrl(invoice.id))}
          {...pressable('', 'link')}
        >
          <View className='cell__body'>
            <View className='cell__title'>申请人工换开</View>
            <View className='cell__desc'>提交申请，客服审核后为你换开</View>
          </View>
          <View className='cell__arrow' {...decorative()} />
        </View>
      ) : null}
    </View>
  )
}

/** 邮寄纸质版: the request form, or the active request's status linking to its detail. */
function PaperPart({ invoice }: { invoice: InvoiceDetail }) {
  const p = invoice.paper
  if (p && isPaperActive(p.status)) {
    return (
      <View className='cells'>
        <View className='cell' id='paper-status' hoverClass='cell-hover' onClick={() => openPage(paperDetailUrl(p.id))} {...pressable('', 'link')}>
          <View className='cell__body'>
            <View className='cell__title'>纸质版邮寄</View>
            <View className='cell__desc'>
              {PAPER_STATUS_LABEL[p.status]}
              {p.trackingNo ? ` · ${p.carrier ?? ''} ${p.trackingNo}` : ''}
            </View>
          </View>
          <View className='cell__arrow' {...decorative()} />
        </View>
      </View>
    )
  }
  if (!isLiveBlue(invoice)) return null
  return (
    <View className='cells'>
      <View className='cell cell--link' id='paper-entry' hoverClass='cell-hover' onClick={() => openPage(paperFormUrl(invoice.id))} {...pressable('', 'link')}>
        <View className='cell__body'>
          <View className='cell__title'>邮寄纸质版</View>
          <View className='cell__desc'>{p ? `上次申请：${PAPER_STATUS_LABEL[p.status]}。` : ''}打印件与电子发票具有同等效力，寄到你填写的地址</View>
        </View>
        <View className='cell__arrow' {...decorative()} />
      </View>
    </View>
  )
}

/** After-sales entries under the detail page's actions: 换开 and 邮寄纸质版. */
export function InvoiceAfterSales({ invoice }: { invoice: InvoiceDetail }) {
  return (
    <View id='invoice-after-sales'>
      <CorrectionPart invoice={invoice} />
      <PaperPart invoice={invoice} />
    </View>
  )
}
