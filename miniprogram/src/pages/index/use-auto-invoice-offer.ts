import { useState } from 'react'
import type { TitleKind } from '@shared/domain'
import {
  normalizeTaxId,
  normalizeTitleName,
  saveTitle,
  updateSettings,
  validateEmail,
  validateTitleName,
  type ProfileSettings,
} from '../../services/profile.service'
import { isCloudError } from '../../services/cloud'

export type OfferErrors = Partial<Record<'name' | 'taxId' | 'email', string>>

/** Whether the invoice of this top-up is already set to come by itself (the settings say so). */
export function autoInvoiceOn(profile: ProfileSettings | null): boolean {
  return Boolean(profile?.settings.autoInvoice && profile.defaultTitle)
}

/**
 * 支付成功后自动开票, offered in the first top-up's confirmation sheet: the title (or the default one)
 * and the e-mail typed right there, saved as the default title and the auto-invoice settings
 * BEFORE the order is created (the order keeps the choice it was created with). A retry after a
 * failure does not create the title twice: the saved one is reused while the inputs are unchanged.
 */
export function useAutoInvoiceOffer(profile: ProfileSettings | null, onSaved: (p: ProfileSettings) => void) {
  const [on, setOn] = useState(false)
  const [kind, setKind] = useState<TitleKind>('personal')
  const [name, setName] = useState('')
  const [taxId, setTaxId] = useState('')
  const [email, setEmail] = useState('')
  const [errors, setErrors] = useState<OfferErrors>({})
  // the title saved by an earlier tap of 去支付, with what it was saved from
  const [saved, setSaved] = useState<{ id: string; key: string } | null>(null)
  // 税号校验未通过 once: the next tap confirms the ID as typed (as in the title editor)
  const [checksumWarned, setChecksumWarned] = useState(false)

  const defaultTitle = profile?.defaultTitle ?? null
  const needsTitle = !defaultTitle

  function check(): OfferErrors {
    const next: OfferErrors = {}
    if (needsTitle) {
      const nameProblem = validateTitleName(name)
      if (nameProblem) next.name = nameProblem
      if (kind === 'enterprise' && normalizeTaxId(taxId) === '') next.taxId = '单位抬头请填写纳税人识别号'
    }
    const emailProblem = validateEmail(email)
    if (emailProblem) next.email = emailProblem
    return next
  }

  /** Saves the choice when switched on; false (with the reasons shown) when the inputs are not right. */
  async function apply(): Promise<boolean> {
    if (!on || !profile) return true
    const problems = check()
    setErrors(problems)
    if (Object.keys(problems).length > 0) return false
    let title = defaultTitle
    if (needsTitle) {
      const input = { kind, name: normalizeTitleName(name), taxId: kind === 'enterprise' ? normalizeTaxId(taxId) : null }
      const key = JSON.stringify(input)
      if (saved?.key !== key) {
        try {
          title = await saveTitle({ ...input, isDefault: true, ...(checksumWarned ? { confirmChecksum: true } : {}) })
        } catch (e) {
          if (isCloudError(e) && e.code.startsWith('TITLE.')) {
            if (e.code === 'TITLE.TAX_ID_CHECKSUM') setChecksumWarned(true)
            setErrors(e.code === 'TITLE.NAME_INVALID' ? { name: e.message } : { taxId: e.message })
            return false
          }
          throw e
        }
        setSaved({ id: title.id, key })
      }
    }
    const typed = email.trim()
    const settings = await updateSettings({ autoInvoice: true, ...(typed ? { defaultEmail: typed } : {}) })
    onSaved({ ...profile, settings, defaultTitle: title ?? profile.defaultTitle })
    setOn(false)
    return true
  }

  // typing in a field clears its complaint (it is checked again on 去支付)
  const clear = (field: keyof OfferErrors) => setErrors((e) => (e[field] ? { ...e, [field]: undefined } : e))
  const set = {
    on: setOn,
    kind: (k: TitleKind) => setKind(k),
    name: (v: string) => {
      setName(v)
      clear('name')
    },
    taxId: (v: string) => {
      setTaxId(v)
      clear('taxId')
    },
    email: (v: string) => {
      setEmail(v)
      clear('email')
    },
  }
  return { on, kind, name, taxId, email, errors, needsTitle, defaultTitle, checksumWarned, set, apply }
}
