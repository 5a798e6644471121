import { Text, View } from '@tarojs/components'
import { formatDateTime } from '../services/format'
import './after-sales.css'

export interface TimelineItem {
  /** what happened, for people */
  text: string
  /** ISO time */
  at: string
  /** who did it or a short detail, e.g. 客服 */
  note?: string | null
}

/**
 * A vertical timeline, newest first (the latest dot in the brand colour). Used by the invoice
 * history, paper requests and applications; callers map their own entries to TimelineItem.
 */
export function Timeline({ id, items }: { id: string; items: TimelineItem[] }) {
  const sorted = [...items].sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
  if (sorted.length === 0) return null
  return (
    <View className='timeline' id={id}>
      {sorted.map((item, i) => (
        <View key={`${item.at}-${i}`} className={i === 0 ? 'timeline__item timeline__item--latest' : 'timeline__item'}>
          <View className='timeline__dot' />
          <View className='timeline__body'>
            <View className='timeline__label'>{item.text}</View>
            <View className='timeline__time'>
              {formatDateTime(item.at)}
              {item.note ? <Text className='timeline__note'> · {item.note}</Text> : null}
            </View>
          </View>
        </View>
      ))}
    </View>
  )
}

const BY_LABEL: Record<string, string> = { user: '我', staff: '客服', system: '系统' }

/** After-sales timeline entries (applications, paper requests) as timeline items. */
export function timelineItems(entries: { at: string; text: string; by: string }[]): TimelineItem[] {
  return entries.map((e) => ({ at: e.at, text: e.text, note: BY_LABEL[e.by] ?? null }))
}
