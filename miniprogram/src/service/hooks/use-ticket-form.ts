import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import type { TicketCategory, TicketInput } from '@shared/aftersales'
import type { InvoiceDetail, InvoiceSummary } from '@shared/domain'
import { PHOTOS_MAX_DEFAULT, contactPhoneProblem, normalizePhone } from '@shared/aftersales-rules'
import { useClientToken } from '../../components/use-client-token'
import { usePhotoUploads } from '../../components/use-photo-uploads'
import { checkTicketText, openTicket } from '../../services/ticket.service'
import { getInvoice, listInvoices } from '../../services/invoice.service'
import { errorMessage } from '../../services/cloud'
import { askAfterSalesNotices, primeInvoiceNotices } from '../../services/subscribe.service'
import { replacePage } from '../../services/nav'

/** pick-invoice and selfhelp come first for 没收到发票; everything else goes straight to the form */
export type TicketStage = 'pick-invoice' | 'selfhelp' | 'form'

type Remote<T> = { data: T | null; error: string | null }

/**
 * 问题反馈: the category, the related invoice or order (attached from where the person came),
 * the self-help of 没收到发票 with that invoice's real state, then the message, photos and an
 * optional phone; one submission per input (same clientToken for every retry).
 */
export function useTicketForm(initial: { category: TicketCategory | null; invoiceId: string | null; orderId: string | null }) {
  const [category, setCategory] = useState<TicketCategory | null>(initial.category)
  const [invoiceId, setInvoiceId] = useState<string | null>(initial.invoiceId)
  const [skipInvoice, setSkipInvoice] = useState(false)
  const [helpWanted, setHelpWanted] = useState(false)
  const [invoice, setInvoice] = useState<Remote<InvoiceDetail>>({ data: null, error: null })
  const [invoices, setInvoices] = useState<Remote<InvoiceSummary[]>>({ data: null, error: null })
  const [text, setText] = useState('')
  const [phone, setPhone] = useState('')
  const [errors, setErrors] = useState<{ text?: string; phone?: string; photos?: string }>({})
  const [submitting, setSubmitting] = useState(false)
  const [submitError, setSubmitError] = useState<string | null>(null)
  const photos = usePhotoUploads('ticket', PHOTOS_MAX_DEFAULT)
  const tokenFor = useClientToken()
  const [reloadKey, setReloadKey] = useState(0)

  // the subscribe templates, loaded ahead so that 提交 can open WeChat's dialog at once
  useEffect(() => primeInvoiceNotices(), [])

  const missing = category === 'invoice_missing'
  const stage: TicketStage = !missing || helpWanted || skipInvoice ? 'form' : invoiceId ? 'selfhelp' : 'pick-invoice'

  // the invoice's real state, asked fresh whenever the self-help shows
  useEffect(() => {
    if (!invoiceId || stage !== 'selfhelp') return
    let live = true
    setInvoice({ data: null, error: null })
    getInvoice(invoiceId)
      .then((data) => live && setInvoice({ data, error: null }))
      .catch((e) => live && setInvoice({ data: null, error: errorMessage(e) }))
    return () => {
      live = false
    }
  }, [invoiceId, stage, reloadKey])

  useEffect(() => {
    if (stage !== 'pick-invoice' || invoices.data) return
    let live = true
    listInvoices(null, { status: 'all', month: null, cardNo: null })
      .then((page) => live && setInvoices({ data: page.items.filter((x) => x.color !== 'red'), error: null }))
      .catch((e) => live && setInvoices({ data: null, error: errorMessage(e) }))
    return () => {
      live = false
    }
  }, [stage, invoices.data, reloadKey])

  function chooseCategory(c: TicketCategory) {
    setCategory(c)
    setHelpWanted(false)
    setSubmitError(null)
  }

  async function submit() {
    if (submitting || !category) return
    const found = {
      text: checkTicketText(text) ?? undefined,
      phone: phone.trim() ? (contactPhoneProblem(phone) ?? undefined) : undefined,
      photos: photos.uploading ? '照片还在上传，请稍候再提交' : photos.failed ? '有照片上传失败，请点照片重试或删除' : undefined,
    }
    setErrors(found)
    if (found.text || found.phone || found.photos) return
    const input: Omit<TicketInput, 'clientToken'> = {
      category,
      text: text.trim(),
      orderId: initial.orderId,
      invoiceId,
      photoFileIds: photos.fileIds,
      contactPhone: phone.trim() ? normalizePhone(phone) : null,
    }
    // first thing after the synchronous checks: WeChat opens its subscribe dialog only from a tap
    void askAfterSalesNotices()
    setSubmitting(true)
    setSubmitError(null)
    try {
      const ticket = await openTicket({ ...input, clientToken: tokenFor(input) })
      void Taro.showToast({ title: '已提交', icon: 'success' })
      replacePage(`/service/ticket-detail/index?id=${encodeURIComponent(ticket.id)}`)
    } catch (e) {
      setSubmitError(errorMessage(e))
      setSubmitting(false)
    }
  }

  return {
    category,
    chooseCategory,
    stage,
    invoiceId,
    orderId: initial.orderId,
    invoice,
    invoices,
    pickInvoice: (id: string) => setInvoiceId(id),
    skipInvoice: () => setSkipInvoice(true),
    needHelp: () => setHelpWanted(true),
    reload: () => setReloadKey((k) => k + 1),
    text,
    setText: (v: string) => {
      setText(v)
      setErrors((cur) => ({ ...cur, text: undefined }))
    },
    phone,
    setPhone: (v: string) => {
      setPhone(v)
      setErrors((cur) => ({ ...cur, phone: undefined }))
    },
    photos,
    errors,
    submitting,
    submitError,
    submit,
  }
}
