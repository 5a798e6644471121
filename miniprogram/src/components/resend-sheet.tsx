import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, View } from '@tarojs/components'
import { EMAIL_MAX_LENGTH } from '@shared/invoice-rules'
import { BottomSheet } from './bottom-sheet'
import { inputLabel, live } from './a11y'
import { useResendCooldown } from './use-resend-cooldown'
import { resendInvoice } from '../services/invoice.service'
import { getSettings, validateEmail } from '../services/profile.service'
import { errorMessage, isCloudError } from '../services/cloud'
import { maskEmail } from '../services/format'

/**
 * 发送到邮箱 (补发): the same invoice again to an e-mail address, never a second invoice.
 * Prefilled with the invoice's address, else the default e-mail of 设置. An address sent to a
 * moment ago waits (the cloud says how long; the button counts down); another address goes at once.
 * Past the daily cap (INVOICE.RESEND_LIMIT: per invoice or per person, whatever the address) the
 * cloud's message (明天再试) stays and the button rests until the sheet is opened again.
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
  /** the cloud's words once today's cap is reached: another address would not help */
  const [limit, setLimit] = useState<string | null>(null)
  const cooldown = useResendCooldown(email)

  useEffect(() => {
    if (!open) return
    setEmail(invoiceEmail ?? '')
    setEmailError(null)
    setSendError(null)
    setLimit(null)
    if (!invoiceEmail) {
      getSettings()
        .then((p) => setEmail((cur) => cur || p.settings.defaultEmail || ''))
        .catch(() => undefined)
    }
  }, [open, invoiceEmail])

  async function onSend() {
    if (sending || limit || cooldown.secondsLeft > 0) return
    const invalid = email.trim() === '' ? '请填写接收邮箱' : validateEmail(email)
    setEmailError(invalid)
    if (invalid) return
    setSending(true)
    setSendError(null)
    try {
      const out = await resendInvoice(invoiceId, email)
      void Taro.showToast({ title: `已发送到 ${maskEmail(out.email)}`, icon: 'none' })
      onSent()
    } catch (e) {
      const wait = isCloudError(e) && e.code === 'INVOICE.RESEND_TOO_SOON' ? e.details?.retryAfterSeconds : undefined
      // the countdown says it better than the message
      if (typeof wait === 'number') cooldown.wait(email, wait)
      else if (isCloudError(e) && e.code === 'INVOICE.RESEND_LIMIT') setLimit(errorMessage(e))
      else setSendError(errorMessage(e))
    } finally {
      setSending(false)
    }
  }

  const waiting = !limit && cooldown.secondsLeft > 0
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
          {limit ? (
            <View className='error-text sheet-error' id='resend-limit' {...live()}>
              {limit}
            </View>
          ) : null}
          {waiting ? (
            <View className='hint sheet-error' id='resend-wait'>
              刚刚已发送到这个邮箱，{cooldown.secondsLeft} 秒后可再次发送；发到其他邮箱不用等。
            </View>
          ) : null}
          <Button
            className={sending || waiting || limit ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
            id='resend-send'
            loading={sending}
            disabled={sending || waiting || Boolean(limit) || undefined}
            onClick={() => void onSend()}
          >
            {limit ? '今天已达上限' : waiting ? `${cooldown.secondsLeft} 秒后可再次发送` : '发送'}
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
          maxlength={EMAIL_MAX_LENGTH}
          placeholder='name@example.com'
          value={email}
          onInput={(e) => {
            setEmail(e.detail.value)
            setEmailError(null)
            setSendError(null)
          }}
          {...inputLabel('接收发票的邮箱')}
        />
      </View>
      {emailError ? (
        <View className='error-text sheet-error' id='resend-email-error'>
          {emailError}
        </View>
      ) : null}
      <View className='sheet-notes'>
        <View>发送的是同一张发票，不会重复开票。</View>
        <View>没收到邮件？请查看垃圾邮件箱。</View>
      </View>
    </BottomSheet>
  )
}
