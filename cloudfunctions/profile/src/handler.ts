import type { NoticePage } from '../../../types/api'
import {
  getSettings,
  listTitles,
  recordSubscriptions,
  removeTitle,
  saveTitle,
  setDefaultTitle,
  taxIdCheck,
  updateSettings,
} from '../../_core/app/profile.service'
import { activeNotices } from '../../_core/app/notice.service'
import { deleteAccountData } from '../../_core/app/account.service'
import { bindWechatPhone, sendSmsCode, smsOptOut, smsSettings, verifySmsCode } from '../../_core/app/sms.service'
import { DomainError } from '../../_core/domain/errors'
import { defineFunction } from '../../_core/runtime/define-function'
import type { Check } from '../../_core/runtime/validate'
import { optional, str } from '../../_core/runtime/validate'

const ID = str({ min: 1, max: 64 })
const text = (max: number) => optional(str({ max }))
const bool: Check<boolean> = (v, f) => {
  if (typeof v !== 'boolean') throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为 true 或 false`)
  return v
}
const kind: Check<'personal' | 'enterprise'> = (v, f) => {
  if (v !== 'personal' && v !== 'enterprise') throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为 personal 或 enterprise`)
  return v
}
const nullableText =
  (max: number): Check<string | null | undefined> =>
  (v, f) =>
    v === null ? null : text(max)(v, f)
const noticePage: Check<NoticePage> = (v, f) => {
  if (v !== 'home' && v !== 'invoice') throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为 home 或 invoice`)
  return v
}
const results: Check<Record<string, string>> = (v, f) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new DomainError('COMMON.BAD_REQUEST', `参数 ${f} 应为对象`)
  const out: Record<string, string> = {}
  for (const [k, val] of Object.entries(v).slice(0, 10)) if (typeof val === 'string' && val.length <= 20) out[k] = val
  return out
}

/** profile: invoice titles (发票抬头), invoice settings and subscribe-message quota. */
export const createProfileHandler = defineFunction('profile', {
  listTitles: { schema: {}, run: async (_in, ctx, deps) => ({ titles: await listTitles(deps, ctx.openid) }) },
  saveTitle: {
    schema: {
      id: optional(ID),
      kind,
      name: str({ max: 200 }),
      taxId: nullableText(40),
      address: nullableText(200),
      phone: nullableText(60),
      bankName: nullableText(120),
      bankAccount: nullableText(80),
      isDefault: optional(bool),
      confirmChecksum: optional(bool),
    },
    run: async (input, ctx, deps) => ({ title: await saveTitle(deps, ctx.openid, input) }),
  },
  removeTitle: {
    schema: { titleId: ID },
    run: async (input, ctx, deps) => {
      await removeTitle(deps, ctx.openid, input.titleId)
      return { removed: true as const }
    },
  },
  setDefaultTitle: { schema: { titleId: ID }, run: async (input, ctx, deps) => ({ title: await setDefaultTitle(deps, ctx.openid, input.titleId) }) },
  checkTaxId: { schema: { taxId: str({ max: 40 }) }, run: async (input) => taxIdCheck(input.taxId) },
  getSettings: { schema: {}, run: (_in, ctx, deps) => getSettings(deps, ctx.openid) },
  updateSettings: {
    schema: { autoInvoice: optional(bool), defaultEmail: nullableText(254) },
    run: async (input, ctx, deps) => ({ settings: await updateSettings(deps, ctx.openid, input) }),
  },
  recordSubscriptions: { schema: { results }, run: (input, ctx, deps) => recordSubscriptions(deps, ctx.openid, input.results) },
  notices: { schema: { page: optional(noticePage) }, run: (input, _ctx, deps) => activeNotices(deps, input.page) },
  // configuration, not personal data: the same answer for everyone
  support: { schema: {}, run: async (_in, _ctx, deps) => ({ phone: deps.config.support.phone, hours: deps.config.support.hours }) },
  // the SMS channel (issue 9): opt-in with a verified phone, masked in every answer
  smsSettings: { schema: {}, run: (_in, ctx, deps) => smsSettings(deps, ctx.openid) },
  smsSendCode: { schema: { phone: str({ min: 1, max: 20 }) }, run: (input, ctx, deps) => sendSmsCode(deps, ctx.openid, input.phone) },
  smsVerify: {
    schema: { phone: str({ min: 1, max: 20 }), code: str({ min: 1, max: 10 }) },
    run: (input, ctx, deps) => verifySmsCode(deps, ctx.openid, input.phone, input.code),
  },
  smsBindWechat: { schema: { code: str({ min: 1, max: 128 }) }, run: (input, ctx, deps) => bindWechatPhone(deps, ctx.openid, input.code) },
  smsOptOut: { schema: {}, run: (_in, ctx, deps) => smsOptOut(deps, ctx.openid) },
  // 设置 → 删除个人数据 (the typed phrase is checked by the service, one home for the rule)
  deleteAccountData: { schema: { confirm: str({ max: 40 }) }, run: (input, ctx, deps) => deleteAccountData(deps, ctx.openid, input.confirm) },
})
