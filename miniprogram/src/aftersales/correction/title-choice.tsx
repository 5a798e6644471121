import { Text, View } from '@tarojs/components'
import type { InvoiceTitle } from '@shared/domain'
import { TITLE_KIND_LABEL } from '../../services/profile.service'
import { maskTaxId } from '../../services/format'
import { openPage } from '../../services/nav'
import { decorative, pressable } from '../../components/a11y'

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
            <View className='cell__body'>
              <View className='cell__title'>
                {t.name}
                {t.isDefault ? <Text className='tag tag--default'>默认</Text> : null}
              </View>
              <View className='cell__desc'>
                {TITLE_KIND_LABEL[t.kind]}
                {t.taxId ? ` · ${maskTaxId(t.taxId)}` : ''}
              </View>
            </View>
            <View className={t.id === value ? 'radio radio--on' : 'radio'} {...decorative()} />
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
      <View
        className='cell cell--link'
        id='correction-title-add'
        hoverClass='cell-hover'
        onClick={() => openPage('/pages/title-edit/index?from=correction')}
        {...pressable('', 'link')}
      >
        <View className='cell__body'>
          <View className='cell__title'>+ 新增抬头</View>
        </View>
        <View className='cell__arrow' {...decorative()} />
      </View>
    </View>
  )
}
