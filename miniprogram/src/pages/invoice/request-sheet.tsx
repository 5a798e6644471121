import type { ReactNode } from 'react'
import { Button, Input, View } from '@tarojs/components'
import { EMAIL_MAX_LENGTH } from '@shared/invoice-rules'
import { BottomSheet } from '../../components/bottom-sheet'
import { inputLabel } from '../../components/a11y'
import { formatFen } from '../../services/format'
import type { InvoiceRequest } from './use-invoice-request'

function Row({ label, id, children }: { label: string; id?: string; children: ReactNode }) {
  return (
    <View className='kv'>
      <View className='kv__key'>{label}</View>
      <View className='kv__value' id={id}>
        {children}
      </View>
    </View>
  )
}

/** 确认开票: what will be printed, the e-mail to send it to, and the one confirm button. */
export function RequestSheet({ request, count, totalFen, onConfirm }: { request: InvoiceRequest; count: number; totalFen: number; onConfirm: () => void }) {
  const title = request.choice.title
  const { submitting, submitError, emailError } = request
  return (
    <BottomSheet
      open={request.step === 'confirm'}
      title='确认开票'
      onClose={request.close}
      footer={
        <View>
          {submitError ? (
            <View className='error-text sheet-error' id='invoice-confirm-error'>
              {submitError}
            </View>
          ) : null}
          <Button
            className={submitting ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
            id='invoice-confirm'
            loading={submitting}
            disabled={submitting || undefined}
            onClick={onConfirm}
          >
            {submitError ? '重新提交' : '确认开票'}
          </Button>
        </View>
      }
    >
      {title ? (
        <View>
          <View className='amount-big' id='invoice-confirm-amount'>
            {formatFen(totalFen)}
          </View>
          <Row label='抬头' id='confirm-title-name'>
            {title.name}
          </Row>
          <Row label='税号' id='confirm-tax-id'>
            {title.taxId ?? '无（个人）'}
          </Row>
          <Row label='金额'>
            {formatFen(totalFen)}（{count} 笔充值）
          </Row>
          <Row label='发票类型'>电子发票（普通发票）</Row>
          <View className='kv kv--input'>
            <View className='kv__key'>接收邮箱</View>
            <Input
              id='invoice-email-input'
              className='kv__input'
              type='text'
              maxlength={EMAIL_MAX_LENGTH}
              placeholder='选填，开具后发送到此邮箱'
              value={request.email}
              onInput={(e) => request.setEmail(e.detail.value)}
              onBlur={request.checkEmail}
              {...inputLabel('接收发票的邮箱（选填）')}
            />
          </View>
          {emailError ? (
            <View className='error-text sheet-error' id='invoice-email-error'>
              {emailError}
            </View>
          ) : null}
          <View className='sheet-notes'>
            <View>开票前请核对抬头和税号，发票开具后不能修改。</View>
            <View>专票不适用于充值：预付卡充值只能开具不征税普通发票。</View>
          </View>
        </View>
      ) : null}
    </BottomSheet>
  )
}
