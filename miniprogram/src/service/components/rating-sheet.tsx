import { useEffect, useState } from 'react'
import { Button, View } from '@tarojs/components'
import { BottomSheet } from '../../components/bottom-sheet'
import type { SheetProps } from '../../components/use-choice-sheet'
import { pressable } from '../../components/a11y'

export interface RatingArgs {
  /** closing: the person may also close without rating (resolves 0) */
  closing: boolean
}

const LABELS = ['很不满意', '不满意', '一般', '满意', '非常满意']

/** 1-5 stars as large targets; resolves with the stars, 0 for 不评价, null when dismissed. */
export function RatingSheet({ open, args, settle }: SheetProps<RatingArgs, number>) {
  const [stars, setStars] = useState(0)
  useEffect(() => {
    if (open) setStars(0)
  }, [open])

  return (
    <BottomSheet
      open={open}
      title={args?.closing ? '关闭并评价' : '评价这次服务'}
      onClose={() => settle(null)}
      footer={
        <View>
          <Button className='btn btn--primary' id='rating-submit' disabled={stars === 0 || undefined} onClick={() => stars > 0 && settle(stars)}>
            {args?.closing ? '提交评价并关闭' : '提交评价'}
          </Button>
          {args?.closing ? (
            <Button className='btn btn--default' id='rating-skip' onClick={() => settle(0)}>
              不评价，直接关闭
            </Button>
          ) : null}
        </View>
      }
    >
      <View className='stars' id='rating-stars'>
        {[1, 2, 3, 4, 5].map((n) => (
          <View
            key={n}
            id={`rating-star-${n}`}
            className={n <= stars ? 'star star--on' : 'star'}
            onClick={() => setStars(n)}
            {...pressable(`${n} 星`, 'radio', { selected: n === stars })}
          >
            {n <= stars ? '★' : '☆'}
          </View>
        ))}
      </View>
      <View className='stars__label' id='rating-label'>
        {stars > 0 ? LABELS[stars - 1] : '点星星打分'}
      </View>
      {args?.closing ? <View className='sheet-notes'>关闭后客服不再回复；如有新问题可再次反馈。</View> : null}
    </BottomSheet>
  )
}
