import { View } from '@tarojs/components'
import type { InvoiceTitle } from '@shared/domain'
import { openPage } from '../../services/nav'
import { pressable } from '../../components/a11y'
import { AddTitleCell, TitleOptionBody } from '../../components/title-option'

/**
 * The person's titles as radio choices, each with 编辑 beside it, and + 新增抬头. Both open the existing title
 * editor (the same checks as everywhere); the page reloads the titles when it shows again.
 */
export function TitleChoice({ titles, value, onChange }: { titles: InvoiceTitle[]; value: string | null; onChange: (id: string) => void }) {
  return (
    <View className='cells' id='correction-titles'>
      {titles.map((t) => (
        // the choice and 编辑 side by side, not one inside the other (a control in a control is
        // one target for a screen reader, and 编辑 could not be reached)
        <View key={t.id} className='cell'>
          <View
            className='cell__choice'
            id={`correction-title-${t.id}`}
            hoverClass='cell-hover'
            onClick={() => onChange(t.id)}
            {...pressable('', 'radio', { selected: t.id === value })}
          >
            <TitleOptionBody title={t} selected={t.id === value} />
          </View>
          <View
            className='link title-item__action'
            id={`correction-title-edit-${t.id}`}
            onClick={() => openPage(`/pages/title-edit/index?id=${encodeURIComponent(t.id)}`)}
            {...pressable(`编辑 ${t.name}`, 'link')}
          >
            编辑
          </View>
        </View>
      ))}
      <AddTitleCell id='correction-title-add' className='cell cell--link' from='correction' label='' />
    </View>
  )
}
