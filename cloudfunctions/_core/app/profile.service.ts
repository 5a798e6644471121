import type { InvoiceTitle, SubscribeTemplates, TemplateKey, TitleInput, UserSettings } from '../../../types/domain'
import { DomainError } from '../domain/errors'
import { parseEmail, parseTitle } from '../domain/invoice'
import { checkTaxId, maskTaxId } from '../domain/tax-id'
import type { StoredTitle } from '../ports/profile.repo'
import type { Deps } from '../runtime/deps'
import { auditTarget } from '../domain/staff'
import { auditUserAction } from './audit.service'
import { TEMPLATE_KEYS as ALL_TEMPLATE_KEYS, isConsent } from '../domain/subscribe'

const toTitle = ({ openid: _o, ...t }: StoredTitle): InvoiceTitle => t

export async function listTitles(deps: Deps, openid: string): Promise<InvoiceTitle[]> {
  return (await deps.titles.listByOwner(openid)).map(toTitle)
}

/** The caller's title, or TITLE.NOT_FOUND (also for someone else's). */
export async function ownedTitle(deps: Deps, openid: string, titleId: string): Promise<StoredTitle> {
  const t = await deps.titles.findById(titleId)
  if (!t || t.openid !== openid) throw new DomainError('TITLE.NOT_FOUND', '找不到该发票抬头，请刷新后重试')
  return t
}

export async function saveTitle(deps: Deps, openid: string, input: TitleInput & { id?: string }): Promise<InvoiceTitle> {
  const parsed = parseTitle(input)
  const now = deps.clock.now().toISOString()
  const existing = input.id ? await ownedTitle(deps, openid, input.id) : null
  const max = deps.config.invoice.maxTitlesPerUser
  const owned = existing ? null : await deps.titles.countByOwner(openid)
  if (owned !== null && owned >= max) throw new DomainError('TITLE.LIMIT_REACHED', `最多保存 ${max} 个抬头，请先删除不用的`)
  const isFirst = owned === 0
  const title: StoredTitle = {
    id: existing?.id ?? deps.random.id(),
    openid,
    ...parsed,
    isDefault: input.isDefault ?? existing?.isDefault ?? isFirst,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  }
  // a new title: the count and the insert are one atomic step, so concurrent saves cannot pass the limit
  if (existing) await deps.titles.save(title)
  else if (!(await deps.titles.insertWithinLimit(title, max))) throw new DomainError('TITLE.LIMIT_REACHED', `最多保存 ${max} 个抬头，请先删除不用的`)
  deps.log.info('title saved', { title: title.id, kind: title.kind, taxId: maskTaxId(title.taxId) })
  await auditUserAction(deps, openid, {
    action: existing ? 'title.update' : 'title.create',
    target: auditTarget('title', title.id),
    before: existing,
    after: title,
  })
  return toTitle(title)
}

export async function removeTitle(deps: Deps, openid: string, titleId: string): Promise<void> {
  const t = await ownedTitle(deps, openid, titleId)
  await deps.titles.remove(openid, t.id)
  await auditUserAction(deps, openid, { action: 'title.remove', target: auditTarget('title', t.id), before: t, after: null })
  if (t.isDefault) {
    // Keep one default while any title is left, so automatic invoicing keeps a target.
    const [next] = await deps.titles.listByOwner(openid)
    if (next) await deps.titles.setDefault(openid, next.id)
  }
}

export async function setDefaultTitle(deps: Deps, openid: string, titleId: string): Promise<InvoiceTitle> {
  await ownedTitle(deps, openid, titleId)
  await deps.titles.setDefault(openid, titleId)
  return toTitle(await ownedTitle(deps, openid, titleId))
}

export function taxIdCheck(taxId: string) {
  const { formatOk, checksumOk, message } = checkTaxId(taxId)
  return { formatOk, checksumOk, message }
}

export async function defaultTitle(deps: Deps, openid: string): Promise<StoredTitle | null> {
  return (await deps.titles.listByOwner(openid)).find((t) => t.isDefault) ?? null
}

export function templates(deps: Deps): SubscribeTemplates {
  return { ids: { ...deps.config.subscribe.templates } }
}

export async function getSettings(deps: Deps, openid: string) {
  const [settings, def] = await Promise.all([deps.settings.get(openid), defaultTitle(deps, openid)])
  return { settings, defaultTitle: def ? toTitle(def) : null, templates: templates(deps) }
}

export async function updateSettings(deps: Deps, openid: string, patch: { autoInvoice?: boolean; defaultEmail?: string | null }): Promise<UserSettings> {
  const next: Partial<UserSettings> = {}
  if (patch.autoInvoice !== undefined) next.autoInvoice = patch.autoInvoice
  if (patch.defaultEmail !== undefined)
    next.defaultEmail = patch.defaultEmail === null || patch.defaultEmail.trim() === '' ? null : parseEmail(patch.defaultEmail)
  return deps.settings.update(openid, next)
}

// every template the app may ask for (afterSalesUpdate included): one list, in domain/subscribe.ts
const TEMPLATE_KEYS: readonly TemplateKey[] = ALL_TEMPLATE_KEYS

/**
 * Records what wx.requestSubscribeMessage answered. Each consent ('accept', 'acceptWithAlert',
 * 'acceptWithAudio', 'acceptWithForcePush') is one message WeChat will let us send; anything else
 * ('reject', 'ban', 'filter') adds nothing.
 */
export async function recordSubscriptions(deps: Deps, openid: string, results: Partial<Record<TemplateKey, string>>) {
  for (const key of TEMPLATE_KEYS) {
    if (isConsent(results[key])) await deps.quota.add(openid, key, 1)
  }
  return { quota: await deps.quota.get(openid) }
}
