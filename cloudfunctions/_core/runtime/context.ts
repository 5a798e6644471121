/** Where a call came from, as getWXContext().SOURCE says (locally, the local cloud says it). */
/**
 * 'external': a call from outside WeChat (cloud console's test panel, CLI, SDK with the
 * environment's credentials): SOURCE without a wx_ prefix other than scf, and no OPENID.
 */
export type CallSource = 'wx_client' | 'wx_trigger' | 'wx_paycallback' | 'wx_http' | 'scf' | 'wx_devtools' | 'external'

export interface CallContext {
  /** From the WeChat context only (locally: the local cloud's sign-in). Never from the event. */
  openid: string | null
  source: CallSource
  requestId: string
  clientIp: string
}
