import { View } from '@tarojs/components'

/**
 * A long typed value shown in full under its field, wrapped: an input shows only the part that
 * fits (in 大字模式 a company name or an e-mail rarely fits), and this is what will be printed
 * or where the invoice will go. Nothing for a short value.
 */
export function FieldEcho({ id, lead, value, over = 12 }: { id: string; lead: string; value: string; over?: number }) {
  if (value.trim().length <= over) return null
  return (
    <View className='field-echo' id={id}>
      {lead}：{value.trim()}
    </View>
  )
}
