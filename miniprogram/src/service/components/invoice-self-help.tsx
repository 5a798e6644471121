import { useState } from 'react'
import { Button, View } from '@tarojs/components'
import type { InvoiceDetail } from '@shared/domain'
import { ResendSheet } from '../../components/resend-sheet'
import { invoiceMailState } from '../../services/ticket.service'
import { formatFen } from '../../services/format'
import { openPage } from '../../services/nav'

/**
 * 没收到发票, before any ticket: the invoice's real state (开具中 / 已开具 at X, sent to a***@x.com
 * or the mail failed) and the steps that solve most cases: the spam folder, 重新发送, 下载 PDF.
 * Only 仍需人工帮助 goes on to the form.
 */
export function InvoiceSelfHelp({
  invoice,
  onResent,
  onSolved,
  onNeedHelp,
}: {
  invoice: InvoiceDetail
  onResent: () => void
  onSolved: () => void
  onNeedHelp: () => void
}) {
  const [resend, setResend] = useState(false)
  const { state, text } = invoiceMailState(invoice)
  const issued = invoice.status === 'issued'
  const warn = state === 'failed' || state === 'email_failed' || state === 'no_email'
  return (
    <View>
      <View className='section-title'>
        这张发票的状态 · {invoice.title.name} · {formatFen(invoice.amountFen)}
      </View>
      <View className='selfhelp' id='selfhelp'>
        <View className={warn ? 'selfhelp__state selfhelp__state--warn' : 'selfhelp__state'} id='selfhelp-state' data-state={state}>
          {text}
        </View>
        {issued ? (
          <View>
            <View className='selfhelp__step'>
              <View className='selfhelp__no'>1</View>
              <View className='selfhelp__body'>
                <View>查看垃圾邮件箱</View>
                <View className='selfhelp__desc'>发票邮件有时会被误判为广告，请在垃圾箱或广告邮件中搜索「发票」。</View>
              </View>
            </View>
            <View className='selfhelp__step'>
              <View className='selfhelp__no'>2</View>
              <View className='selfhelp__body'>
                <View>重新发送到邮箱</View>
                <View className='selfhelp__desc'>可换一个邮箱，发送的是同一张发票，不会重复开票。</View>
                <Button className='btn btn--default btn--mini selfhelp__action' id='selfhelp-resend' onClick={() => setResend(true)}>
                  重新发送
                </Button>
              </View>
            </View>
            <View className='selfhelp__step'>
              <View className='selfhelp__no'>3</View>
              <View className='selfhelp__body'>
                <View>直接下载 PDF</View>
                <View className='selfhelp__desc'>在发票详情中下载，保存或转发给财务。</View>
                <Button
                  className='btn btn--default btn--mini selfhelp__action'
                  id='selfhelp-open-invoice'
                  onClick={() => openPage(`/pages/invoice-detail/index?id=${encodeURIComponent(invoice.id)}`)}
                >
                  打开发票详情
                </Button>
              </View>
            </View>
          </View>
        ) : null}
      </View>
      <View className='btn-area'>
        <Button className='btn btn--primary' id='selfhelp-solved' onClick={onSolved}>
          问题已解决
        </Button>
        <Button className='btn btn--default' id='selfhelp-need-help' onClick={onNeedHelp}>
          仍需人工帮助
        </Button>
      </View>
      <ResendSheet
        open={resend}
        invoiceId={invoice.id}
        email={invoice.email}
        onClose={() => setResend(false)}
        onSent={() => {
          setResend(false)
          onResent()
        }}
      />
    </View>
  )
}
