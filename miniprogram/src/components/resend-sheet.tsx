import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, View } from '@tarojs/components'
import { BottomSheet } from './bottom-sheet'
import { resendInvoice } from '../services/invoice.service'
import { getSettings, validateEmail } from '../services/profile.service'
import { errorMessage } from '../services/cloud'

/**
 * 发送到邮箱 (补发): the same invoice again to an e-mail address, never a second invoice.
 * Prefilled with the invoice's address, else the default e-mail of 设置.
 */
export function ResendSheet({
  open,
  invoiceId,
  email: invoiceEmail,
  onClose,
  onSent,
}: {
  open: boolean
  invoiceId: string
  email: string | null
  onClose: () => void
  onSent: () => void
}) {
  const [email, setEmail] = useState('')
  const [emailError, setEmailError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const [sendError, setSendError] = useState<string | null>(null)

  useEffect(() => {
    if (!open) return
    setEmail(invoiceEmail ?? '')
    setEmailError(null)
    setSendError(null)
    if (!invoiceEmail) {
      getSettings()
        .then((p) => setEmail((cur) => cur || p.settings.defaultEmail || ''))
        .catch(() => undefined)
    }
  }, [open, invoiceEmail])

  async function onSend() {
    if (sending) return
    const invalid = email.trim() === '' ? '请填写接收邮箱' : validateEmail(email)
    setEmailError(invalid)
    if (invalid) return
    setSending(true)
    setSendError(null)
    try {
      await resendInvoice(invoiceId, email)
      void Taro.showToast({ title: '已加入发送队列', icon: 'success' })
      onSent()
    } catch (e) {
      setSendError(errorMessage(e))
    } finally {
      setSending(false)
    }
  }

  return (
    <BottomSheet
      open={open}
      title='发送到邮箱'
      onClose={() => {
        if (!sending) onClose()
      }}
      footer={
        <View>
          {sendError ? (
            <View className='error-text sheet-error' id='resend-error'>
              {sendError}
            </View>
          ) : null}
          <Button
            className={sending ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
            id='resend-send'
            loading={sending}
            disabled={sending || undefined}
            onClick={() => void onSend()}
          >
            发送
          </Button>
        </View>
      }
    >
      <View className='kv kv--input'>
        <View className='kv__key'>邮箱</View>
        <Input
          id='resend-email-input'
          className='kv__input'
          type='text'
          maxlength={254}
          placeholder='name@example.com'
          value={email}
          onInput={(e) => {
            setEmail(e.detail.value)
            setEmailError(null)
          }}
        />
      </View>
      {emailError ? (
        <View className='error-text sheet-error' id='resend-email-error'>
          {emailError}
        </View>
      ) : null}
      <View className='sheet-notes'>
        <View>同一张发票重新发送，不会重复开票。</View>
        <View>没收到邮件？请查看垃圾邮件箱。</View>
      </View>
    </BottomSheet>
  )
}
