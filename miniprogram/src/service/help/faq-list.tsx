import { useState } from 'react'
import { View } from '@tarojs/components'
import { decorative, pressable } from '../../components/a11y'
import type { Faq } from './content/types'

/** 常见问题 as an accordion: one answer open at a time. */
export function FaqList({ faqs, initiallyOpen }: { faqs: Faq[]; initiallyOpen?: string | null }) {
  const [open, setOpen] = useState<string | null>(initiallyOpen ?? null)
  return (
    <View className='cells' id='help-faq'>
      {faqs.map((f) => (
        <View key={f.id}>
          <View
            className='cell faq__q'
            id={`faq-${f.id}`}
            hoverClass='cell-hover'
            onClick={() => setOpen(open === f.id ? null : f.id)}
            {...pressable('', 'button', { expanded: open === f.id })}
          >
            <View className='cell__body cell__title'>{f.q}</View>
            <View className='faq__toggle' {...decorative()}>
              {open === f.id ? '收起' : '展开'}
            </View>
          </View>
          {open === f.id ? (
            <View className='faq__a' id={`faq-${f.id}-answer`}>
              {f.a}
            </View>
          ) : null}
        </View>
      ))}
    </View>
  )
}
