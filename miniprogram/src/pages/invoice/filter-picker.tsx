import { Picker, View } from '@tarojs/components'
import { pressable } from '../../components/a11y'

/** One filter chip over a selector picker: 已开票 and 待开票 share it so the chip looks and reads the same. */
export function FilterPicker({
  id,
  name,
  range,
  index,
  on,
  onPick,
}: {
  id: string
  /** Spoken before the choice, e.g. 分组 → "分组：全部分组". */
  name: string
  range: string[]
  index: number
  /** Highlighted when the filter narrows the list. */
  on: boolean
  onPick: (index: number) => void
}) {
  return (
    <Picker mode='selector' range={range} value={index} onChange={(e) => onPick(Number(e.detail.value))}>
      <View className={on ? 'filter filter--on' : 'filter'} id={id} {...pressable(`${name}：${range[index]}`)}>
        {range[index]} ▾
      </View>
    </Picker>
  )
}

/**
 * The 分组 choices: all, each group, then 未分组 (cards without a group, stored as '').
 * null (or unset) = all groups; '' = ungrouped.
 */
export function groupChoices(groups: string[], group: string | null | undefined) {
  const range = ['全部分组', ...groups, '未分组']
  const index = group == null ? 0 : group === '' ? range.length - 1 : Math.max(0, groups.indexOf(group) + 1)
  const pick = (i: number): string | null => (i === 0 ? null : i === range.length - 1 ? '' : (groups[i - 1] ?? null))
  return { range, index, pick }
}
