import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import { isEmail } from '@shared/invoice-rules'
import { Page } from '../../components/page'
import { errorMessage } from '../../services/cloud'
import { routeParam } from '../../services/nav'
import { saveExportZip } from '../../services/ledger.service'
import { ExportForm, filterOf, type ExportFormValue } from './export-form'
import { ExportProgress } from './export-progress'
import { useExportJob, type ExportRequest } from './use-export-job'
import '../ledger.css'

/**
 * 导出发票: one ZIP made in the cloud with every PDF and XML and the ledger (Excel + CSV), by
 * issue date and buyer, or the invoices chosen in 已开票 (?ids=a,b). ?all=1 (我的 → 导出全部发票)
 * starts exporting everything at once: the one-tap backup.
 */
export default function ExportsPage() {
  const params = useRouter().params
  const ids = routeParam(params.ids)
    .split(',')
    .filter((s) => s.length > 0)
  const [form, setForm] = useState<ExportFormValue>({ scope: 'all', title: '', email: '' })
  const [emailError, setEmailError] = useState<string | null>(null)
  const { job, error, busy, start } = useExportJob()
  const auto = useRef(routeParam(params.all) === '1')

  const submit = (req: ExportRequest) => void start(req)
  useEffect(() => {
    if (auto.current) {
      auto.current = false
      submit({ filter: {} })
    }
  })

  const onStart = () => {
    const email = form.email.trim()
    if (email && !isEmail(email)) return setEmailError('邮箱格式不正确，请核对')
    setEmailError(null)
    submit(ids.length ? { invoiceIds: ids, email: email || null } : { filter: filterOf(form.scope, form.title), email: email || null })
  }

  const onDownload = async () => {
    if (!job?.url) return
    try {
      await saveExportZip(job.url, `武汉通发票导出-${job.createdAt.slice(0, 10)}.zip`)
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    }
  }

  return (
    <Page>
      {ids.length ? (
        <View className='hint export-chosen' id='export-chosen'>
          已选 {ids.length} 张发票
        </View>
      ) : (
        <ExportForm value={form} onChange={setForm} />
      )}
      {emailError ? (
        <View className='field-error' id='export-email-error'>
          {emailError}
        </View>
      ) : null}
      <View className='btn-area'>
        <Button className='btn btn--primary' id='export-start' loading={busy} disabled={busy} onClick={onStart}>
          {busy ? '正在导出…' : '开始导出'}
        </Button>
      </View>
      {error ? (
        <View className='error-text' id='export-error'>
          {error}
        </View>
      ) : null}
      {job ? <ExportProgress job={job} onDownload={() => void onDownload()} /> : null}
      <View className='hint'>
        导出内容：每张已开具发票的 PDF、XML（有 OFD 时一并导出）及发票台账（号码、日期、购买方、税号、金额、红蓝字关系、订单、卡号、文件 SHA-256）。
      </View>
    </Page>
  )
}
