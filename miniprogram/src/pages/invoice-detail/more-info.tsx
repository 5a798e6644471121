import { useState, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import type { InvoiceDetail } from '@shared/domain'
import { Timeline } from '../../components/timeline'
import { decorative, pressable } from '../../components/a11y'
import { INVOICE_EVENT_LABEL, shortSha } from '../../services/invoice.service'
import { formatDateTime } from '../../services/format'
import type { PdfActions } from './use-pdf-actions'

function Fact({ label, id, mono, children }: { label: string; id?: string; mono?: boolean; children: ReactNode }) {
  return (
    <View className='cell'>
      <View className='cell__label'>{label}</View>
      <View className={mono ? 'cell__body result-value mono' : 'cell__body result-value'} id={id}>
        {children}
      </View>
    </View>
  )
}

/** 更多信息, folded: times, the e-mail, XML, the files' fingerprints and the history. */
export function MoreInfo({ invoice, pdf }: { invoice: InvoiceDetail; pdf: PdfActions }) {
  const [open, setOpen] = useState(false)
  const history = invoice.history.map((ev) => ({ at: ev.at, text: INVOICE_EVENT_LABEL[ev.type] ?? '处理中' }))
  const issued = invoice.status === 'issued'
  return (
    <View className='more-info'>
      <View className='more-info__toggle' id='more-info-toggle' onClick={() => setOpen(!open)} {...pressable(open ? '收起更多信息' : '展开更多信息')}>
        <View>更多信息</View>
        <View className='more-info__mark' {...decorative()}>
          {open ? '收起 ▴' : '展开 ▾'}
        </View>
      </View>
      {open ? (
        <View className='more-info__body' id='more-info'>
          <View className='cells'>
            <Fact label='申请时间'>{formatDateTime(invoice.requestedAt)}</Fact>
            {invoice.issuedAt ? <Fact label='开具时间'>{formatDateTime(invoice.issuedAt)}</Fact> : null}
            <Fact label='接收邮箱' id='invoice-email'>
              {invoice.email ?? '未填写'}
            </Fact>
            {invoice.pdf ? (
              <Fact label='PDF 指纹' id='pdf-sha' mono>
                {shortSha(invoice.pdf.sha256)}
              </Fact>
            ) : null}
            {invoice.xml ? (
              <Fact label='XML 指纹' id='xml-sha' mono>
                {shortSha(invoice.xml.sha256)}
              </Fact>
            ) : null}
          </View>
          {invoice.pdf ? <View className='hint'>指纹是文件的 SHA-256 前 16 位，可用来核对下载的文件是否完整</View> : null}
          {issued ? (
            <View className='btn-area'>
              <Button className='btn btn--default' id='download-xml' loading={pdf.busy === 'xml'} onClick={() => void pdf.downloadXml()}>
                下载 XML（报销系统导入用）
              </Button>
              <Button
                className='btn btn--default'
                id='copy-number'
                onClick={() => invoice.invoiceNo && void Taro.setClipboardData({ data: invoice.invoiceNo }).catch(() => undefined)}
              >
                复制发票号码
              </Button>
            </View>
          ) : null}
          {history.length > 0 ? (
            <View>
              <View className='section-title'>处理记录</View>
              <Timeline id='invoice-history' items={history} />
            </View>
          ) : null}
        </View>
      ) : null}
    </View>
  )
}
