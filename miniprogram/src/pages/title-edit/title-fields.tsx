import { View } from '@tarojs/components'
import { TITLE_NAME_MAX_LENGTH, normalizeTaxId, validateTitleName } from '../../services/profile.service'
import type { TitleFormState } from './use-title-form'
import { TitleField } from './title-field'

/** 名称 and 税号, with the name's error and the tax ID's inline check under them. */
export function NameAndTaxId({ state }: { state: TitleFormState }) {
  const { form, set, hint, setHint, nameError, setNameError, checkTaxIdNow } = state
  const enterprise = form.kind === 'enterprise'
  return (
    <View>
      <View className='cells'>
        <TitleField
          id='title-name-input'
          label='名称'
          value={form.name}
          maxlength={TITLE_NAME_MAX_LENGTH}
          placeholder={enterprise ? '单位全称（必填）' : '个人姓名（必填）'}
          echo='完整名称'
          onInput={(v) => {
            set('name', v)
            setNameError(null)
          }}
          onBlur={() => form.name !== '' && setNameError(validateTitleName(form.name))}
        />
        <TitleField
          id='title-taxid-input'
          label='税号'
          mono
          value={form.taxId}
          maxlength={20}
          placeholder={enterprise ? '统一社会信用代码（必填）' : '选填'}
          onInput={(v) => {
            set('taxId', normalizeTaxId(v).slice(0, 20))
            setHint(null)
          }}
          onBlur={(v) => void checkTaxIdNow(v)}
        />
      </View>
      {nameError ? (
        <View className='error-text' id='title-name-error'>
          {nameError}
        </View>
      ) : null}
      {hint ? (
        <View className={`field-hint field-hint--${hint.level}`} id='title-taxid-hint'>
          {hint.text}
        </View>
      ) : null}
    </View>
  )
}

/** 单位 only: address, phone and bank, printed on the invoice when filled. */
export function PrintedFields({ state }: { state: TitleFormState }) {
  const { form, set } = state
  return (
    <View>
      <View className='section-title'>以下选填，需要时才会印在发票上</View>
      <View className='cells'>
        <TitleField
          id='title-address-input'
          label='地址'
          value={form.address}
          maxlength={100}
          placeholder='单位地址'
          echo='完整地址'
          onInput={(v) => set('address', v)}
        />
        <TitleField id='title-phone-input' label='电话' value={form.phone} maxlength={30} placeholder='单位电话' onInput={(v) => set('phone', v)} />
        <TitleField
          id='title-bank-input'
          label='开户银行'
          value={form.bankName}
          maxlength={100}
          placeholder='开户银行名称'
          echo='完整名称'
          onInput={(v) => set('bankName', v)}
        />
        <TitleField
          id='title-account-input'
          label='银行账号'
          mono
          value={form.bankAccount}
          maxlength={40}
          placeholder='银行账号'
          onInput={(v) => set('bankAccount', v)}
        />
      </View>
    </View>
  )
}
