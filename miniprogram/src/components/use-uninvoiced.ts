import { useCallback, useEffect, useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import type { UninvoicedSummary } from '@shared/domain'
import { getUninvoicedSummary } from '../services/topup.service'
import { readSession } from '../services/session'

/** the 发票 tab's position in app.config.ts tabBar.list */
const INVOICE_TAB_INDEX = 1

/**
 * The badge on the 发票 tab: the number of paid top-ups still to invoice (99+ beyond). Taro
 * calls it on both platforms (weapp: wx.setTabBarBadge; H5: Taro's own tab bar); it fails on
 * a page without the tab bar, which is harmless.
 */
export function showInvoiceTabBadge(count: number): void {
  const done =
    count > 0
      ? Taro.setTabBarBadge({ index: INVOICE_TAB_INDEX, text: count > 99 ? '99+' : String(count) })
      : Taro.removeTabBarBadge({ index: INVOICE_TAB_INDEX })
  void Promise.resolve(done).catch(() => undefined)
}

/** Reads the count and updates the badge; quiet on failure (offline), and never asks an H5 visitor to sign in for it. */
export async function refreshInvoiceTabBadge(): Promise<UninvoicedSummary | null> {
  if (process.env.TARO_ENV === 'h5' && !readSession()) return null
  try {
    const summary = await getUninvoicedSummary()
    showInvoiceTabBadge(summary.count)
    return summary
  } catch {
    return null
  }
}

/**
 * Un-invoiced top-ups for the home line and the badge: read on first show and every show
 * after (a top-up or an invoice elsewhere changes it). null until the first answer, or when it
 * could not be read (the line then stays hidden: it is a nudge, never an error).
 */
export function useUninvoiced(): { summary: UninvoicedSummary | null; refresh: () => Promise<void> } {
  const [summary, setSummary] = useState<UninvoicedSummary | null>(null)
  const refresh = useCallback(async () => {
    const next = await refreshInvoiceTabBadge()
    if (next) setSummary(next)
  }, [])
  useEffect(() => {
    void refresh()
  }, [refresh])
  useDidShow(() => {
    void refresh()
  })
  return { summary, refresh }
}

/** For the other tab pages: keep the badge right whenever the page shows. */
export function useInvoiceTabBadge(): void {
  useDidShow(() => {
    void refreshInvoiceTabBadge()
  })
}
