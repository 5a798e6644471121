import { View } from '@tarojs/components'
import { group as groupRole, pressable } from '../../components/a11y'
import { Segmented } from '../../components/segmented'
import { cardLabel } from '../../services/card.service'
import { maskCardNo, maskTaxId, recentMonths } from '../../services/format'
import { SPLIT_MODE_LABEL } from '../../services/batch.service'
import type { BatchForm, CardsKind } from '../batch/use-batch-form'

const CARD_KINDS = [
  { key: 'all' as const, label: '全部卡片', id: 'batch-cards-all' },
  { key: 'group' as const, label: '按分组', id: 'batch-cards-group' },
  { key: 'ids' as const, label: '选择卡片', id: 'batch-cards-ids' },
]
const MONTHS = recentMonths(12)

/** The batch form: 抬头, 月份 (several), 卡片 (all / a group / some), 拆分方式. */
export function BatchSpecForm({ form }: { form: BatchForm }) {
  return (
    <View>
      <View className='section-title'>发票抬头</View>
      <View className='cells' {...groupRole('发票抬头')}>
        {(form.titles ?? []).map((t) => (
          <View
            key={t.id}
            id={`batch-title-${t.id}`}
            className={t.id === form.titleId ? 'cell cell--selected' : 'cell'}
            onClick={() => form.setTitleId(t.id)}
            {...pressable('', 'radio', { selected: t.id === form.titleId })}
          >
            <View className={t.id === form.titleId ? 'check check--on' : 'check'}>{t.id === form.titleId ? '✓' : ''}</View>
            <View className='cell__body'>
              <View className='cell__title wrap'>{t.name}</View>
              <View className='cell__desc'>{t.taxId ? `税号 ${maskTaxId(t.taxId)}` : '个人'}</View>
            </View>
          </View>
        ))}
      </View>

      <View className='section-title'>充值月份（可多选）</View>
      <View className='chips batch-chips' {...groupRole('充值月份', 'group')}>
        {MONTHS.map((m) => {
          const on = form.months.includes(m)
          return (
            <View
              key={m}
              id={`batch-month-${m}`}
              className={on ? 'chip chip--on' : 'chip'}
              onClick={() => form.toggleMonth(m)}
              {...pressable('', 'checkbox', { checked: on })}
            >
              {m}
            </View>
          )
        })}
      </View>

      <View className='section-title'>卡片</View>
      <View className='segmented-bar'>
        <Segmented<CardsKind> options={CARD_KINDS} value={form.cardsKind} onChange={form.setCardsKind} label='选择卡片的方式' />
      </View>
      {form.cardsKind === 'group' ? <GroupChoice form={form} /> : null}
      {form.cardsKind === 'ids' ? <CardChoice form={form} /> : null}

      <View className='section-title'>拆分方式</View>
      <View className='segmented-bar'>
        <Segmented
          options={[
            { key: 'per_card' as const, label: SPLIT_MODE_LABEL.per_card, id: 'batch-mode-per-card' },
            { key: 'mixed' as const, label: SPLIT_MODE_LABEL.mixed, id: 'batch-mode-mixed' },
          ]}
          value={form.mode}
          onChange={form.setMode}
          label='拆分方式'
        />
      </View>
    </View>
  )
}

function GroupChoice({ form }: { form: BatchForm }) {
  const options = [...form.groups, '']
  return (
    <View className='chips batch-chips' {...groupRole('卡片分组')}>
      {options.map((g) => (
        <View
          key={g || '-'}
          id={`batch-group-${g || 'none'}`}
          className={g === form.group ? 'chip chip--on' : 'chip'}
          onClick={() => form.setGroup(g)}
          {...pressable('', 'radio', { selected: g === form.group })}
        >
          {g || '未分组'}
        </View>
      ))}
    </View>
  )
}

function CardChoice({ form }: { form: BatchForm }) {
  return (
    <View className='cells' {...groupRole('选择卡片', 'group')}>
      {(form.cards ?? []).map((c) => {
        const on = form.cardIds.includes(c.id)
        return (
          <View
            key={c.id}
            id={`batch-card-${c.id}`}
            className={on ? 'cell cell--selected' : 'cell'}
            onClick={() => form.toggleCard(c.id)}
            {...pressable('', 'checkbox', { checked: on })}
          >
            <View className={on ? 'check check--on' : 'check'}>{on ? '✓' : ''}</View>
            <View className='cell__body'>
              <View className='cell__title'>{cardLabel(c)}</View>
              <View className='cell__desc'>
                {maskCardNo(c.cardNo)}
                {c.group ? ` · ${c.group}` : ''}
              </View>
            </View>
          </View>
        )
      })}
    </View>
  )
}
