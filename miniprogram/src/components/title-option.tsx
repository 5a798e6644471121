import { Text, View } from '@tarojs/components'
import type { InvoiceTitle } from '@shared/domain'
import { TITLE_KIND_LABEL } from '../services/profile.service'
import { maskTaxId } from '../services/format'
import { openPage } from '../services/nav'
import { decorative, pressable } from './a11y'

/**
 * One title as a radio choice's content: name (默认 tag), kind and masked tax ID, then the radio mark.
 * The tappable wrapper stays with the caller: the invoice sheet and the correction page name it differently.
 */
export function TitleOptionBody({ title, selected }: { title: InvoiceTitle; selected: boolean }) {
  return (
    <>
      <View className='cell__body'>
        <View className='cell__title'>
          {title.name}
          {title.isDefault ? <Text className='tag tag--default'>默认</Text> : null}
        </View>
        <View className='cell__desc'>
          {TITLE_KIND_LABEL[title.kind]}
          {title.taxId ? ` · ${maskTaxId(title.taxId)}` : ''}
        </View>
      </View>
      <View className={selected ? 'radio radio--on' : 'radio'} {...decorative()} />
    </>
  )
}

/** + 新增抬头: opens the title editor, which returns to `from` once the title is saved. */
export function AddTitleCell({ id, className, from, label }: { id: string; className: string; from: string; label: string }) {
  return (
    <View className={className} id={id} hoverClass='cell-hover' onClick={() => openPage(`/pages/title-edit/index?from=${from}`)} {...pressable(label, 'link')}>
      <View className='cell__body'>
        <View className='cell__title'>+ 新增抬头</View>
      </View>
      <View className='cell__arrow' {...decorative()} />
    </View>
  )
}
