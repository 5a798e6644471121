import { Button, Input, Textarea, View } from '@tarojs/components'
import { TICKET_TEXT_MAX, textLength } from '@shared/aftersales-rules'
import { PhotoPicker } from '../../components/photo-picker'
import type { useTicketForm } from '../hooks/use-ticket-form'
import { inputLabel } from '../../components/a11y'

/** The message, screenshots and an optional phone of a new ticket; 提交. */
export function TicketCompose({ form }: { form: ReturnType<typeof useTicketForm> }) {
  const attached = form.invoiceId ? '已关联这张发票，客服可直接查看' : form.orderId ? '已关联这笔充值，客服可直接查看' : null
  return (
    <View>
      <View className='section-title'>描述问题</View>
      <View className='textarea-cell'>
        <Textarea
          id='ticket-text-input'
          className='textarea'
          maxlength={TICKET_TEXT_MAX + 50}
          placeholder='发生了什么、什么时候、期望怎么处理'
          value={form.text}
          onInput={(e) => form.setText(e.detail.value)}
          {...inputLabel('描述问题')}
        />
        <View className='counter'>
          {textLength(form.text.trim())}/{TICKET_TEXT_MAX}
        </View>
      </View>
      {form.errors.text ? (
        <View className='error-text' id='ticket-text-error'>
          {form.errors.text}
        </View>
      ) : null}
      {attached ? (
        <View className='hint' id='ticket-attached'>
          {attached}
        </View>
      ) : null}
      <View className='section-title'>截图</View>
      <PhotoPicker uploads={form.photos} idPrefix='ticket' />
      {form.errors.photos ? <View className='error-text'>{form.errors.photos}</View> : null}
      <View className='section-title'>联系电话（选填）</View>
      <View className='cells'>
        <View className='cell'>
          <View className='cell__label'>电话</View>
          <Input
            id='ticket-phone-input'
            className='cell__input'
            type='text'
            {...inputLabel('联系电话', { inputMode: 'tel', autocomplete: 'tel' })}
            maxlength={20}
            placeholder='需要电话联系时填写'
            value={form.phone}
            onInput={(e) => form.setPhone(e.detail.value)}
          />
        </View>
        {form.errors.phone ? (
          <View className='form-error' id='ticket-phone-error'>
            {form.errors.phone}
          </View>
        ) : null}
      </View>
      {form.submitError ? (
        <View className='error-text' id='ticket-submit-error'>
          {form.submitError}
        </View>
      ) : null}
      <View className='btn-area'>
        <Button
          className={form.submitting ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
          id='ticket-submit'
          loading={form.submitting}
          disabled={form.submitting || undefined}
          onClick={() => void form.submit()}
        >
          提交
        </Button>
      </View>
      <View className='hint center'>客服通常在 1 个工作日内回复，回复后会通知你。</View>
    </View>
  )
}
