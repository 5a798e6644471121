/** 联系客服 as configured on the cloud (SUPPORT_PHONE, SUPPORT_HOURS): 关于 and 帮助与客服 show it. */
import Taro from '@tarojs/taro'
import { callFunction } from './cloud'

export interface SupportInfo {
  phone: string
  hours: string
}

let cached: Promise<SupportInfo> | null = null

/** Asked once per launch (configuration changes with a deploy); a failure is asked again next time. */
export function getSupport(): Promise<SupportInfo> {
  if (!cached) {
    cached = callFunction('profile', 'support', {}).catch((e: unknown) => {
      cached = null
      throw e
    })
  }
  return cached
}

/** Opens the phone's dialler (weapp: wx.makePhoneCall; H5: a tel: link through Taro). */
export function callSupport(phone: string): void {
  Taro.makePhoneCall({ phoneNumber: phone.replace(/[^\d+]/g, '') }).catch(() => undefined)
}
