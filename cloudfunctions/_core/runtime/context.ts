/** Where a call came from, as getWXContext().SOURCE says (locally, the local cloud says it). */
export type CallSource = 'wx_client' | 'wx_trigger' | 'wx_paycallback' | 'wx_http' | 'scf' | 'wx_devtools'

export interface CallContext {
  /** From the WeChat context only (locally: the local cloud's sign-in). Never from the event. */
  openid: string | null
  source: CallSource
  requestId: string
  clientIp: string
}
