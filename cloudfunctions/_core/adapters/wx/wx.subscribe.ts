import type { SendResult, SubscribeData, SubscribeSender } from '../../ports/subscribe.port'

export type MiniprogramState = 'formal' | 'developer' | 'trial'
export type SubscribeLang = 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW'

/** What cloud.openapi.subscribeMessage.send takes (camelCase: the SDK converts to snake_case). */
export interface WxSubscribeSendParams {
  touser: string
  templateId: string
  page: string
  data: SubscribeData
  miniprogramState: MiniprogramState
  lang: SubscribeLang
}

/**
 * The part of cloud.openapi this adapter uses. Pass `cloud.openapi` itself: in wx-server-sdk it
 * is a Proxy whose every property is callable (then included), so it must never be awaited or
 * returned from an async function; this adapter only reads `.subscribeMessage.send` per call.
 *
 * On success the SDK resolves { errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' }. On a
 * WeChat error it REJECTS with a CloudSDKError carrying WeChat's errcode as `errCode` (a number,
 * e.g. 43101) and `errMsg` 'openapi.subscribeMessage.send:fail user refuse to accept the msg...';
 * transport and platform failures reject the same way with negative codes (-501001...).
 * Needs `"permissions": { "openapi": ["subscribeMessage.send"] }` in the function's config.json.
 */
export interface WxSubscribeOpenApi {
  readonly subscribeMessage: {
    send(params: WxSubscribeSendParams): Promise<unknown>
  }
}

export interface WxSubscribeOptions {
  /** which version of the mini-program the message opens; 'formal' in production */
  miniprogramState?: MiniprogramState
  lang?: SubscribeLang
}

/**
 * WeChat's answers that are about this message and final: resending the same message cannot
 * succeed, so they come back as a result. Everything else (system busy, rate limits, network,
 * permission not declared) is thrown for the caller's retry.
 *   40003 touser is not a valid openid of this mini-program
 *   40037 template id wrong (or not configured)
 *   41030 page is not a page of the released mini-program
 *   43101 no quota: the person did not accept, used it up, or switched the messages off
 *   47003 a data value breaks its field's rule (errmsg names the field)
 */
export const FINAL_ERRCODES: ReadonlySet<number> = new Set([40003, 40037, 41030, 43101, 47003])

function codeOf(e: unknown): number | null {
  if (!e || typeof e !== 'object') return null
  const raw = (e as { errCode?: unknown; errcode?: unknown }).errCode ?? (e as { errcode?: unknown }).errcode
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
  return typeof n === 'number' && Number.isFinite(n) ? n : null
}

function messageOf(e: unknown): string {
  const o = e as { errMsg?: unknown; errmsg?: unknown; message?: unknown } | null
  const m = o?.errMsg ?? o?.errmsg ?? o?.message
  return typeof m === 'string' ? m : String(e)
}

export class WxSubscribeError extends Error {
  constructor(
    readonly errcode: number | null,
    message: string,
  ) {
    super(message)
    this.name = 'WxSubscribeError'
  }
}

/** SubscribeSender over cloud.openapi.subscribeMessage.send. */
export function wxSubscribeSender(openapi: WxSubscribeOpenApi, opts: WxSubscribeOptions = {}): SubscribeSender {
  const miniprogramState = opts.miniprogramState ?? 'formal'
  const lang = opts.lang ?? 'zh_CN'
  return {
    async send(msg): Promise<SendResult> {
      // Not configured: WeChat would answer 40037; say so without a network round trip.
      if (!msg.templateId) return { ok: false, errcode: 40037, errmsg: `template id for ${msg.templateKey} is not configured` }
      let answer: unknown
      try {
        answer = await openapi.subscribeMessage.send({
          touser: msg.openid,
          templateId: msg.templateId,
          page: msg.page,
          data: msg.data,
          miniprogramState,
          lang,
        })
      } catch (e) {
        const code = codeOf(e)
        if (code !== null && FINAL_ERRCODES.has(code)) return { ok: false, errcode: code, errmsg: messageOf(e) }
        throw e
      }
      // The SDK throws on a WeChat error; a resolved non-zero code would be a changed SDK.
      const code = codeOf(answer)
      if (code !== null && code !== 0) {
        if (FINAL_ERRCODES.has(code)) return { ok: false, errcode: code, errmsg: messageOf(answer) }
        throw new WxSubscribeError(code, `subscribeMessage.send answered ${code}: ${messageOf(answer)}`)
      }
      return { ok: true }
    },
  }
}
