import { View } from '@tarojs/components'

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
}: {
  options: SegmentOption<K>[]
  value: K
  onChange: (key: K) => void
  className?: string
}) {
  return (
    <View className={['segmented', className ?? ''].filter(Boolean).join(' ')}>
      {options.map((o) => (
        <View
          key={o.key}
          id={o.id}
          className={o.key === value ? 'segmented__item segmented__item--on' : 'segmented__item'}
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
