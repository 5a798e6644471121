import { View } from '@tarojs/components'
import type { TicketCategory } from '@shared/aftersales'
import { TICKET_CATEGORIES } from '../../services/ticket.service'

/** What the problem is about, as large chips with a one-line hint each. */
export function CategoryChips({ value, onChange }: { value: TicketCategory | null; onChange: (c: TicketCategory) => void }) {
  return (
    <View className='chips' id='ticket-categories'>
      {TICKET_CATEGORIES.map((c) => (
        <View key={c.key} id={`ticket-cat-${c.key}`} className={value === c.key ? 'chip cat-chip chip--on' : 'chip cat-chip'} onClick={() => onChange(c.key)}>
          <View>{c.label}</View>
          <View className='cat-chip__hint'>{c.hint}</View>
        </View>
      ))}
    </View>
  )
}
