import { View } from '@tarojs/components'
import type { Card, InvoiceTitle } from '@shared/domain'
import { STATUS_FILTERS, type InvoiceFilters } from '../../services/invoice.service'
import { cardLabel, groupsOf } from '../../services/card.service'
import { recentMonths } from '../../services/format'
import { FilterPicker, groupChoices } from './filter-picker'

const MONTH_RANGE = ['全部月份', ...recentMonths(24)]

interface FiltersProps {
  filters: InvoiceFilters
  cards: Card[]
  titles: InvoiceTitle[]
  onChange: (next: InvoiceFilters) => void
}

/** The pickers over 已开票: status, month, card; then title and card group (issue 8) when there are any. */
export function IssuedFilters({ filters, cards, titles, onChange }: FiltersProps) {
  return (
    <View>
      <BasicFilters filters={filters} cards={cards} onChange={onChange} />
      {titles.length > 1 || groupsOf(cards).length > 0 ? <OwnerFilters filters={filters} cards={cards} titles={titles} onChange={onChange} /> : null}
    </View>
  )
}

/** 抬头 and 分组: a company's accountant looks for the invoices of one title or one department. */
function OwnerFilters({ filters, cards, titles, onChange }: FiltersProps) {
  const titleRange = ['全部抬头', ...titles.map((t) => t.name)]
  const titleIndex = filters.titleId ? Math.max(0, titles.findIndex((t) => t.id === filters.titleId) + 1) : 0
  const group = groupChoices(groupsOf(cards), filters.group)
  return (
    <View className='filters filters--second'>
      <FilterPicker
        id='filter-title'
        name='抬头'
        range={titleRange}
        index={titleIndex}
        on={!!filters.titleId}
        onPick={(i) => onChange({ ...filters, titleId: i > 0 ? (titles[i - 1]?.id ?? null) : null })}
      />
      <FilterPicker
        id='filter-group'
        name='分组'
        range={group.range}
        index={group.index}
        on={filters.group != null}
        onPick={(i) => onChange({ ...filters, group: group.pick(i) })}
      />
    </View>
  )
}

function BasicFilters({ filters, cards, onChange }: Omit<FiltersProps, 'titles'>) {
  const statusIndex = Math.max(
    0,
    STATUS_FILTERS.findIndex((f) => f.key === filters.status),
  )
  const monthIndex = filters.month ? Math.max(0, MONTH_RANGE.indexOf(filters.month)) : 0
  const cardRange = ['全部卡片', ...cards.map((c) => `${cardLabel(c)} ${c.cardNo.slice(-4)}`)]
  const cardIndex = filters.cardNo ? Math.max(0, cards.findIndex((c) => c.cardNo === filters.cardNo) + 1) : 0
  return (
    <View className='filters'>
      <FilterPicker
        id='filter-status'
        name='状态'
        range={STATUS_FILTERS.map((f) => f.label)}
        index={statusIndex}
        on={filters.status !== 'all'}
        onPick={(i) => onChange({ ...filters, status: STATUS_FILTERS[i]?.key ?? 'all' })}
      />
      <FilterPicker
        id='filter-month'
        name='月份'
        range={MONTH_RANGE}
        index={monthIndex}
        on={!!filters.month}
        onPick={(i) => onChange({ ...filters, month: i > 0 ? MONTH_RANGE[i] : null })}
      />
      <FilterPicker
        id='filter-card'
        name='卡片'
        range={cardRange}
        index={cardIndex}
        on={!!filters.cardNo}
        onPick={(i) => onChange({ ...filters, cardNo: i > 0 ? (cards[i - 1]?.cardNo ?? null) : null })}
      />
    </View>
  )
}
