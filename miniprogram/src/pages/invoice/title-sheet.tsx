import { Button, ScrollView, View } from '@tarojs/components'
import { BottomSheet } from '../../components/bottom-sheet'
import { pressable } from '../../components/a11y'
import { AddTitleCell, TitleOptionBody } from '../../components/title-option'
import { TITLE_KIND_LABEL } from '../../services/profile.service'
import type { TitleChoice } from './use-title-choice'

/** 选择发票抬头: the person's titles (default first picked) and + 新增抬头. */
export function TitleSheet({ open, choice, onClose, onNext }: { open: boolean; choice: TitleChoice; onClose: () => void; onNext: () => void }) {
  const { titles, titleId } = choice
  return (
    <BottomSheet
      open={open}
      title='选择发票抬头'
      onClose={onClose}
      footer={
        titles.length > 0 ? (
          <Button className='btn btn--primary' id='title-sheet-next' onClick={onNext}>
            下一步
          </Button>
        ) : null
      }
    >
      {/* ScrollView: the sheet catches touch moves, so a plain overflow box would not scroll in weapp */}
      <ScrollView className='sheet-list' scrollY>
        {titles.length === 0 ? <View className='sheet-empty'>还没有发票抬头，先添加一个吧</View> : null}
        {titles.map((t) => (
          <View
            key={t.id}
            id={`pick-title-${t.id}`}
            className='cell sheet-cell'
            hoverClass='cell-hover'
            onClick={() => choice.setTitleId(t.id)}
            {...pressable(`${t.name} ${TITLE_KIND_LABEL[t.kind]}`, 'radio', { selected: t.id === titleId })}
          >
            <TitleOptionBody title={t} selected={t.id === titleId} />
          </View>
        ))}
        <AddTitleCell id='title-sheet-add' className='cell sheet-cell cell--link' from='invoice' label='新增抬头' />
      </ScrollView>
    </BottomSheet>
  )
}
