import { View } from '@tarojs/components'
import { openPage } from '../services/nav'
import { pressable } from './a11y'

/** Topics of 帮助与客服 (service/help/content/types.ts HelpTopic; kept as a string here so the main package does not pull the help content in). */
export type HelpTopicLink = 'topup' | 'invoice' | 'correction' | 'paper' | 'lost' | 'enterprise' | 'account'

/**
 * A quiet link to the help of one topic, put where that problem starts (「充值遇到问题？」 under
 * the top-up, 「没收到发票？」 by the invoice). Opens 帮助与客服 showing that topic's guides first.
 */
export function HelpLink({ topic, text, id }: { topic: HelpTopicLink; text: string; id?: string }) {
  return (
    <View
      className='hint center link'
      id={id ?? `help-link-${topic}`}
      onClick={() => openPage(`/service/help/index?topic=${topic}`)}
      {...pressable(text, 'link')}
    >
      {text}
    </View>
  )
}
