import { Picker, View } from '@tarojs/components'
import type { Card, InvoiceTitle } from '@shared/domain'
import { STATUS_FILTERS, type InvoiceFilters } from '../../services/invoice.service'
import { cardLabel, groupsOf } from '../../services/card.service'
import { recentMonths } from '../../services/format'
import { pressable } from '../../components/a11y'

const MONTH_RANGE = ['全部月份', ...recentMonths(24)]

/** The pickers over 已开票: status, month, card; then title and card group (issue 8) when there are any. */
export function IssuedFilters({
  filters,
  cards,
  titles,
  onChange,
}: {
  filters: InvoiceFilters
  cards: Card[]
  titles: InvoiceTitle[]
  onChange: (next: InvoiceFilters) => void
}) {
  return (
    <View>
      <BasicFilters filters={filters} cards={cards} onChange={onChange} />
      {titles.length > 1 || groupsOf(cards).length > 0 ? <OwnerFilters filters={filters} cards={cards} titles={titles} onChange={onChange} /> : null}
    </View>
  )
}

/** 抬头 and 分组: a company's accountant looks for the invoices of one title or one department. */
function OwnerFilters({
  filters,
  cards,
  titles,
  onChange,
}: {
  filters: InvoiceFilters
  cards: Card[]
  titles: InvoiceTitle[]
  onChange: (next: InvoiceFilters) => void
}) {
  const titleRange = ['全部抬头', ...titles.map((t) => t.name)]
  const titleIndex = filters.titleId ? Math.max(0, titles.findIndex((t) => t.id === filters.titleId) + 1) : 0
  const groups = groupsOf(cards)
  const groupRange = ['全部分组', ...groups, '未分组']
  const groupIndex = filters.group == null ? 0 : filters.group === '' ? groupRange.length - 1 : Math.max(0, groups.indexOf(filters.group) + 1)
  return (
    <View className='filters filters--second'>
      <Picker
        mode='selector'
        range={titleRange}
        value={titleIndex}
        onChange={(e) => {
          const i = Number(e.detail.value)
          onChange({ ...filters, titleId: i > 0 ? (titles[i - 1]?.id ?? null) : null })
        }}
      >
        <View className={filters.titleId ? 'filter filter--on' : 'filter'} id='filter-title' {...pressable(`抬头：${titleRange[titleIndex]}`)}>
          {titleRange[titleIndex]} ▾
        </View>
      </Picker>
      <Picker
        mode='selector'
        range={groupRange}
        value={groupIndex}
        onChange={(e) => {
          const i = Number(e.detail.value)
          onChange({ ...filters, group: i === 0 ? null : i === groupRange.length - 1 ? '' : (groups[i - 1] ?? null) })
        }}
      >
        <View className={filters.group != null ? 'filter filter--on' : 'filter'} id='filter-group' {...pressable(`分组：${groupRange[groupIndex]}`)}>
          {groupRange[groupIndex]} ▾
        </View>
      </Picker>
    </View>
  )
}

function BasicFilters({ filters, cards, onChange }: { filters: InvoiceFilters; cards: Card[]; onChange: (next: InvoiceFilters) => void }) {
  const statusIndex = Math.max(
    0,
    STATUS_FILTERS.findIndex((f) => f.key === filters.status),
  )
  const monthIndex = filters.month ? Math.max(0, MONTH_RANGE.indexOf(filters.month)) : 0
  const cardRange = ['全部卡片', ...cards.map((c) => `${cardLabel(c)} ${c.cardNo.slice(-4)}`)]
  const cardIndex = filters.cardNo ? Math.max(0, cards.findIndex((c) => c.cardNo === filters.cardNo) + 1) : 0
  return (
    <View className='filters'>
      <Picker
        mode='selector'
        range={STATUS_FILTERS.map((f) => f.label)}
        value={statusIndex}
        onChange={(e) => onChange({ ...filters, status: STATUS_FILTERS[Number(e.detail.value)]?.key ?? 'all' })}
      >
        <View
          className={filters.status !== 'all' ? 'filter filter--on' : 'filter'}
          id='filter-status'
          {...pressable(`状态：${STATUS_FILTERS[statusIndex].label}`)}
        >
          {STATUS_FILTERS[statusIndex].label} ▾
        </View>
      </Picker>
      <Picker
        mode='selector'
        range={MONTH_RANGE}
        value={monthIndex}
        onChange={(e) => {
          const i = Number(e.detail.value)
          onChange({ ...filters, month: i > 0 ? MONTH_RANGE[i] : null })
        }}
      >
        <View className={filters.month ? 'filter filter--on' : 'filter'} id='filter-month' {...pressable(`月份：${MONTH_RANGE[monthIndex]}`)}>
          {MONTH_RANGE[monthIndex]} ▾
        </View>
      </Picker>
      <Picker
        mode='selector'
        range={cardRange}
        value={cardIndex}
        onChange={(e) => {
          const i = Number(e.detail.value)
          onChange({ ...filters, cardNo: i > 0 ? (cards[i - 1]?.cardNo ?? null) : null })
        }}
      >
        <View className={filters.cardNo ? 'filter filter--on' : 'filter'} id='filter-card' {...pressable(`卡片：${cardRange[cardIndex]}`)}>
          {cardRange[cardIndex]} ▾
        </View>
      </Picker>
    </View>
  )
}
