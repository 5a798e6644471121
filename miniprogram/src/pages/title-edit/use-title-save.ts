import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import type { TitleInput } from '@shared/domain'
import { normalizeTaxId, normalizeTitleName, saveTitle, validateTitleName } from '../../services/profile.service'
import { errorMessage, isCloudError } from '../../services/cloud'
import { goBack } from '../../services/nav'
import type { TitleForm, TitleFormState } from './use-title-form'

const orNull = (s: string) => (s.trim() === '' ? null : s.trim())

function toInput(form: TitleForm, editId: string | null, confirmChecksum: boolean): TitleInput {
  const enterprise = form.kind === 'enterprise'
  return {
    kind: form.kind,
    name: normalizeTitleName(form.name),
    taxId: orNull(normalizeTaxId(form.taxId)),
    address: enterprise ? orNull(form.address) : null,
    phone: enterprise ? orNull(form.phone) : null,
    bankName: enterprise ? orNull(form.bankName) : null,
    bankAccount: enterprise ? orNull(form.bankAccount) : null,
    // a new title leaves it to the cloud unless asked (the first title becomes the default)
    ...(editId || form.isDefault ? { isDefault: form.isDefault } : {}),
    ...(confirmChecksum ? { confirmChecksum: true } : {}),
  }
}

/**
 * 保存: the name and (单位) tax ID checked here first, then the cloud; a tax ID failing only its
 * checksum asks 继续提交 and saves again with confirmChecksum. Back to the list when saved.
 */
export function useTitleSave(state: TitleFormState, editId: string | null) {
  const { form, setHint, setNameError, touched } = state
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<string | null>(null)

  // an edit after a refusal clears it
  useEffect(() => setSaveError(null), [touched])

  async function save(confirmChecksum = false): Promise<void> {
    if (saving) return
    const nameInvalid = validateTitleName(form.name)
    setNameError(nameInvalid)
    if (nameInvalid) return
    if (form.kind === 'enterprise' && normalizeTaxId(form.taxId) === '') {
      setHint({ level: 'error', text: '单位抬头需填写税号（统一社会信用代码）' })
      return
    }
    setSaving(true)
    setSaveError(null)
    try {
      await saveTitle(toInput(form, editId, confirmChecksum), editId ?? undefined)
      void Taro.showToast({ title: '已保存', icon: 'success', duration: 1000 })
      setTimeout(() => goBack({ page: '/pages/titles/index' }), 1000)
    } catch (e) {
      setSaving(false)
      if (isCloudError(e) && e.code === 'TITLE.TAX_ID_CHECKSUM' && !confirmChecksum) {
        setHint({ level: 'warn', text: '税号校验未通过，请核对；确认无误可继续提交' })
        const { confirm } = await Taro.showModal({
          title: '请核对税号',
          content: '税号校验未通过，请核对；确认无误可继续提交',
          confirmText: '继续提交',
          cancelText: '返回核对',
        })
        if (confirm) await save(true)
        return
      }
      setSaveError(errorMessage(e))
    }
  }

  return { saving, saveError, save }
}
