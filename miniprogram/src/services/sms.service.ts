import type { SmsSettingsView } from '@shared/domain'
import { callFunction } from './cloud'

/** The SMS channel (短信通知) of 设置: the phone comes back masked only. */
export function getSmsSettings(): Promise<SmsSettingsView> {
  return callFunction('profile', 'smsSettings', {})
}

/** H5: a 6-digit code to the typed number. */
export function sendSmsCode(phone: string): Promise<{ sentTo: string; expiresInSeconds: number }> {
  return callFunction('profile', 'smsSendCode', { phone })
}

export function verifySmsCode(phone: string, code: string): Promise<SmsSettingsView> {
  return callFunction('profile', 'smsVerify', { phone, code })
}

/** weapp: the code of <Button openType='getPhoneNumber'>, exchanged on the server. */
export function bindWechatPhone(code: string): Promise<SmsSettingsView> {
  return callFunction('profile', 'smsBindWechat', { code })
}

export function smsOptOut(): Promise<SmsSettingsView> {
  return callFunction('profile', 'smsOptOut', {})
}

/** 11 digits starting 1[3-9] (spaces and dashes ignored); the server checks again (domain/sms.ts). */
export function phoneProblem(raw: string): string | null {
  return /^1[3-9]\d{9}$/.test(raw.replace(/[\s-]/g, '')) ? null : '请输入 11 位手机号码'
}
