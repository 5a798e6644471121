import { useEffect, useState } from 'react'
import { Button, Input, Picker, View } from '@tarojs/components'
import type { OffPlatformTopup } from '@shared/aftersales'
import { CARD_NO_LENGTH } from '@shared/card-rules'
import { BottomSheet } from '../../components/bottom-sheet'
import type { SheetProps } from '../../components/use-choice-sheet'
import { CHANNELS, checkOffPlatform, todayShanghai, type OffPlatformDraft, type OffPlatformErrors } from '../../services/application.service'
import { groupCardNo, parseYuanToFen } from '../../services/format'
import { inputLabel, pressable } from '../../components/a11y'

export interface OffPlatformArgs {
  limits: { minFen: number; maxFen: number } | null
}

const EMPTY: OffPlatformDraft = { cardNo: '', date: '', amountText: '', channel: null }

function FieldError({ id, text }: { id: string; text?: string }) {
  return text ? (
    <View className='error-text sheet-error' id={id}>
      {text}
    </View>
  ) : null
}

/** One off-platform top-up: card number (Luhn-checked), date, amount and channel. Resolves with it. */
export function OffPlatformSheet({ open, args, settle }: SheetProps<OffPlatformArgs, OffPlatformTopup>) {
  const [draft, setDraft] = useState<OffPlatformDraft>(EMPTY)
  const [errors, setErrors] = useState<OffPlatformErrors>({})

  useEffect(() => {
    if (open) {
      setDraft(EMPTY)
      setErrors({})
    }
  }, [open])

  const set = (patch: Partial<OffPlatformDraft>, key: keyof OffPlatformErrors) => {
    setDraft((cur) => ({ ...cur, ...patch }))
    setErrors((cur) => ({ ...cur, [key]: undefined }))
  }

  function add() {
    const { value, errors: found } = checkOffPlatform(draft, parseYuanToFen, args?.limits ?? null)
    setErrors(found)
    if (value) settle(value)
  }

  return (
    <BottomSheet
      open={open}
      title='添加其他渠道的充值'
      onClose={() => settle(null)}
      footer={
        <Button className='btn btn--primary' id='offplatform-confirm' onClick={add}>
          添加
        </Button>
      }
    >
      <View className='kv kv--input'>
        <View className='kv__key'>卡号</View>
        <Input
          id='offplatform-card-input'
          className='kv__input mono-input'
          type='text'
          {...inputLabel('卡号', { inputMode: 'numeric', autocomplete: 'off' })}
          maxlength={CARD_NO_LENGTH + 3}
          placeholder='卡背面 16 位数字'
          value={groupCardNo(draft.cardNo)}
          onInput={(e) => set({ cardNo: e.detail.value.replace(/\D/g, '').slice(0, CARD_NO_LENGTH) }, 'cardNo')}
        />
      </View>
      <FieldError id='offplatform-card-error' text={errors.cardNo} />
      <Picker mode='date' value={draft.date || todayShanghai()} end={todayShanghai()} onChange={(e) => set({ date: String(e.detail.value) }, 'date')}>
        <View className='kv kv--input' id='offplatform-date' {...pressable(`充值日期 ${draft.date || '请选择'}`)}>
          <View className='kv__key'>充值日期</View>
          <View className={draft.date ? 'kv__input' : 'kv__input picker-value--empty'} id='offplatform-date-value'>
            {draft.date || '请选择'}
          </View>
        </View>
      </Picker>
      <FieldError id='offplatform-date-error' text={errors.date} />
      <View className='kv kv--input'>
        <View className='kv__key'>金额（元）</View>
        <Input
          id='offplatform-amount-input'
          className='kv__input'
          type='digit'
          maxlength={10}
          placeholder='如 100 或 88.50'
          value={draft.amountText}
          onInput={(e) => set({ amountText: e.detail.value }, 'amount')}
          {...inputLabel('金额（元）')}
        />
      </View>
      <FieldError id='offplatform-amount-error' text={errors.amount} />
      <View className='kv'>
        <View className='kv__key'>充值渠道</View>
      </View>
      <View className='chips sheet-chips' id='offplatform-channels'>
        {CHANNELS.map((c) => (
          <View
            key={c.key}
            id={`offplatform-channel-${c.key}`}
            className={draft.channel === c.key ? 'chip chip--on' : 'chip'}
            onClick={() => set({ channel: c.key }, 'channel')}
            {...pressable('', 'radio', { selected: draft.channel === c.key })}
          >
            {c.label}
          </View>
        ))}
      </View>
      <FieldError id='offplatform-channel-error' text={errors.channel} />
      <View className='sheet-notes'>请照充值小票或网点凭证填写，客服会核对；可在表单中上传小票照片。</View>
    </BottomSheet>
  )
}
