import { useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import type { BatchJobView } from '@shared/batch'
import { BottomSheet } from '../../components/bottom-sheet'
import { Page } from '../../components/page'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import { listBatches } from '../../services/batch.service'
import { formatFen, maskTaxId } from '../../services/format'
import { openPage } from '../../services/nav'
import { BatchJobRow } from '../components/batch-job-row'
import { BatchPreviewView } from '../components/batch-preview'
import { BatchSpecForm } from '../components/batch-spec-form'
import { useBatchCreate } from './use-batch-create'
import { useBatchForm } from './use-batch-form'
import '../batch.css'

const BAR_CLASS = process.env.TARO_ENV === 'h5' ? 'bottom-bar bottom-bar--h5-tab' : 'bottom-bar'

/**
 * 企业批量开票: pick a title, months and cards -> 预览 (the split under the caps) -> 确认 -> the
 * job runs in the cloud (progress page). Jobs already started are listed on top, so a batch
 * started on another phone can be followed here.
 */
export default function BatchPage() {
  const form = useBatchForm()
  const [jobs, setJobs] = useState<BatchJobView[]>([])
  const [confirming, setConfirming] = useState(false)
  const { busy, create } = useBatchCreate((m) => {
    setConfirming(false)
    form.setProblem(m)
  })

  useDidShow(() => {
    listBatches(null)
      .then((p) => setJobs(p.items.slice(0, 3)))
      .catch(() => undefined) // the list is a convenience; the form works without it
  })

  if (form.loadError) {
    return (
      <Page>
        <ErrorState message={form.loadError} onRetry={() => void form.reload()} />
      </Page>
    )
  }
  if (!form.titles || !form.cards) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }
  if (form.titles.length === 0) {
    return (
      <Page>
        <Empty
          title='还没有发票抬头'
          desc='批量开票需要单位抬头（含税号），请先添加。'
          action='添加抬头'
          actionId='batch-add-title'
          onAction={() => openPage('/pages/title-edit/index')}
        />
      </Page>
    )
  }

  const preview = form.preview
  const title = form.titles.find((t) => t.id === form.titleId)
  return (
    <Page>
      <View className='with-bottom-bar'>
        {jobs.length ? (
          <View>
            <View className='section-title'>最近的批量任务</View>
            <View className='cells'>
              {jobs.map((j) => (
                <BatchJobRow key={j.id} job={j} />
              ))}
            </View>
          </View>
        ) : null}
        <View className='hint'>选择抬头、月份和卡片，先预览拆分结果，确认后在云端开票，可随时离开，稍后回来查看进度。</View>
        <BatchSpecForm form={form} />
        {form.problem ? (
          <View className='form-error error-text' id='batch-problem'>
            {form.problem}
          </View>
        ) : null}
        {preview ? <BatchPreviewView preview={preview} /> : null}
      </View>
      <View className={BAR_CLASS} id='batch-bar'>
        <View className='bottom-bar__info'>
          <View className='bottom-bar__sum'>{preview ? `${preview.orderCount} 笔 · ${formatFen(preview.totalFen)}` : '先预览拆分结果'}</View>
        </View>
        {preview && preview.invoiceCount > 0 ? (
          <Button className='btn btn--primary btn--bar' id='batch-confirm' onClick={() => setConfirming(true)}>
            开票 {preview.invoiceCount} 张
          </Button>
        ) : (
          <Button className='btn btn--primary btn--bar' id='batch-preview-btn' loading={form.previewing} onClick={() => void form.runPreview()}>
            预览
          </Button>
        )}
      </View>
      <BottomSheet
        open={confirming && !!preview}
        title='确认批量开票'
        onClose={() => setConfirming(false)}
        footer={
          <Button className='btn btn--primary' id='batch-create' loading={busy} onClick={() => form.spec && void create(form.spec)}>
            确认开票
          </Button>
        }
      >
        <View className='sheet-notes wrap'>
          抬头：{title?.name}
          {title?.taxId ? `（${maskTaxId(title.taxId)}）` : ''}
        </View>
        <View className='sheet-notes'>
          {preview?.orderCount} 笔充值，共 {formatFen(preview?.totalFen ?? 0)}，开具 {preview?.invoiceCount} 张发票。
        </View>
        <View className='sheet-notes'>开具后发送到默认邮箱；重复提交不会重复开票。</View>
      </BottomSheet>
    </Page>
  )
}
