import { View } from '@tarojs/components'
import type { TicketView } from '@shared/aftersales'
import { formatDateTime } from '../../services/format'

/** The conversation: the person's messages on the right, staff replies on the left. */
export function TicketThread({ ticket }: { ticket: TicketView }) {
  return (
    <View className='thread' id='ticket-thread'>
      {ticket.messages.map((m, i) => (
        <View key={`${m.at}-${i}`} className={m.from === 'user' ? 'bubble-row bubble-row--user' : 'bubble-row'} id={`ticket-msg-${i}`} data-from={m.from}>
          <View className='bubble'>
            <View className='bubble__meta'>
              {m.from === 'user' ? '我' : '客服'} · {formatDateTime(m.at)}
            </View>
            {m.text}
            {m.photoFileIds.length > 0 ? <View className='bubble__meta'>附 {m.photoFileIds.length} 张图片</View> : null}
          </View>
        </View>
      ))}
    </View>
  )
}
