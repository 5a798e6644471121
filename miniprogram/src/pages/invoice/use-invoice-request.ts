import { useState } from 'react'
import Taro from '@tarojs/taro'
import type { InvoiceDetail, TopupOrder } from '@shared/domain'
import { newClientToken, requestInvoice } from '../../services/invoice.service'
import { getSettings, listTitles, validateEmail } from '../../services/profile.service'
import { askInvoiceNotices } from '../../services/subscribe.service'
import { errorMessage, isCloudError } from '../../services/cloud'
import { handOff } from '../../services/handoff'
import { useTitleChoice } from './use-title-choice'

/** Codes after which the list of what can be invoiced is out of date. */
const STALE_ORDER_CODES = ['INVOICE.ORDER_ALREADY_INVOICED', 'INVOICE.ORDER_NOT_FOUND', 'INVOICE.ORDER_NOT_PAID', 'INVOICE.ORDER_OUT_OF_WINDOW']

type Step = 'closed' | 'title' | 'confirm'

/**
 * 开票 -> 选择发票抬头 -> 确认开票: the two sheets and the request. One idempotency key per
 * confirmation sheet, so a retry after a lost answer finds the same invoice.
 */
export function useInvoiceRequest({ onRequested, onStale }: { onRequested: (invoice: InvoiceDetail, orderIds: string[]) => void; onStale: () => void }) {
  const choice = useTitleChoice()
  const [step, setStep] = useState<Step>('closed')
  const [preparing, setPreparing] = useState(false)
  const [clientToken, setClientToken] = useState('')
  const [email, setEmailText] = useState('')
  const [emailError, setEmailError] = useState<string | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [submitError, setSubmitError] = useState<string | null>(null)
  const [asked, setAsked] = useState(false)

  /** 开票: load the titles and the default e-mail, then the title sheet */
  async function start(count: number) {
    if (preparing) return
    if (count === 0) {
      void Taro.showToast({ title: '请先选择要开票的充值', icon: 'none' })
      return
    }
    setPreparing(true)
    try {
      // settings also loads the subscribe template ids, ready for the 确认开票 tap
      const [titles, profile] = await Promise.all([listTitles(), getSettings()])
      choice.show(titles)
      setEmailText(profile.settings.defaultEmail ?? '')
      setStep('title')
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setPreparing(false)
    }
  }

  function toConfirm() {
    if (!choice.title) {
      void Taro.showToast({ title: '请选择发票抬头', icon: 'none' })
      return
    }
    setClientToken(newClientToken())
    setAsked(false)
    setEmailError(null)
    setSubmitError(null)
    setStep('confirm')
  }

  function setEmail(text: string) {
    setEmailText(text)
    setEmailError(null)
  }

  async function confirm(orders: TopupOrder[]) {
    const title = choice.title
    if (submitting || !title) return
    const invalid = validateEmail(email)
    setEmailError(invalid)
    if (invalid) return
    // first thing after the tap (WeChat opens its dialog only from a tap); once per sheet, never throws
    const asking = asked ? Promise.resolve() : askInvoiceNotices()
    setAsked(true)
    setSubmitting(true)
    setSubmitError(null)
    try {
      const invoice = await requestInvoice({ orderIds: orders.map((o) => o.id), titleId: title.id, email: email.trim() || null, clientToken })
      await asking
      handOff('invoice.listChanged', true)
      setStep('closed')
      onRequested(invoice, invoice.orderIds.length ? invoice.orderIds : orders.map((o) => o.id))
    } catch (e) {
      setSubmitError(errorMessage(e))
      if (isCloudError(e) && STALE_ORDER_CODES.includes(e.code)) onStale()
    } finally {
      setSubmitting(false)
    }
  }

  function close() {
    if (!submitting) setStep('closed')
  }

  return {
    choice,
    step,
    preparing,
    email,
    emailError,
    submitting,
    submitError,
    start,
    toConfirm,
    setEmail,
    checkEmail: () => setEmailError(validateEmail(email)),
    confirm,
    close,
  }
}

export type InvoiceRequest = ReturnType<typeof useInvoiceRequest>
