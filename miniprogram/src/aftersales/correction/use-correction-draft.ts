import { useCallback, useRef, useState } from 'react'
import type { InvoiceDetail, InvoiceTitle } from '@shared/domain'
import { useLoader } from '../../components/use-loader'
import { getInvoice } from '../../services/invoice.service'
import { getSettings, listTitles, pickDefaultTitle, validateEmail } from '../../services/profile.service'
import { isSamePrintedTitle } from '../../services/correction.service'

interface Loaded {
  invoice: InvoiceDetail
  titles: InvoiceTitle[]
  defaultEmail: string | null
}

/**
 * The 换开 form: the invoice, the person's titles (reloaded on every show, so a title added or
 * edited in the title editor appears; a newly added one is picked), the chosen title, 已入账 and
 * the e-mail. `sameTitle` is the shared rule: nothing printed would change, offer a re-send.
 */
export function useCorrectionDraft(invoiceId: string) {
  const [titleId, setTitleId] = useState<string | null>(null)
  const [buyerBooked, setBuyerBooked] = useState(false)
  const [email, setEmail] = useState('')
  const [emailError, setEmailError] = useState<string | null>(null)
  const known = useRef<Set<string> | null>(null)

  const fetch = useCallback(async (): Promise<Loaded> => {
    const [invoice, titles, settings] = await Promise.all([getInvoice(invoiceId), listTitles(), getSettings().catch(() => null)])
    return { invoice, titles, defaultEmail: settings?.settings.defaultEmail ?? null }
  }, [invoiceId])

  const onLoaded = useCallback((v: Loaded) => {
    const ids = new Set(v.titles.map((t) => t.id))
    const first = known.current === null
    const added = first ? null : (v.titles.find((t) => !known.current?.has(t.id)) ?? null)
    known.current = ids
    if (first) {
      // start from a title other than the invoice's (the point is to change it)
      const other = v.titles.find((t) => !isSamePrintedTitle(t, v.invoice.title))
      setTitleId((other ?? pickDefaultTitle(v.titles))?.id ?? null)
      setEmail(v.invoice.email ?? v.defaultEmail ?? '')
    } else if (added) setTitleId(added.id)
    else setTitleId((cur) => (cur && ids.has(cur) ? cur : (pickDefaultTitle(v.titles)?.id ?? null)))
  }, [])

  const loader = useLoader(invoiceId ? fetch : () => Promise.reject(new Error('no invoice')), onLoaded)
  const data = loader.data
  const title = data?.titles.find((t) => t.id === titleId) ?? null
  const sameTitle = Boolean(data && title && isSamePrintedTitle(title, data.invoice.title))
  // who must confirm the red-letter form is the buyer of the ORIGINAL invoice (DOMAIN.md)
  const canBeBooked = data?.invoice.title.kind === 'enterprise'

  /** the e-mail's inline check; returns whether the form may go on */
  const checkEmail = useCallback((): boolean => {
    const invalid = validateEmail(email)
    setEmailError(invalid)
    return invalid === null
  }, [email])

  return {
    ...loader,
    invoice: data?.invoice ?? null,
    titles: data?.titles ?? [],
    title,
    titleId,
    setTitleId,
    sameTitle,
    canBeBooked,
    buyerBooked: canBeBooked && buyerBooked,
    setBuyerBooked,
    email,
    setEmail: (v: string) => {
      setEmail(v)
      setEmailError(null)
    },
    emailError,
    checkEmail,
  }
}
