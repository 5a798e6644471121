import { useCallback } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { ErrorState, Loading } from '../../components/state-view'
import { CustomerService } from '../../components/customer-service'
import { StatusSteps, stepsOf } from '../../components/status-steps'
import { Timeline, timelineItems } from '../../components/timeline'
import { useLoader } from '../../components/use-loader'
import { usePaperCancel } from './use-paper-cancel'
import { PAPER_STATUS_LABEL, PAPER_STEP_ORDER, getPaper, paperEnded, paperStatusText } from '../../services/paper.service'
import { invoiceDetailUrl } from '../../services/correction.service'
import { goBack, openPage, routeParam } from '../../services/nav'
import { pressable } from '../../components/a11y'

/** A paper copy by post: where it stands, the tracking number to copy, the timeline, 取消 before printed. */
export default function PaperDetailPage() {
  const paperId = routeParam(useRouter().params.id)
  const fetch = useCallback(() => getPaper(paperId), [paperId])
  const { data: paper, setData, error, retry, reload } = useLoader(fetch)
  const { cancel, cancelling } = usePaperCancel(setData)

  if (!paperId || error) {
    return (
      <Page>
        <ErrorState message={error ?? '缺少申请编号，请从发票详情或「我的申请」进入'} onRetry={() => (paperId ? retry() : goBack())} />
      </Page>
    )
  }
  if (!paper) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }

  const a = paper.address
  return (
    <Page>
      <View className='result'>
        <View className='result__title' id='paper-status'>
          {PAPER_STATUS_LABEL[paper.status]}
        </View>
        <View className='result__desc' id='paper-status-text'>
          {paperStatusText(paper)}
        </View>
      </View>
      <StatusSteps id='paper-steps' steps={stepsOf(PAPER_STEP_ORDER, PAPER_STATUS_LABEL, paper.status, paperEnded(paper.status))} />

      {paper.trackingNo ? (
        <View className='cells'>
          <View className='cell'>
            <View className='cell__label'>{paper.carrier ?? '快递'}</View>
            <View className='cell__body tracking'>
              <Text className='tracking__no mono' id='paper-tracking-no'>
                {paper.trackingNo}
              </Text>
              <Button
                className='btn btn--default btn--mini'
                id='paper-copy-tracking'
                onClick={() => void Taro.setClipboardData({ data: paper.trackingNo ?? '' }).catch(() => undefined)}
              >
                复制
              </Button>
            </View>
          </View>
        </View>
      ) : null}

      <View className='section-title'>收件信息</View>
      <View className='cells' id='paper-address'>
        <View className='cell'>
          <View className='cell__body'>
            <View className='cell__title'>
              {a.recipient} {a.phone}
            </View>
            <View className='cell__desc'>
              {a.province}
              {a.city}
              {a.district} {a.detail}
            </View>
            {a.postalCode ? <View className='cell__desc'>邮编 {a.postalCode}</View> : null}
          </View>
        </View>
        <View
          className='cell cell--link'
          id='paper-invoice'
          hoverClass='cell-hover'
          onClick={() => openPage(invoiceDetailUrl(paper.invoiceId))}
          {...pressable('', 'link')}
        >
          <View className='cell__body'>
            <View className='cell__title'>查看发票</View>
            <View className='cell__desc mono'>{paper.invoiceNo ?? ''}</View>
          </View>
          <View className='cell__arrow' />
        </View>
      </View>

      <View className='section-title'>处理记录</View>
      <Timeline id='paper-timeline' items={timelineItems(paper.timeline)} />

      {paper.status === 'requested' ? (
        <View className='btn-area'>
          <Button className='btn btn--warn' id='paper-cancel' loading={cancelling} onClick={() => void cancel(paper).catch(() => reload())}>
            取消邮寄
          </Button>
        </View>
      ) : null}
      <CustomerService invoiceId={paper.invoiceId} />
    </Page>
  )
}
