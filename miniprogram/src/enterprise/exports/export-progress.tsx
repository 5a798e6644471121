import { Button, View } from '@tarojs/components'
import type { ExportView } from '@shared/ledger'
import { decorative, live } from '../../components/a11y'
import { exportProgressText } from '../../services/ledger.service'

const MAIL_TEXT = { attached: '已发送到邮箱（附件）', link: '压缩包较大，已将下载链接发送到邮箱', failed: '邮件发送失败，请在此下载' } as const

/** Where the export stands (files done / total), then the download. */
export function ExportProgress({ job, onDownload }: { job: ExportView; onDownload: (job: ExportView) => void }) {
  const percent = job.total ? Math.round((job.done / job.total) * 100) : 0
  return (
    <View className='result' id='export-progress'>
      <View className='result__title' id='export-status' {...live()}>
        {exportProgressText(job)}
      </View>
      {job.status === 'running' || job.status === 'queued' ? (
        <View className='export-bar' {...decorative()}>
          <View className='export-bar__fill' style={{ width: `${percent}%` }} />
        </View>
      ) : null}
      {job.status === 'done' ? (
        <View className='result__desc'>
          ZIP 内含每张发票的 PDF、XML 与发票台账（Excel、CSV）{job.zipBytes ? `，共 ${(job.zipBytes / 1024 / 1024).toFixed(1)} MB` : ''}
          {job.mail ? `。${MAIL_TEXT[job.mail]}` : ''}
        </View>
      ) : null}
      {job.status === 'done' && job.url ? (
        <View className='btn-area'>
          <Button className='btn btn--primary' id='export-download' onClick={() => onDownload(job)}>
            下载压缩包
          </Button>
          <View className='hint'>下载链接短时有效，过期后重新打开本页即可获取</View>
        </View>
      ) : null}
    </View>
  )
}
