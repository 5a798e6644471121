import { View } from '@tarojs/components'
import { group, pressable } from './a11y'

export interface SegmentOption<K extends string> {
  key: K
  label: string
  id: string
}

/** A WeUI-like segmented control (two or three choices), e.g. 待开票 | 已开票, 个人 | 单位. */
export function Segmented<K extends string>({
  options,
  value,
  onChange,
  className,
  label = '切换',
}: {
  options: SegmentOption<K>[]
  value: K
  onChange: (key: K) => void
  className?: string
  /** what the choice is about, read before the options (e.g. 抬头类型) */
  label?: string
}) {
  return (
    <View className={['segmented', className ?? ''].filter(Boolean).join(' ')} {...group(label)}>
      {options.map((o) => (
        <View
          key={o.key}
          id={o.id}
          className={o.key === value ? 'segmented__item segmented__item--on' : 'segmented__item'}
          {...pressable(o.label, 'radio', { selected: o.key === value })}
          onClick={() => {
            if (o.key !== value) onChange(o.key)
          }}
        >
          {o.label}
        </View>
      ))}
    </View>
  )
}
