import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import { openPage, routeParam } from '../../services/nav'
import { BatchProgress } from '../components/batch-progress'
import { BatchItems } from './batch-items'
import { useBatchJob } from './use-batch-job'
import '../batch.css'

/**
 * 批量开票进度: the job's progress while it runs in the cloud (leave and come back, or open it
 * from another phone via 企业批量开票), then the summary with a link to every invoice.
 */
export default function BatchDetailPage() {
  const { params } = useRouter()
  const jobId = routeParam(params.id)
  const { data, error, slow, stale, retry, restart, cancel, cancelling } = useBatchJob(jobId)

  usePullDownRefresh(() => {
    void restart().finally(() => Taro.stopPullDownRefresh())
  })

  if (!jobId) {
    return (
      <Page>
        <Empty
          title='找不到该批量开票任务'
          desc='请从「企业批量开票」的任务列表进入。'
          action='企业批量开票'
          actionId='batch-detail-go'
          onAction={() => openPage('/enterprise/batch/index')}
        />
      </Page>
    )
  }
  if (error && !data) {
    return (
      <Page>
        <ErrorState message={error} onRetry={retry} />
      </Page>
    )
  }
  if (!data) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }
  const { job, items } = data
  const running = job.status === 'running'
  return (
    <Page>
      <BatchProgress job={job} />
      {running ? (
        <View className='hint' id='batch-running-hint'>
          正在云端开票，可以离开此页，稍后在「我的 · 企业批量开票」查看进度。
          {slow || stale ? ' 网络较慢，进度可能稍有延迟。' : ''}
        </View>
      ) : (
        <View className='hint' id='batch-summary'>
          {job.status === 'done' ? '批量开票已完成' : '批量开票已取消'}：开具 {job.invoicesCreated} 张发票，覆盖 {job.ordersInvoiced} 笔充值
          {job.ordersSkipped ? `，${job.ordersSkipped} 笔已在别处开票而跳过` : ''}
          {job.failed ? `，${job.failed} 张失败（原因见下）` : ''}。发票开具后会发送到邮箱，也可在「发票 · 已开票」中查看。
        </View>
      )}
      {job.failures.length ? (
        <View className='cells'>
          {job.failures.map((f) => (
            <View key={f.index} className='cell batch-item--failed'>
              <View className='cell__body'>
                <View className='cell__title'>第 {f.index} 张</View>
                <View className='cell__desc wrap'>{f.reason}</View>
              </View>
            </View>
          ))}
        </View>
      ) : null}
      <View className='section-title'>发票明细</View>
      <BatchItems items={items} />
      {job.invoiceCount > items.length ? <View className='hint'>仅显示前 {items.length} 张，全部发票可在「已开票」中查看</View> : null}
      <View className='btn-area'>
        {running ? (
          <Button className='btn btn--warn' id='batch-cancel' loading={cancelling} onClick={() => void cancel()}>
            取消任务
          </Button>
        ) : (
          <Button className='btn btn--primary' id='batch-new' onClick={() => openPage('/enterprise/batch/index')}>
            新的批量开票
          </Button>
        )}
      </View>
    </Page>
  )
}
