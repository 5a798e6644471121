import { useCallback, useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import type { SmsSettingsView } from '@shared/domain'
import { errorMessage } from '../../services/cloud'
import { bindWechatPhone, getSmsSettings, phoneProblem, sendSmsCode, smsOptOut, verifySmsCode } from '../../services/sms.service'

/** seconds before another code may be asked for (the server enforces it too) */
const RESEND_SECONDS = 60

/**
 * 短信通知 in 设置: read the state, opt in (weapp: getPhoneNumber; H5: typed number + 6-digit
 * code, with the resend countdown), opt out. The number only ever comes back masked.
 */
export function useSmsOptIn() {
  const [view, setView] = useState<SmsSettingsView | null>(null)
  const [phone, setPhone] = useState('')
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [codeSentTo, setCodeSentTo] = useState<string | null>(null)
  const [wait, setWait] = useState(0)
  const timer = useRef<ReturnType<typeof setInterval> | null>(null)

  useEffect(() => {
    getSmsSettings()
      .then(setView)
      .catch(() => setView(null))
    return () => {
      if (timer.current) clearInterval(timer.current)
    }
  }, [])

  const countdown = useCallback(() => {
    setWait(RESEND_SECONDS)
    if (timer.current) clearInterval(timer.current)
    timer.current = setInterval(() => {
      setWait((s) => {
        if (s <= 1 && timer.current) clearInterval(timer.current)
        return Math.max(0, s - 1)
      })
    }, 1000)
  }, [])

  async function run(step: () => Promise<void>) {
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      await step()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const sendCode = () => {
    // checked here first: the words of the rule, not a network round trip
    const problem = phoneProblem(phone)
    if (problem) return setError(problem)
    return run(async () => {
      const sent = await sendSmsCode(phone.replace(/[\s-]/g, ''))
      setCodeSentTo(sent.sentTo)
      countdown()
    })
  }

  const verify = () => {
    if (!/^\d{6}$/.test(code)) return setError('请输入短信中的 6 位验证码')
    return run(async () => {
      setView(await verifySmsCode(phone.replace(/[\s-]/g, ''), code))
      setCode('')
      setCodeSentTo(null)
      void Taro.showToast({ title: '已开启短信通知', icon: 'success' })
    })
  }

  const bindWechat = (wxCode: string | undefined) => {
    // no code: the person declined the phone number sheet
    if (!wxCode) return setError('未获得手机号授权，可稍后再试')
    return run(async () => {
      setView(await bindWechatPhone(wxCode))
      void Taro.showToast({ title: '已开启短信通知', icon: 'success' })
    })
  }

  const optOut = () =>
    run(async () => {
      setView(await smsOptOut())
      void Taro.showToast({ title: '已关闭短信通知', icon: 'none' })
    })

  return { view, phone, setPhone, code, setCode, error, busy, codeSentTo, wait, sendCode, verify, bindWechat, optOut }
}
