/** 发票抬头 and invoice settings (the `profile` function), plus the inline checks of their forms. */
import type { ActionOut } from '@shared/api'
import type { InvoiceTitle, SubscribeTemplates, TemplateKey, TitleInput, TitleKind, UserSettings } from '@shared/domain'
import { normalizePrinted, printedTextProblem } from '@shared/text-rules'
import { isEmail } from '@shared/invoice-rules'
import { handOff, takeHandOff } from './handoff'
import { callFunction } from './cloud'

export type ProfileSettings = ActionOut<'profile', 'getSettings'>
export type TaxIdCheck = ActionOut<'profile', 'checkTaxId'>

export const TITLE_KIND_LABEL: Record<TitleKind, string> = { personal: '个人', enterprise: '单位' }
export const TITLE_NAME_MAX_LENGTH = 100
// the e-mail rule has one home, shared with the cloud functions (types/invoice-rules.ts)
export { EMAIL_MAX_LENGTH } from '@shared/invoice-rules'

export async function listTitles(): Promise<InvoiceTitle[]> {
  const { titles } = await callFunction('profile', 'listTitles', {})
  return titles
}

/** Create (no id) or update. The first title becomes the default on the server. */
export async function saveTitle(input: TitleInput, id?: string): Promise<InvoiceTitle> {
  const { title } = await callFunction('profile', 'saveTitle', { ...input, ...(id ? { id } : {}) })
  if (!id) handOff('title.created', title.id)
  return title
}

/**
 * The title created last on this device, once: a page that sent the person to the title editor
 * (the 开票 title sheet) picks it up when it shows again.
 */
export function takeLastCreatedTitleId(): string | null {
  return takeHandOff('title.created')
}

export async function removeTitle(titleId: string): Promise<void> {
  await callFunction('profile', 'removeTitle', { titleId })
}

export async function setDefaultTitle(titleId: string): Promise<InvoiceTitle> {
  const { title } = await callFunction('profile', 'setDefaultTitle', { titleId })
  return title
}

export function checkTaxId(taxId: string): Promise<TaxIdCheck> {
  return callFunction('profile', 'checkTaxId', { taxId: normalizeTaxId(taxId) })
}

let knownTemplates: SubscribeTemplates | null = null

export async function getSettings(): Promise<ProfileSettings> {
  const out = await callFunction('profile', 'getSettings', {})
  knownTemplates = out.templates
  return out
}

/** The subscribe-message template ids from the last getSettings, if any (see subscribe.service). */
export function cachedTemplates(): SubscribeTemplates | null {
  return knownTemplates
}

export async function updateSettings(patch: { autoInvoice?: boolean; defaultEmail?: string | null }): Promise<UserSettings> {
  const { settings } = await callFunction('profile', 'updateSettings', patch)
  return settings
}

export function recordSubscriptions(results: Partial<Record<TemplateKey, string>>): Promise<{ quota: Record<TemplateKey, number> }> {
  return callFunction('profile', 'recordSubscriptions', { results })
}

/** Spaces out, upper case: what the person meant to type. */
export function normalizeTaxId(raw: string): string {
  return raw.replace(/\s/g, '').toUpperCase()
}

/** The default title, else the first one. */
export function pickDefaultTitle(titles: InvoiceTitle[]): InvoiceTitle | null {
  return titles.find((t) => t.isDefault) ?? titles[0] ?? null
}

/** Inline check before sending; the cloud checks again and has the last word. Empty is allowed. */
export function validateEmail(text: string): string | null {
  const s = text.trim()
  if (s === '') return null
  if (!isEmail(s)) return '邮箱格式不正确，请核对，如 name@example.com'
  return null
}

/**
 * The cloud's name rule, from the shared module (not a copy): zero-width characters are dropped,
 * direction controls, emoji and characters the invoice fonts cannot print are refused with the
 * reason, so the person hears it while typing instead of after saving.
 */
export function validateTitleName(name: string): string | null {
  const s = normalizePrinted(name)
  if (s === '') return '请填写抬头名称'
  if (Array.from(s).length > TITLE_NAME_MAX_LENGTH) return `名称最多 ${TITLE_NAME_MAX_LENGTH} 个字`
  return printedTextProblem(s, '名称')
}

/** The name as it is sent and printed: zero-width characters removed, trimmed. */
export const normalizeTitleName = (name: string): string => normalizePrinted(name)

/** 设置 → 删除个人数据: `confirm` is the phrase the person typed (ACCOUNT_DELETE_PHRASE); the server checks it. */
export function deleteAccountData(confirm: string): Promise<ActionOut<'profile', 'deleteAccountData'>> {
  return callFunction('profile', 'deleteAccountData', { confirm })
}
