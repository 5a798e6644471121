import { Input, View } from '@tarojs/components'
import type { PaperAddress } from '@shared/aftersales'
import { PAPER_ADDRESS_MAX, type PaperAddressErrors } from '../../services/paper.service'
import { inputLabel } from '../../components/a11y'

type Key = keyof PaperAddress

const FIELDS: { key: Key; label: string; placeholder: string; max: number; type?: 'number' | 'text' }[] = [
  { key: 'recipient', label: '收件人', placeholder: '姓名', max: PAPER_ADDRESS_MAX.recipient },
  { key: 'phone', label: '联系电话', placeholder: '手机号或带区号的座机', max: PAPER_ADDRESS_MAX.phone },
  { key: 'province', label: '省份', placeholder: '如 湖北省', max: PAPER_ADDRESS_MAX.province },
  { key: 'city', label: '城市', placeholder: '如 武汉市', max: PAPER_ADDRESS_MAX.city },
  { key: 'district', label: '区县', placeholder: '如 江汉区', max: PAPER_ADDRESS_MAX.district },
  { key: 'detail', label: '详细地址', placeholder: '街道、门牌号', max: PAPER_ADDRESS_MAX.detail },
  { key: 'postalCode', label: '邮编', placeholder: '选填，6 位数字', max: 6, type: 'number' },
]

/** The address fields as WeUI cells, each with its message right under it. */
export function AddressForm({
  address,
  errors,
  onChange,
  onBlur,
}: {
  address: PaperAddress
  errors: PaperAddressErrors
  onChange: (key: Key, value: string) => void
  onBlur: (key: Key) => void
}) {
  return (
    <View className='cells' id='paper-form'>
      {FIELDS.map((f) => (
        <View key={f.key} className='field'>
          <View className='cell cell--field'>
            <View className='cell__label'>{f.label}</View>
            <Input
              id={`paper-${f.key}-input`}
              className='cell__input'
              type={f.type ?? 'text'}
              maxlength={f.max}
              placeholder={f.placeholder}
              value={String(address[f.key] ?? '')}
              onInput={(e) => onChange(f.key, e.detail.value)}
              onBlur={() => onBlur(f.key)}
              {...inputLabel(f.label)}
            />
          </View>
          {errors[f.key] ? (
            <View className='field-error' id={`paper-${f.key}-error`}>
              {errors[f.key]}
            </View>
          ) : null}
        </View>
      ))}
    </View>
  )
}
