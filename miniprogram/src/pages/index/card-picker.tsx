import { View } from '@tarojs/components'
import type { Card } from '@shared/domain'
import { cardLabel } from '../../services/card.service'
import { maskCardNo } from '../../services/format'
import { decorative, group, pressable } from '../../components/a11y'

/** 选择卡片: the bound cards as a radio list, then + 添加卡片. */
export function CardPicker({ cards, cardId, onPick, onAdd }: { cards: Card[]; cardId: string | null; onPick: (id: string) => void; onAdd: () => void }) {
  return (
    <View>
      <View className='section-title'>选择卡片</View>
      <View className='cells' {...group('选择卡片')}>
        {cards.map((card) => (
          <View
            key={card.id}
            id={`card-${card.id}`}
            className='cell'
            hoverClass='cell-hover'
            onClick={() => onPick(card.id)}
            {...pressable(`${cardLabel(card)} ${maskCardNo(card.cardNo)}`, 'radio', { selected: card.id === cardId })}
          >
            <View className='cell__body'>
              <View className='cell__title'>{cardLabel(card)}</View>
              <View className='cell__desc'>{maskCardNo(card.cardNo)}</View>
            </View>
            <View className={card.id === cardId ? 'radio radio--on' : 'radio'} {...decorative()} />
          </View>
        ))}
        <View className='cell cell--link' id='add-card' hoverClass='cell-hover' onClick={onAdd} {...pressable('添加卡片')}>
          <View className='cell__body'>
            <View className='cell__title'>+ 添加卡片</View>
          </View>
          <View className='cell__arrow' {...decorative()} />
        </View>
      </View>
    </View>
  )
}
