import { useCallback, useState } from 'react'
import type { InvoiceTitle } from '@shared/domain'
import { listTitles, pickDefaultTitle, takeLastCreatedTitleId } from '../../services/profile.service'

/** The 发票抬头 picked for a request: the last pick while it exists, else the default. */
export function useTitleChoice() {
  const [titles, setTitles] = useState<InvoiceTitle[]>([])
  const [titleId, setTitleId] = useState<string | null>(null)

  /** `prefer`: a title to pick when it is listed (one just created in the title editor) */
  const show = useCallback((next: InvoiceTitle[], prefer?: string | null) => {
    setTitles(next)
    setTitleId((cur) => {
      if (prefer && next.some((t) => t.id === prefer)) return prefer
      if (cur && next.some((t) => t.id === cur)) return cur
      return pickDefaultTitle(next)?.id ?? null
    })
  }, [])

  /** back from the title editor: list again and pick the title created there */
  const refresh = useCallback(
    (always: boolean) => {
      const created = takeLastCreatedTitleId()
      if (!always && !created) return
      listTitles()
        .then((next) => show(next, created))
        .catch(() => undefined)
    },
    [show],
  )

  const title = titles.find((t) => t.id === titleId) ?? null
  return { titles, titleId, title, setTitleId, show, refresh }
}

export type TitleChoice = ReturnType<typeof useTitleChoice>
