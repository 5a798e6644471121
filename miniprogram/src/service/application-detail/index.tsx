import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import type { ApplicationStatus } from '@shared/aftersales'
import { Page } from '../../components/page'
import { ErrorState, Loading } from '../../components/state-view'
import { useLoader } from '../../components/use-loader'
// after-sales.css (timeline, customer service) before status-steps.css, the order the other pages use
import { Timeline, timelineItems } from '../../components/timeline'
import { CustomerService } from '../../components/customer-service'
import { StatusSteps, stepsOf } from '../../components/status-steps'
import { APPLICATION_STATUS_LABEL, canWithdraw, getApplication, withdrawApplication } from '../../services/application.service'
import { errorMessage } from '../../services/cloud'
import { ApplicationFacts } from '../components/application-facts'
import { openPage, replacePage, routeParam } from '../../services/nav'
import '../service.css'
import { COLOR } from '../../styles/colors'

const PATH: ApplicationStatus[] = ['submitted', 'in_review', 'approved', 'done']

function steps(status: ApplicationStatus) {
  // a rejection or a withdrawal ends the path after the last step it reached (we only know the status)
  if (status === 'rejected') return stepsOf(PATH, APPLICATION_STATUS_LABEL, status, { after: 'in_review' })
  if (status === 'withdrawn') return stepsOf(PATH, APPLICATION_STATUS_LABEL, status, { after: 'submitted' })
  return stepsOf(PATH, APPLICATION_STATUS_LABEL, status)
}

const NEXT_STEP: Record<ApplicationStatus, string> = {
  submitted: '已提交，客服通常在 1-2 个工作日内审核，审核结果会通知你。',
  in_review: '客服正在审核，如需补充材料会电话联系你。',
  approved: '审核已通过，发票正在开具，完成后会发送到邮箱。',
  done: '发票已开具，可查看、下载或发送到邮箱。',
  rejected: '申请未通过。可按原因修改后重新申请，或通过问题反馈联系客服。',
  withdrawn: '申请已撤回。需要时可重新申请。',
}

function againUrl(app: { type: string; invoiceId: string | null }): string {
  return app.type === 'correction' && app.invoiceId
    ? `/service/application-new/index?type=correction&invoiceId=${encodeURIComponent(app.invoiceId)}`
    : '/service/application-new/index?type=supplement'
}

/** One application: where it stands, what was asked, its timeline, the invoice it produced; 撤回. */
export default function ApplicationDetailPage() {
  const { params } = useRouter()
  const id = routeParam(params.id)
  const { data: app, setData, error, retry } = useLoader(() => (id ? getApplication(id) : Promise.reject(new Error('缺少申请编号'))))
  const [busy, setBusy] = useState(false)

  async function withdraw() {
    if (!app || busy) return
    const { confirm } = await Taro.showModal({
      title: '撤回申请',
      content: '撤回后客服不再处理这份申请，需要时可重新申请。确定撤回？',
      confirmText: '撤回',
      confirmColor: COLOR.danger,
    })
    if (!confirm) return
    setBusy(true)
    try {
      setData(await withdrawApplication(app.id))
      void Taro.showToast({ title: '已撤回', icon: 'success' })
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  if (error) {
    return (
      <Page>
        <ErrorState message={id ? error : '缺少申请编号，请从「我的申请」进入'} onRetry={retry} />
      </Page>
    )
  }
  if (!app) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }

  return (
    <Page>
      <StatusSteps steps={steps(app.status)} id='application-steps' />
      <View className='hint' id='application-status' data-status={app.status}>
        {APPLICATION_STATUS_LABEL[app.status]}：{NEXT_STEP[app.status]}
      </View>
      {app.status === 'rejected' && app.rejectReason ? (
        <View className='reject-box' id='application-reject'>
          <View className='reject-box__title'>未通过的原因</View>
          <View>{app.rejectReason}</View>
        </View>
      ) : null}
      {app.resultInvoiceId ? (
        <View className='btn-area'>
          <Button
            className='btn btn--primary'
            id='application-invoice'
            onClick={() => openPage(`/pages/invoice-detail/index?id=${encodeURIComponent(app.resultInvoiceId as string)}`)}
          >
            查看发票
          </Button>
        </View>
      ) : null}
      {app.status === 'rejected' || app.status === 'withdrawn' ? (
        <View className='btn-area'>
          <Button className='btn btn--default' id='application-again' onClick={() => replacePage(againUrl(app))}>
            重新申请
          </Button>
        </View>
      ) : null}

      <ApplicationFacts app={app} />

      <View className='section-title'>处理记录</View>
      <Timeline id='application-timeline' items={timelineItems(app.timeline)} />

      {canWithdraw(app.status) ? (
        <View className='btn-area'>
          <Button className='btn btn--warn' id='application-withdraw' loading={busy} disabled={busy || undefined} onClick={() => void withdraw()}>
            撤回申请
          </Button>
        </View>
      ) : null}
      <CustomerService invoiceId={app.resultInvoiceId ?? app.invoiceId} hint='对审核有疑问？可联系客服或提交问题反馈。' />
    </Page>
  )
}
