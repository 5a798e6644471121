import { View } from '@tarojs/components'
import type { PolicyDoc } from './content/types'

/** A policy document: the intro, then its numbered sections, then when it took effect. */
export function PolicyView({ doc, id }: { doc: PolicyDoc; id: string }) {
  return (
    <View className='policy' id={id}>
      <View className='policy__p'>{doc.intro}</View>
      {doc.sections.map((s) => (
        <View key={s.heading}>
          <View className='policy__heading' role='heading' aria-level={2}>
            {s.heading}
          </View>
          {s.paragraphs.map((p) => (
            <View className='policy__p' key={p}>
              {p}
            </View>
          ))}
        </View>
      ))}
      <View className='policy__p policy__meta'>生效日期：{doc.effective}</View>
    </View>
  )
}
