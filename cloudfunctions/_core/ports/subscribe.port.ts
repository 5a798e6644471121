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

/** One failed subscribe send: the template, WeChat's errcode (-1 when the call itself threw), when. */
export interface SubscribeFailure {
  templateKey: TemplateKey
  errcode: number
  errmsg: string
  at: string
}

/** Failed sends of one template with one errcode in one UTC hour ("2026-03-01T08"). */
export interface SubscribeFailureBucket {
  templateKey: TemplateKey
  errcode: number
  hour: string
  count: number
  lastAt: string
  lastErrmsg: string
}

/**
 * Failed subscribe sends, counted for `staff health` (quota used up or refused, other errors).
 * Counted per (template, errcode, hour), not one record per failure, so a storm of failures
 * costs one atomic increment each and the store stays small.
 */
export interface SubscribeFailureRepo {
  record(f: SubscribeFailure): Promise<void>
  /** the buckets of hours at or after `sinceHour` */
  since(sinceHour: string): Promise<SubscribeFailureBucket[]>
}
