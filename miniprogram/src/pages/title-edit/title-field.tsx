import { Input, View } from '@tarojs/components'
import { inputLabel } from '../../components/a11y'
import { FieldEcho } from '../../components/field-echo'

/**
 * One labelled field of the title form. In 大字模式 the label goes above the input (cell--field),
 * so a tax ID has the whole row; a long name or address is also shown in full under the field,
 * wrapped, because it is what will be printed and an input shows only part of it.
 */
export function TitleField({
  id,
  label,
  value,
  placeholder,
  maxlength,
  mono,
  echo,
  onInput,
  onBlur,
}: {
  id: string
  label: string
  value: string
  placeholder: string
  maxlength: number
  mono?: boolean
  /** the echo's lead-in, e.g. 将印为 */
  echo?: string
  onInput: (value: string) => void
  onBlur?: (value: string) => void
}) {
  return (
    <View>
      <View className='cell cell--field'>
        <View className='cell__label'>{label}</View>
        <Input
          id={id}
          className={mono ? 'cell__input mono-input' : 'cell__input'}
          type='text'
          maxlength={maxlength}
          placeholder={placeholder}
          value={value}
          onInput={(e) => onInput(e.detail.value)}
          onBlur={(e) => onBlur?.(e.detail.value)}
          {...inputLabel(label)}
        />
      </View>
      {echo ? <FieldEcho id={`${id}-echo`} lead={echo} value={value} /> : null}
    </View>
  )
}
