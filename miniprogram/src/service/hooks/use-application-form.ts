import { useCallback, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import type { ApplicationInput, ApplicationType, OffPlatformTopup } from '@shared/aftersales'
import type { InvoiceDetail, InvoiceTitle, TopupConfig, TopupOrder } from '@shared/domain'
import { OFF_PLATFORM_MAX, PHOTOS_MAX_DEFAULT, normalizePhone } from '@shared/aftersales-rules'
import { useLoader } from '../../components/use-loader'
import { useClientToken } from '../../components/use-client-token'
import { usePhotoUploads } from '../../components/use-photo-uploads'
import { checkEmail, checkNote, checkPhone, ordersForSupplement, submitApplication } from '../../services/application.service'
import { getInvoice } from '../../services/invoice.service'
import { getSettings, listTitles, pickDefaultTitle, takeLastCreatedTitleId } from '../../services/profile.service'
import { getConfig } from '../../services/topup.service'
import { errorMessage } from '../../services/cloud'
import { askAfterSalesNotices } from '../../services/subscribe.service'
import { replacePage } from '../../services/nav'

interface FormData {
  titles: InvoiceTitle[]
  defaultEmail: string | null
  orders: TopupOrder[]
  windowDays: number
  limits: Pick<TopupConfig, 'minFen' | 'maxFen'>
  invoice: InvoiceDetail | null
}

export type FieldErrors = Partial<Record<'what' | 'title' | 'phone' | 'email' | 'note' | 'photos', string>>

/**
 * The 补开 / 换开 application form: what it loads (titles, the default e-mail, our orders old
 * enough to need review, the top-up limits, the invoice of a correction), its fields, the inline
 * checks, and one submission per input (the same clientToken for every retry of the same input).
 */
export function useApplicationForm(type: ApplicationType, invoiceId: string | null) {
  const [orderIds, setOrderIds] = useState<string[]>([])
  const [offPlatform, setOffPlatform] = useState<OffPlatformTopup[]>([])
  const [titleId, setTitleId] = useState<string | null>(null)
  const [email, setEmail] = useState('')
  const [phone, setPhone] = useState('')
  const [note, setNote] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [submitting, setSubmitting] = useState(false)
  const [submitError, setSubmitError] = useState<string | null>(null)
  const photos = usePhotoUploads('application', PHOTOS_MAX_DEFAULT)
  const tokenFor = useClientToken()
  const filled = useRef(false)

  const loader = useLoader<FormData>(
    async () => {
      const [titles, settings, supplement, config, invoice] = await Promise.all([
        listTitles(),
        getSettings(),
        type === 'supplement' ? ordersForSupplement() : Promise.resolve(null),
        getConfig(),
        type === 'correction' && invoiceId ? getInvoice(invoiceId) : Promise.resolve(null),
      ])
      return {
        titles,
        defaultEmail: settings.settings.defaultEmail,
        orders: supplement?.orders ?? [],
        windowDays: supplement?.windowDays ?? 0,
        limits: { minFen: config.minFen, maxFen: config.maxFen },
        invoice,
      }
    },
    (data) => {
      // a title just added in the editor is the one the person wants
      const created = takeLastCreatedTitleId()
      if (created && data.titles.some((t) => t.id === created)) setTitleId(created)
      else setTitleId((cur) => (cur && data.titles.some((t) => t.id === cur) ? cur : (pickDefaultTitle(data.titles)?.id ?? null)))
      if (filled.current) return
      filled.current = true
      setEmail(data.invoice?.email ?? data.defaultEmail ?? '')
    },
  )

  const clear = (key: keyof FieldErrors) => {
    setErrors((cur) => (cur[key] ? { ...cur, [key]: undefined } : cur))
    setSubmitError(null)
  }

  const toggleOrder = useCallback((id: string) => {
    setOrderIds((cur) => (cur.includes(id) ? cur.filter((x) => x !== id) : [...cur, id]))
    setErrors((cur) => ({ ...cur, what: undefined }))
  }, [])

  const addOffPlatform = useCallback((t: OffPlatformTopup) => {
    setOffPlatform((cur) => (cur.length >= OFF_PLATFORM_MAX ? cur : [...cur, t]))
    setErrors((cur) => ({ ...cur, what: undefined }))
  }, [])

  const removeOffPlatform = useCallback((index: number) => {
    setOffPlatform((cur) => cur.filter((_, i) => i !== index))
  }, [])

  function validate(): FieldErrors {
    const e: FieldErrors = {}
    if (type === 'supplement' && orderIds.length === 0 && offPlatform.length === 0) {
      e.what = '请选择要补开的充值记录，或添加一笔其他渠道的充值'
    }
    if (type === 'correction' && !invoiceId) e.what = '缺少要换开的发票，请从发票详情进入'
    if (!titleId) e.title = '请选择发票抬头，没有可先新增'
    const phoneError = checkPhone(phone)
    if (phoneError) e.phone = phoneError
    const emailError = email.trim() === '' ? null : checkEmail(email)
    if (emailError) e.email = emailError
    const noteError = checkNote(note) ?? (type === 'correction' && note.trim() === '' ? '请说明原发票哪里有误、应如何开具' : null)
    if (noteError) e.note = noteError
    if (photos.uploading) e.photos = '照片还在上传，请稍候再提交'
    else if (photos.failed) e.photos = '有照片上传失败，请点照片重试或删除后再提交'
    return e
  }

  async function submit() {
    if (submitting) return
    const found = validate()
    setErrors(found)
    if (Object.values(found).some(Boolean) || !titleId) {
      void Taro.showToast({ title: '请按提示修改后再提交', icon: 'none' })
      return
    }
    const input: Omit<ApplicationInput, 'clientToken'> = {
      type,
      ...(type === 'supplement' ? { orderIds, offPlatform } : { invoiceId: invoiceId as string }),
      titleId,
      email: email.trim() || null,
      note: note.trim(),
      photoFileIds: photos.fileIds,
      contactPhone: normalizePhone(phone),
    }
    // WeChat opens its subscribe dialog only from a tap, before any await: so the ask comes first
    // (templates are cached by the getSettings above); a refusal never stops the submission
    void askAfterSalesNotices()
    setSubmitting(true)
    setSubmitError(null)
    try {
      const application = await submitApplication({ ...input, clientToken: tokenFor(input) })
      void Taro.showToast({ title: '已提交', icon: 'success' })
      replacePage(`/service/application-detail/index?id=${encodeURIComponent(application.id)}`)
    } catch (err) {
      setSubmitError(errorMessage(err))
      setSubmitting(false)
    }
  }

  return {
    loader,
    fields: { orderIds, offPlatform, titleId, email, phone, note },
    set: {
      titleId: (id: string) => {
        setTitleId(id)
        clear('title')
      },
      email: (v: string) => {
        setEmail(v)
        clear('email')
      },
      phone: (v: string) => {
        setPhone(v)
        clear('phone')
      },
      note: (v: string) => {
        setNote(v)
        clear('note')
      },
    },
    checkPhoneNow: () => setErrors((cur) => ({ ...cur, phone: phone.trim() ? (checkPhone(phone) ?? undefined) : undefined })),
    toggleOrder,
    addOffPlatform,
    removeOffPlatform,
    photos,
    errors,
    submitting,
    submitError,
    submit,
  }
}

export type ApplicationForm = ReturnType<typeof useApplicationForm>
