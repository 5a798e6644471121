import { useState } from 'react'
import Taro from '@tarojs/taro'
import type { Card } from '@shared/domain'
import { createOrder, newClientToken } from '../../services/topup.service'
import { pay } from '../../services/payment.service'
import { setLastCardId } from '../../services/settings.service'
import { errorMessage } from '../../services/cloud'

/**
 * The confirmation sheet's state and 去支付. One idempotency key per opening of the sheet:
 * repeated taps (or a retry after a lost answer) reuse it and find the same order. `beforeOrder`
 * runs first (the 自动开票 choice must be saved before the order copies it); false stops quietly.
 */
export function useTopupPay(beforeOrder: () => Promise<boolean>) {
  const [open, setOpen] = useState(false)
  const [clientToken, setClientToken] = useState('')
  const [paying, setPaying] = useState(false)
  const [payError, setPayError] = useState<string | null>(null)

  function openSheet() {
    setClientToken(newClientToken())
    setPayError(null)
    setOpen(true)
  }

  function close() {
    if (!paying) setOpen(false)
  }

  async function payNow(card: Card | null, fen: number | null) {
    if (paying || !card || fen === null) return
    setPaying(true)
    setPayError(null)
    try {
      if (!(await beforeOrder())) return
      const { order, payment } = await createOrder(card.id, fen, clientToken)
      setLastCardId(card.id)
      await pay(order, payment)
      setOpen(false)
    } catch (e) {
      setPayError(errorMessage(e))
    } finally {
      setPaying(false)
    }
  }

  function toast(title: string) {
    void Taro.showToast({ title, icon: 'none' })
  }

  return { open, paying, payError, openSheet, close, payNow, toast }
}
