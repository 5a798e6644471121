import { Input, Textarea, View } from '@tarojs/components'
import { APPLICATION_NOTE_MAX, textLength } from '@shared/aftersales-rules'
import type { ApplicationForm } from '../hooks/use-application-form'
import { inputLabel } from '../../components/a11y'
import { FieldEcho } from '../../components/field-echo'

/** E-mail, contact phone (shown in full while typing; lists and staff see it masked) and the note. */
export function ContactSection({ form, notePlaceholder }: { form: ApplicationForm; notePlaceholder: string }) {
  const { fields, set, errors } = form
  return (
    <View>
      <View className='section-title'>联系方式</View>
      <View className='cells'>
        <View className='cell cell--field'>
          <View className='cell__label'>联系电话</View>
          <Input
            id='apply-phone-input'
            className='cell__input'
            type='text'
            {...inputLabel('联系电话', { inputMode: 'tel', autocomplete: 'tel' })}
            maxlength={20}
            placeholder='手机号或带区号的固话'
            value={fields.phone}
            onInput={(e) => set.phone(e.detail.value)}
            onBlur={form.checkPhoneNow}
          />
        </View>
        {errors.phone ? (
          <View className='form-error' id='apply-phone-error'>
            {errors.phone}
          </View>
        ) : null}
        <View className='cell cell--field'>
          <View className='cell__label'>接收邮箱</View>
          <Input
            id='apply-email-input'
            className='cell__input'
            type='text'
            maxlength={254}
            placeholder='选填，开具后发送到这里'
            value={fields.email}
            onInput={(e) => set.email(e.detail.value)}
            {...inputLabel('接收邮箱')}
          />
        </View>
        <FieldEcho id='apply-email-echo' lead='发送到' value={fields.email} over={16} />
        {errors.email ? (
          <View className='form-error' id='apply-email-error'>
            {errors.email}
          </View>
        ) : null}
      </View>
      <View className='hint'>电话仅供客服联系你核对，列表中只显示部分号码。</View>
      <View className='section-title'>说明</View>
      <View className='textarea-cell'>
        <Textarea
          id='apply-note-input'
          className='textarea'
          maxlength={APPLICATION_NOTE_MAX + 50}
          placeholder={notePlaceholder}
          value={fields.note}
          onInput={(e) => set.note(e.detail.value)}
          {...inputLabel('说明')}
        />
        <View className='counter'>
          {textLength(fields.note.trim())}/{APPLICATION_NOTE_MAX}
        </View>
      </View>
      {errors.note ? (
        <View className='form-error' id='apply-note-error'>
          {errors.note}
        </View>
      ) : null}
    </View>
  )
}
