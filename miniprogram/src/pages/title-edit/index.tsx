import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input, Switch, View } from '@tarojs/components'
import type { TitleInput, TitleKind } from '@shared/domain'
import { Page } from '../../components/page'
import { Segmented } from '../../components/segmented'
import { ErrorState, Loading } from '../../components/state-view'
import { TITLE_NAME_MAX_LENGTH, checkTaxId, listTitles, normalizeTaxId, normalizeTitleName, saveTitle, validateTitleName } from '../../services/profile.service'
import { errorMessage, isCloudError } from '../../services/cloud'
import { isUserCancel } from '../../services/taro-errors'
import { titleFromWechat } from '../../services/wechat-import'
import { goBack, routeParam } from '../../services/nav'

const KINDS = [
  { key: 'personal' as const, label: '个人', id: 'title-kind-personal' },
  { key: 'enterprise' as const, label: '单位', id: 'title-kind-enterprise' },
]

const CAN_IMPORT = process.env.TARO_ENV === 'weapp'

type HintLevel = 'ok' | 'warn' | 'error' | 'info'
interface Hint {
  level: HintLevel
  text: string
}

interface Form {
  kind: TitleKind
  name: string
  taxId: string
  address: string
  phone: string
  bankName: string
  bankAccount: string
  isDefault: boolean
}

const EMPTY: Form = { kind: 'enterprise', name: '', taxId: '', address: '', phone: '', bankName: '', bankAccount: '', isDefault: false }

const orNull = (s: string) => (s.trim() === '' ? null : s.trim())

export default function TitleEditPage() {
  const { params } = useRouter()
  const editId = params.id ? routeParam(params.id) : null
  const [form, setForm] = useState<Form>(EMPTY)
  const [loading, setLoading] = useState(Boolean(editId))
  const [loadError, setLoadError] = useState<string | null>(null)
  const [hint, setHint] = useState<Hint | null>(null)
  const [nameError, setNameError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<string | null>(null)
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

  function set<K extends keyof Form>(key: K, value: Form[K]) {
    setForm((f) => ({ ...f, [key]: value }))
    setSaveError(null)
  }

  /** The inline check on blur: the cloud's answer, shown under the field. */
  async function onTaxIdBlur(value: string = form.taxId) {
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
      const next: Form = { ...form, ...titleFromWechat(await Taro.chooseInvoiceTitle()) }
      setForm(next)
      setNameError(null)
      setSaveError(null)
      if (next.taxId) void onTaxIdBlur(next.taxId)
      else setHint(null)
    } catch (e) {
      if (!isUserCancel(e)) void Taro.showToast({ title: '无法读取微信中的发票抬头，请手动填写', icon: 'none' })
    }
  }

  function toInput(confirmChecksum: boolean): TitleInput {
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

  async function onSave(confirmChecksum = false) {
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
      await saveTitle(toInput(confirmChecksum), editId ?? undefined)
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
        if (confirm) await onSave(true)
        return
      }
      setSaveError(errorMessage(e))
      return
    }
  }

  if (loadError) {
    return (
      <Page>
        <ErrorState message={loadError} onRetry={() => void load()} />
      </Page>
    )
  }
  if (loading) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }

  const enterprise = form.kind === 'enterprise'

  return (
    <Page>
      <View className='segmented-bar'>
        <Segmented
          options={KINDS}
          value={form.kind}
          onChange={(kind) => {
            set('kind', kind)
            if (kind === 'personal' && form.taxId === '') setHint(null)
          }}
        />
      </View>
      {CAN_IMPORT ? (
        <View className='import-row'>
          <View className='link' id='title-import-wechat' onClick={() => void importFromWechat()}>
            从微信导入
          </View>
        </View>
      ) : null}

      <View className='cells'>
        <View className='cell'>
          <View className='cell__label'>名称</View>
          <Input
            id='title-name-input'
            className='cell__input'
            type='text'
            maxlength={TITLE_NAME_MAX_LENGTH}
            placeholder={enterprise ? '单位全称（必填）' : '个人姓名（必填）'}
            value={form.name}
            onInput={(e) => {
              set('name', e.detail.value)
              setNameError(null)
            }}
            onBlur={() => form.name !== '' && setNameError(validateTitleName(form.name))}
          />
        </View>
        <View className='cell'>
          <View className='cell__label'>税号</View>
          <Input
            id='title-taxid-input'
            className='cell__input mono-input'
            type='text'
            maxlength={20}
            placeholder={enterprise ? '统一社会信用代码（必填）' : '选填'}
            value={form.taxId}
            onInput={(e) => {
              set('taxId', normalizeTaxId(e.detail.value).slice(0, 20))
              setHint(null)
            }}
            onBlur={(e) => void onTaxIdBlur(e.detail.value)}
          />
        </View>
      </View>
      {nameError ? (
        <View className='error-text' id='title-name-error'>
          {nameError}
        </View>
      ) : null}
      {hint ? (
        <View className={`field-hint field-hint--${hint.level}`} id='title-taxid-hint'>
          {hint.text}
        </View>
      ) : null}

      {enterprise ? (
        <View>
          <View className='section-title'>以下选填，需要时才会印在发票上</View>
          <View className='cells'>
            <View className='cell'>
              <View className='cell__label'>地址</View>
              <Input
                id='title-address-input'
                className='cell__input'
                type='text'
                maxlength={100}
                placeholder='单位地址'
                value={form.address}
                onInput={(e) => set('address', e.detail.value)}
              />
            </View>
            <View className='cell'>
              <View className='cell__label'>电话</View>
              <Input
                id='title-phone-input'
                className='cell__input'
                type='text'
                maxlength={30}
                placeholder='单位电话'
                value={form.phone}
                onInput={(e) => set('phone', e.detail.value)}
              />
            </View>
            <View className='cell'>
              <View className='cell__label'>开户银行</View>
              <Input
                id='title-bank-input'
                className='cell__input'
                type='text'
                maxlength={100}
                placeholder='开户银行名称'
                value={form.bankName}
                onInput={(e) => set('bankName', e.detail.value)}
              />
            </View>
            <View className='cell'>
              <View className='cell__label'>银行账号</View>
              <Input
                id='title-account-input'
                className='cell__input'
                type='text'
                maxlength={40}
                placeholder='银行账号'
                value={form.bankAccount}
                onInput={(e) => set('bankAccount', e.detail.value)}
              />
            </View>
          </View>
        </View>
      ) : null}

      <View className='cells'>
        <View className='cell'>
          <View className='cell__body'>
            <View className='cell__title'>设为默认抬头</View>
            <View className='cell__desc'>开票和自动开票时默认使用</View>
          </View>
          <Switch id='title-default-switch' checked={form.isDefault} color='#07C160' onChange={(e) => set('isDefault', e.detail.value)} />
        </View>
      </View>

      {saveError ? (
        <View className='error-text' id='title-save-error'>
          {saveError}
        </View>
      ) : null}
      <View className='btn-area'>
        <Button
          className={saving ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
          id='title-save'
          loading={saving}
          disabled={saving || undefined}
          onClick={() => void onSave(false)}
        >
          保存
        </Button>
      </View>
      <View className='hint'>请核对抬头和税号：发票开具后不能修改。专票不适用于充值：预付卡充值只能开具不征税普通发票。</View>
    </Page>
  )
}
