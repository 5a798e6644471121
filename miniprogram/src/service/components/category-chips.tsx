import { View } from '@tarojs/components'
import type { TicketCategory } from '@shared/aftersales'
import { TICKET_CATEGORIES } from '../../services/ticket.service'
import { group, pressable } from '../../components/a11y'

/** What the problem is about, as large chips with a one-line hint each. */
export function CategoryChips({ value, onChange }: { value: TicketCategory | null; onChange: (c: TicketCategory) => void }) {
  return (
    <View className='chips' id='ticket-categories' {...group('问题类型')}>
      {TICKET_CATEGORIES.map((c) => (
        <View
          key={c.key}
          id={`ticket-cat-${c.key}`}
          className={value === c.key ? 'chip cat-chip chip--on' : 'chip cat-chip'}
          onClick={() => onChange(c.key)}
          {...pressable('', 'radio', { selected: value === c.key })}
        >
          <View>{c.label}</View>
          <View className='cat-chip__hint'>{c.hint}</View>
        </View>
      ))}
    </View>
  )
}
