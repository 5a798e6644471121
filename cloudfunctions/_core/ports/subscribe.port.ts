import type { TemplateKey } from '../../../types/domain'

/** A subscribe-message payload: { key: { value } }, built within WeChat's field limits. */
export type SubscribeData = Record<string, { value: string }>

export interface SubscribeMessage {
  openid: string
  templateKey: TemplateKey
  templateId: string
  /** the mini-program page opened from the message */
  page: string
  data: SubscribeData
}

export type SendResult = { ok: true } | { ok: false; errcode: number; errmsg: string }

/** subscribeMessage.send (openapi). 43101: the user has no quota (refused or used up); 47003: bad data. */
export interface SubscribeSender {
  send(msg: SubscribeMessage): Promise<SendResult>
}

/** One-time subscription quota: one accept = one message, counted per user and template. */
export interface QuotaRepo {
  add(openid: string, key: TemplateKey, n: number): Promise<number>
  /** Takes one message of quota atomically; false when none is left. */
  take(openid: string, key: TemplateKey): Promise<boolean>
  /** Gives back one taken message (the send failed before WeChat used it). */
  giveBack(openid: string, key: TemplateKey): Promise<void>
  /** Sets the quota to zero (WeChat answered 43101). */
  clear(openid: string, key: TemplateKey): Promise<void>
  get(openid: string): Promise<Record<TemplateKey, number>>
}
