import { useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Switch, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { useLoader } from '../../components/use-loader'
import { ErrorState, Loading } from '../../components/state-view'
import { useLargeText } from '../../components/use-large-text'
import { EMAIL_MAX_LENGTH, getSettings, updateSettings, validateEmail, type ProfileSettings } from '../../services/profile.service'
import { setLargeText } from '../../services/settings.service'
import { errorMessage } from '../../services/cloud'
import { maskTaxId } from '../../services/format'
import { openPage } from '../../services/nav'
import { decorative, inputLabel, pressable } from '../../components/a11y'
import { FieldEcho } from '../../components/field-echo'
import { SmsSection } from './sms-section'
import { DeleteDataSection } from './delete-data-section'
import { COLOR } from '../../styles/colors'

export default function SettingsPage() {
  const large = useLargeText()
  const [autoBusy, setAutoBusy] = useState(false)
  // remounts the switch when a change is refused, so it shows the real value again
  const [switchKey, setSwitchKey] = useState(0)
  const [email, setEmail] = useState('')
  const [emailError, setEmailError] = useState<string | null>(null)
  const [emailSaving, setEmailSaving] = useState(false)
  const emailDirty = useRef(false)
  // every show, and back from adding a title; the e-mail field is filled unless being edited
  const {
    data: profile,
    setData: setProfile,
    error,
    retry,
  } = useLoader(getSettings, (next: ProfileSettings) => {
    if (!emailDirty.current) setEmail(next.settings.defaultEmail ?? '')
  })

  async function onAutoInvoice(on: boolean) {
    if (!profile || autoBusy) return
    if (on && !profile.defaultTitle) {
      setSwitchKey((k) => k + 1)
      const { confirm } = await Taro.showModal({
        title: '先设置默认抬头',
        content: '自动开票会用默认抬头开具发票。请先添加一个抬头，再开启自动开票。',
        confirmText: '去添加',
        cancelText: '暂不',
      })
      if (confirm) openPage('/pages/title-edit/index?from=settings')
      return
    }
    setAutoBusy(true)
    setProfile({ ...profile, settings: { ...profile.settings, autoInvoice: on } })
    try {
      const settings = await updateSettings({ autoInvoice: on })
      setProfile((p) => (p ? { ...p, settings } : p))
      void Taro.showToast({ title: on ? '已开启自动开票' : '已关闭自动开票', icon: 'none' })
    } catch (e) {
      setProfile((p) => (p ? { ...p, settings: { ...p.settings, autoInvoice: !on } } : p))
      setSwitchKey((k) => k + 1)
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setAutoBusy(false)
    }
  }

  async function saveEmail() {
    if (emailSaving) return
    const invalid = validateEmail(email)
    setEmailError(invalid)
    if (invalid) return
    setEmailSaving(true)
    try {
      const settings = await updateSettings({ defaultEmail: email.trim() || null })
      emailDirty.current = false
      setProfile((p) => (p ? { ...p, settings } : p))
      setEmail(settings.defaultEmail ?? '')
      void Taro.showToast({ title: settings.defaultEmail ? '邮箱已保存' : '已清除邮箱', icon: 'success' })
    } catch (e) {
      setEmailError(errorMessage(e))
    } finally {
      setEmailSaving(false)
    }
  }

  if (error) {
    return (
      <Page>
        <ErrorState message={error} onRetry={retry} />
      </Page>
    )
  }
  if (!profile) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }

  const { settings, defaultTitle } = profile
  const emailChanged = email.trim() !== (settings.defaultEmail ?? '')

  return (
    <Page>
      <View className='section-title'>发票</View>
      <View className='cells'>
        <View className='cell' id='auto-invoice'>
          <View className='cell__body'>
            <View className='cell__title'>自动开票</View>
            <View className='cell__desc' id='auto-invoice-desc'>
              {defaultTitle ? `充值成功后自动以「${defaultTitle.name}」开具发票` : '需先设置默认抬头；开启后充值成功即自动开票'}
            </View>
          </View>
          <Switch
            key={switchKey}
            id='auto-invoice-switch'
            checked={settings.autoInvoice}
            disabled={autoBusy}
            color={COLOR.brandStrong}
            onChange={(e) => void onAutoInvoice(e.detail.value)}
            {...inputLabel('自动开票')}
          />
        </View>
        <View className='cell' id='settings-titles' hoverClass='cell-hover' onClick={() => openPage('/pages/titles/index')} {...pressable('', 'link')}>
          <View className='cell__body'>
            <View className='cell__title'>默认抬头</View>
            <View className='cell__desc'>
              {defaultTitle ? `${defaultTitle.name}${defaultTitle.taxId ? ` · ${maskTaxId(defaultTitle.taxId)}` : ''}` : '未设置，点此添加'}
            </View>
          </View>
          <View className='cell__arrow' {...decorative()} />
        </View>
      </View>

      <View className='section-title'>默认接收邮箱</View>
      <View className='cells'>
        <View className='cell'>
          <Input
            id='default-email-input'
            className='cell__input'
            type='text'
            maxlength={EMAIL_MAX_LENGTH}
            placeholder='发票开具后发送到此邮箱'
            value={email}
            {...inputLabel('默认接收邮箱')}
            onInput={(e) => {
              emailDirty.current = true
              setEmail(e.detail.value)
              setEmailError(null)
            }}
          />
          <Button
            className={emailChanged ? 'btn btn--default btn--mini' : 'btn btn--default btn--mini btn--busy'}
            id='default-email-save'
            loading={emailSaving}
            onClick={() => void saveEmail()}
            {...pressable('保存邮箱', 'button', { disabled: !emailChanged })}
          >
            保存
          </Button>
        </View>
      </View>
      <FieldEcho id='default-email-echo' lead='发送到' value={email} over={16} />
      {emailError ? (
        <View className='error-text' id='default-email-error'>
          {emailError}
        </View>
      ) : null}
      <View className='hint'>开票时默认填入，也可在开票时修改。没收到邮件？请查看垃圾邮件箱。</View>
      {settings.autoInvoice && !settings.defaultEmail ? (
        <View className='hint' id='auto-invoice-no-email'>
          未设置邮箱：自动开具的发票可在「发票」中查看和下载。
        </View>
      ) : null}

      <SmsSection />

      <View className='section-title'>显示</View>
      <View className='cells'>
        <View className='cell'>
          <View className='cell__body'>
            <View className='cell__title'>大字模式</View>
            <View className='cell__desc'>放大文字和按钮，更易看清</View>
          </View>
          <Switch
            id='settings-large-text-switch'
            checked={large}
            color={COLOR.brandStrong}
            onChange={(e) => setLargeText(e.detail.value)}
            {...inputLabel('大字模式')}
          />
        </View>
      </View>

      <DeleteDataSection />
    </Page>
  )
}
