import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { CARD_NO_LENGTH, NICKNAME_MAX_LENGTH, bindCard, validateCardNo, validateNickname } from '../../services/card.service'
import { errorMessage } from '../../services/cloud'
import { groupCardNo } from '../../services/format'
import { goBack } from '../../services/nav'
import { inputLabel } from '../../components/a11y'

// H5 can show the grouped number inside the field (text input with a numeric keypad); the weapp
// number keyboard field cannot hold spaces, so there the grouped number is shown under it.
const GROUP_IN_FIELD = process.env.TARO_ENV === 'h5'

export default function CardAddPage() {
  const [digits, setDigits] = useState('')
  const [nickname, setNickname] = useState('')
  const [touched, setTouched] = useState(false)
  const [submitting, setSubmitting] = useState(false)
  const [serverError, setServerError] = useState<string | null>(null)

  const cardError = validateCardNo(digits)
  const nicknameError = validateNickname(nickname)
  const showCardError = touched && cardError !== null

  function onCardInput(value: string) {
    setDigits(value.replace(/\D/g, '').slice(0, CARD_NO_LENGTH))
    setServerError(null)
    // judge the number once it is complete, or once the user has tried to submit
    if (value.replace(/\D/g, '').length >= CARD_NO_LENGTH) setTouched(true)
  }

  async function onSubmit() {
    setTouched(true)
    if (cardError || nicknameError || submitting) return
    setSubmitting(true)
    setServerError(null)
    try {
      await bindCard(digits, nickname)
      void Taro.showToast({ title: '绑定成功', icon: 'success', duration: 1200 })
      setTimeout(() => goBack({ tab: '/pages/index/index' }), 1200)
    } catch (e) {
      setServerError(errorMessage(e))
      setSubmitting(false)
    }
  }

  return (
    <Page>
      <View className='section-title'>武汉通卡号印在卡片背面，共 {CARD_NO_LENGTH} 位数字</View>
      <View className='cells'>
        <View className='cell cell--field'>
          <View className='cell__label'>卡号</View>
          <Input
            id='card-no-input'
            className='cell__input'
            type={GROUP_IN_FIELD ? 'text' : 'number'}
            maxlength={GROUP_IN_FIELD ? CARD_NO_LENGTH + 3 : CARD_NO_LENGTH}
            placeholder='请输入 16 位卡号'
            value={GROUP_IN_FIELD ? groupCardNo(digits) : digits}
            onInput={(e) => onCardInput(e.detail.value)}
            onBlur={() => digits.length > 0 && setTouched(true)}
            {...inputLabel('卡号', GROUP_IN_FIELD ? { inputMode: 'numeric', autocomplete: 'off' } : {})}
          />
        </View>
        <View className='cell cell--field'>
          <View className='cell__label'>备注名</View>
          <Input
            id='card-nickname-input'
            className='cell__input'
            type='text'
            maxlength={NICKNAME_MAX_LENGTH}
            placeholder={`选填，如"孩子的卡"，最多 ${NICKNAME_MAX_LENGTH} 字`}
            value={nickname}
            {...inputLabel('备注名')}
            onInput={(e) => {
              setNickname(e.detail.value)
              setServerError(null)
            }}
          />
        </View>
      </View>
      {!GROUP_IN_FIELD && digits.length > 0 ? (
        <View className='hint card-preview' id='card-no-preview'>
          {groupCardNo(digits)}
        </View>
      ) : null}
      {showCardError ? (
        <View className='error-text' id='card-no-error'>
          {cardError}
        </View>
      ) : null}
      {nicknameError ? (
        <View className='error-text' id='card-nickname-error'>
          {nicknameError}
        </View>
      ) : null}
      {serverError ? (
        <View className='error-text' id='bind-error'>
          {serverError}
        </View>
      ) : null}
      <View className='btn-area'>
        <Button
          className={submitting ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
          id='bind-card'
          loading={submitting}
          disabled={submitting || undefined}
          onClick={() => void onSubmit()}
        >
          绑定
        </Button>
      </View>
      <View className='hint'>绑定后仅用于在线充值，可在「我的-我的卡片」中解除绑定。</View>
    </Page>
  )
}
