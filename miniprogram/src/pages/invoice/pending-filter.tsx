import { Picker, View } from '@tarojs/components'
import { pressable } from '../../components/a11y'

/** 待开票 by card group (分组, e.g. a company's 部门): shown once a card has a group. */
export function PendingFilter({ group, groups, onChange }: { group: string | null; groups: string[]; onChange: (next: string | null) => void }) {
  if (groups.length === 0) return null
  const range = ['全部分组', ...groups, '未分组']
  const index = group === null ? 0 : group === '' ? range.length - 1 : Math.max(0, groups.indexOf(group) + 1)
  return (
    <View className='filters'>
      <Picker
        mode='selector'
        range={range}
        value={index}
        onChange={(e) => {
          const i = Number(e.detail.value)
          onChange(i === 0 ? null : i === range.length - 1 ? '' : (groups[i - 1] ?? null))
        }}
      >
        <View className={group !== null ? 'filter filter--on' : 'filter'} id='pending-filter-group' {...pressable(`分组：${range[index]}`)}>
          {range[index]} ▾
        </View>
      </Picker>
    </View>
  )
}
