import { useCallback, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import type { PaperAddress, PaperRequestView } from '@shared/aftersales'
import { newClientToken, requestPaper, validatePaperAddress, type PaperAddressErrors } from '../../services/paper.service'
import { errorMessage } from '../../services/cloud'
import { isUserCancel } from '../../services/taro-errors'
import { addressFromWechat } from '../../services/wechat-import'

const EMPTY: PaperAddress = { recipient: '', phone: '', province: '', city: '', district: '', detail: '', postalCode: '' }

/**
 * The address form of 邮寄纸质版: fields, inline messages from the shared rules (checked on blur
 * and on submit), 使用微信收货地址 (weapp), and one submit per form: the clientToken lives as long
 * as the form, so a retry after a lost answer finds the same request.
 */
export function usePaperForm(invoiceId: string) {
  const [address, setAddress] = useState<PaperAddress>(EMPTY)
  const [errors, setErrors] = useState<PaperAddressErrors>({})
  const [submitting, setSubmitting] = useState(false)
  const [submitError, setSubmitError] = useState<string | null>(null)
  const token = useRef(newClientToken())

  const current = useRef(address)
  current.current = address

  const set = useCallback((key: keyof PaperAddress, value: string) => {
    // H5 inputs also report their unchanged value on blur: only a real edit clears the messages
    if ((current.current[key] ?? '') === value) return
    setAddress((a) => ({ ...a, [key]: value }))
    setErrors((e) => ({ ...e, [key]: undefined }))
    setSubmitError(null)
  }, [])

  /** on blur: only the field left, and only once it has something in it */
  const check = useCallback(
    (key: keyof PaperAddress) => {
      if (String(address[key] ?? '').trim() === '') return
      setErrors((e) => ({ ...e, [key]: validatePaperAddress(address)[key] }))
    },
    [address],
  )

  const importFromWechat = useCallback(async () => {
    try {
      const next: PaperAddress = addressFromWechat(await Taro.chooseAddress())
      setAddress(next)
      setErrors(validatePaperAddress(next))
    } catch (e) {
      if (!isUserCancel(e)) void Taro.showToast({ title: '无法读取微信收货地址，请手动填写', icon: 'none' })
    }
  }, [])

  const submit = useCallback(async (): Promise<PaperRequestView | null> => {
    if (submitting) return null
    const found = validatePaperAddress(address)
    setErrors(found)
    if (Object.values(found).some(Boolean)) {
      setSubmitError('请按提示修改标红的项目')
      return null
    }
    setSubmitting(true)
    setSubmitError(null)
    try {
      return await requestPaper(invoiceId, address, token.current)
    } catch (e) {
      setSubmitError(errorMessage(e))
      return null
    } finally {
      setSubmitting(false)
    }
  }, [address, invoiceId, submitting])

  return { address, errors, set, check, importFromWechat, submit, submitting, submitError }
}
