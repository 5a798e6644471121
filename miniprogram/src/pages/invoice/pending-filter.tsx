import { View } from '@tarojs/components'
import { FilterPicker, groupChoices } from './filter-picker'

/** 待开票 by card group (分组, e.g. a company's 部门): shown once a card has a group. */
export function PendingFilter({ group, groups, onChange }: { group: string | null; groups: string[]; onChange: (next: string | null) => void }) {
  if (groups.length === 0) return null
  const choices = groupChoices(groups, group)
  return (
    <View className='filters'>
      <FilterPicker
        id='pending-filter-group'
        name='分组'
        range={choices.range}
        index={choices.index}
        on={group !== null}
        onPick={(i) => onChange(choices.pick(i))}
      />
    </View>
  )
}
