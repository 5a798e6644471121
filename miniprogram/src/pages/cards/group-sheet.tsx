import { Button, Input, View } from '@tarojs/components'
import { pressable, group as groupRole, inputLabel } from '../../components/a11y'
import { BottomSheet } from '../../components/bottom-sheet'
import { CARD_GROUP_MAX, cardLabel } from '../../services/card.service'
import type { CardGroupEditor } from './use-card-group'

/** The 分组 sheet: type a group (e.g. 市场部) or pick one already used, save or clear. */
export function GroupSheet({ editor, groups }: { editor: CardGroupEditor; groups: string[] }) {
  const { card } = editor
  return (
    <BottomSheet
      open={!!card}
      title='设置分组'
      onClose={editor.close}
      footer={
        <View>
          <Button className='btn btn--primary' id='group-save' loading={editor.saving} onClick={() => void editor.save(editor.draft)}>
            保存
          </Button>
          {card?.group ? (
            <Button className='btn btn--default' id='group-clear' onClick={() => void editor.save(null)}>
              清除分组
            </Button>
          ) : null}
        </View>
      }
    >
      {card ? <View className='sheet-notes'>{cardLabel(card)}：企业可按分组（如部门）批量开票。</View> : null}
      <View className='kv kv--input'>
        <View className='kv__key'>分组名称</View>
        <Input
          id='group-input'
          className='kv__input'
          type='text'
          maxlength={CARD_GROUP_MAX + 5}
          placeholder={`如 市场部，最多 ${CARD_GROUP_MAX} 字`}
          value={editor.draft}
          onInput={(e) => editor.edit(e.detail.value)}
          {...inputLabel('分组名称')}
        />
      </View>
      {editor.error ? (
        <View className='error-text sheet-error' id='group-error'>
          {editor.error}
        </View>
      ) : null}
      {groups.length ? (
        <View className='chips' {...groupRole('已有分组')}>
          {groups.map((g) => (
            <View
              key={g}
              className={g === editor.draft ? 'chip chip--on' : 'chip'}
              onClick={() => editor.edit(g)}
              {...pressable('', 'radio', { selected: g === editor.draft })}
            >
              {g}
            </View>
          ))}
        </View>
      ) : null}
    </BottomSheet>
  )
}
