import { View, Text } from '@tarojs/components'
import { decorative, pressable } from '../../components/a11y'
import { maskEmail } from '../../services/format'
import type { ProfileSettings } from '../../services/profile.service'

/** How the invoice of this top-up will come, in one line. */
export function invoiceLineText(profile: ProfileSettings): string {
  const { settings, defaultTitle } = profile
  if (settings.autoInvoice && defaultTitle) {
    return `自动开票至 ${defaultTitle.name}${settings.defaultEmail ? ` · ${maskEmail(settings.defaultEmail)}` : ''}`
  }
  return '支付后可在「发票」中开票'
}

/** 发票 line under the amount: tap to change the invoice settings. */
export function InvoiceLine({ profile, onOpen }: { profile: ProfileSettings; onOpen: () => void }) {
  const text = invoiceLineText(profile)
  return (
    <View className='invoice-line' id='invoice-line' hoverClass='cell-hover' onClick={onOpen} {...pressable(`发票：${text}，点此修改`, 'link')}>
      <View className='invoice-line__text'>
        <Text className='invoice-line__label'>发票</Text>
        {text}
      </View>
      <View className='cell__arrow' {...decorative()} />
    </View>
  )
}
