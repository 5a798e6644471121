import { useCallback, useEffect } from 'react'
import Taro from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import type { CorrectionView } from '@shared/aftersales'
import { StatusSteps, stepsOf } from '../../components/status-steps'
import { usePolling } from '../../components/use-polling'
import { ErrorState } from '../../components/state-view'
import {
  CORRECTION_STATUS_LABEL,
  CORRECTION_STEP_LABEL,
  correctionEnded,
  correctionStepOrder,
  correctionText,
  getCorrection,
  invoiceDetailUrl,
  isCorrectionSettled,
} from '../../services/correction.service'
import { formatDateTime } from '../../services/format'
import { replacePage } from '../../services/nav'

/** Settled for this view: waiting for a person (72 h), finished, or the new invoice exists. */
const settled = (c: CorrectionView) => isCorrectionSettled(c.status) || Boolean(c.newInvoiceId)

/**
 * After 确认换开: the steps of the correction, asked again with backoff until it is done (then on to
 * the new invoice), waiting for the buyer (the deadline, and the way back), refused or lapsed.
 */
export function CorrectionProgress({ initial }: { initial: CorrectionView }) {
  const fetch = useCallback(() => getCorrection(initial.id), [initial.id])
  const watch = usePolling<CorrectionView>({ fetch, isSettled: settled, limitMs: 90_000 })
  const c = watch.data ?? initial

  useEffect(() => {
    if (c.newInvoiceId) {
      void Taro.showToast({ title: '换开成功', icon: 'success' })
      replacePage(invoiceDetailUrl(c.newInvoiceId))
    }
  }, [c.newInvoiceId])

  if (watch.error && !watch.data) return <ErrorState message={watch.error} onRetry={watch.retry} />

  return (
    <View id='correction-progress'>
      <View className='result'>
        <View className='result__title' id='correction-status'>
          {CORRECTION_STATUS_LABEL[c.status]}
        </View>
        <View className='result__desc' id='correction-status-text'>
          {correctionText(c, formatDateTime(c.confirmDeadline))}
        </View>
      </View>
      <StatusSteps
        id='correction-progress-steps'
        steps={stepsOf(correctionStepOrder(c.buyerBooked), CORRECTION_STEP_LABEL, c.status, correctionEnded(c.status))}
      />
      {watch.slow ? <View className='hint'>处理时间比平时长，完成后会通知你；可稍后在发票详情查看。</View> : null}
      <View className='btn-area'>
        <Button className='btn btn--default' id='correction-back' onClick={() => replacePage(invoiceDetailUrl(c.invoiceId))}>
          查看原发票
        </Button>
      </View>
    </View>
  )
}
