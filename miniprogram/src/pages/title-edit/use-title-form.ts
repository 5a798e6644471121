import { useCallback, useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { checkTaxId, listTitles, normalizeTaxId } from '../../services/profile.service'
import { errorMessage } from '../../services/cloud'
import { isUserCancel } from '../../services/taro-errors'
import { titleFromWechat, type ImportedTitle } from '../../services/wechat-import'

export type HintLevel = 'ok' | 'warn' | 'error' | 'info'
export interface Hint {
  level: HintLevel
  text: string
}

/** What 编辑抬头 edits: the fields a WeChat title import fills, plus 设为默认. */
export interface TitleForm extends ImportedTitle {
  isDefault: boolean
}

const EMPTY: TitleForm = { kind: 'enterprise', name: '', taxId: '', address: '', phone: '', bankName: '', bankAccount: '', isDefault: false }

/**
 * The 编辑抬头 form: loading the title being edited (or defaulting a first title to 默认), the
 * fields, the tax ID's inline check against the cloud on blur, and 从微信导入 (weapp).
 */
export function useTitleForm(editId: string | null) {
  const [form, setForm] = useState<TitleForm>(EMPTY)
  const [loading, setLoading] = useState(Boolean(editId))
  const [loadError, setLoadError] = useState<string | null>(null)
  const [hint, setHint] = useState<Hint | null>(null)
  const [nameError, setNameError] = useState<string | null>(null)
  const [touched, setTouched] = useState(0)
  const checkSeq = useRef(0)

  const load = useCallback(async () => {
    if (!editId) {
      // a first title becomes the default: show the switch on
      listTitles()
        .then((titles) => {
          if (titles.length === 0) setForm((f) => ({ ...f, isDefault: true }))
        })
        .catch(() => undefined)
      return
    }
    setLoading(true)
    setLoadError(null)
    try {
      const title = (await listTitles()).find((t) => t.id === editId)
      if (!title) {
        setLoadError('找不到这个抬头，可能已被删除')
        return
      }
      setForm({
        kind: title.kind,
        name: title.name,
        taxId: title.taxId ?? '',
        address: title.address ?? '',
        phone: title.phone ?? '',
        bankName: title.bankName ?? '',
        bankAccount: title.bankAccount ?? '',
        isDefault: title.isDefault,
      })
      if (title.taxIdChecksumOk === false) setHint({ level: 'warn', text: '税号未通过校验，已确认无误' })
    } catch (e) {
      setLoadError(errorMessage(e))
    } finally {
      setLoading(false)
    }
  }, [editId])

  useEffect(() => {
    Taro.setNavigationBarTitle({ title: editId ? '编辑抬头' : '新增抬头' }).catch(() => undefined)
    void load()
  }, [editId, load])

  /** Sets a field; `touched` changes so the save error of an earlier attempt can be cleared. */
  function set<K extends keyof TitleForm>(key: K, value: TitleForm[K]) {
    setForm((f) => ({ ...f, [key]: value }))
    setTouched((n) => n + 1)
  }

  /** The inline check on blur: the cloud's answer, shown under the field. */
  async function checkTaxIdNow(value: string = form.taxId) {
    const taxId = normalizeTaxId(value)
    const mine = ++checkSeq.current
    if (taxId === '') {
      setHint(null)
      return
    }
    try {
      const res = await checkTaxId(taxId)
      if (mine !== checkSeq.current) return
      const level: HintLevel = !res.formatOk ? 'error' : res.checksumOk === true ? 'ok' : res.checksumOk === false ? 'warn' : 'info'
      setHint({ level, text: res.message })
    } catch {
      if (mine === checkSeq.current) setHint(null) // the check is a help; saving checks again
    }
  }

  async function importFromWechat() {
    try {
      const next: TitleForm = { ...form, ...titleFromWechat(await Taro.chooseInvoiceTitle()) }
      setForm(next)
      setNameError(null)
      setTouched((n) => n + 1)
      if (next.taxId) void checkTaxIdNow(next.taxId)
      else setHint(null)
    } catch (e) {
      if (!isUserCancel(e)) void Taro.showToast({ title: '无法读取微信中的发票抬头，请手动填写', icon: 'none' })
    }
  }

  return { form, set, loading, loadError, reload: load, hint, setHint, nameError, setNameError, touched, checkTaxIdNow, importFromWechat }
}

export type TitleFormState = ReturnType<typeof useTitleForm>
