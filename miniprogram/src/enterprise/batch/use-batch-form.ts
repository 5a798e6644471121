import { useCallback, useEffect, useMemo, useState } from 'react'
import type { BatchCards, BatchPreview, BatchSpec, BatchSplitMode } from '@shared/batch'
import type { Card, InvoiceTitle } from '@shared/domain'
import { previewBatch } from '../../services/batch.service'
import { groupsOf, listCards } from '../../services/card.service'
import { errorMessage } from '../../services/cloud'
import { recentMonths } from '../../services/format'
import { listTitles } from '../../services/profile.service'

export type CardsKind = BatchCards['kind']

/**
 * The batch form (企业批量开票): title, months, cards (all / one group / some), split mode; the
 * spec it makes, and the preview of that spec. Any change of the form drops the preview, so what
 * is confirmed is always what was previewed.
 */
export function useBatchForm() {
  const [titles, setTitles] = useState<InvoiceTitle[] | null>(null)
  const [cards, setCards] = useState<Card[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [titleId, setTitleId] = useState<string | null>(null)
  const [months, setMonths] = useState<string[]>(() => recentMonths(1))
  const [cardsKind, setCardsKind] = useState<CardsKind>('all')
  const [group, setGroup] = useState('')
  const [cardIds, setCardIds] = useState<string[]>([])
  const [mode, setMode] = useState<BatchSplitMode>('per_card')
  const [preview, setPreview] = useState<BatchPreview | null>(null)
  const [previewing, setPreviewing] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  const load = useCallback(async () => {
    setLoadError(null)
    try {
      const [t, c] = await Promise.all([listTitles(), listCards()])
      // enterprise titles first: a batch is for a company's reimbursement
      const sorted = [...t].sort((a, b) => Number(b.kind === 'enterprise') - Number(a.kind === 'enterprise'))
      setTitles(sorted)
      setCards(c)
      setTitleId((cur) => cur ?? sorted.find((x) => x.kind === 'enterprise')?.id ?? sorted[0]?.id ?? null)
      setGroup((cur) => cur || groupsOf(c)[0] || '')
    } catch (e) {
      setLoadError(errorMessage(e))
    }
  }, [])

  useEffect(() => {
    void load()
  }, [load])

  const spec: BatchSpec | null = useMemo(() => {
    if (!titleId || months.length === 0) return null
    const sel: BatchCards = cardsKind === 'all' ? { kind: 'all' } : cardsKind === 'group' ? { kind: 'group', group } : { kind: 'ids', cardIds }
    if (sel.kind === 'ids' && sel.cardIds.length === 0) return null
    return { titleId, period: { kind: 'months', months: [...months].sort() }, cards: sel, mode }
  }, [titleId, months, cardsKind, group, cardIds, mode])

  // what was previewed no longer holds once the form changes
  useEffect(() => {
    setPreview(null)
    setProblem(null)
  }, [spec])

  const toggleMonth = (m: string) => setMonths((cur) => (cur.includes(m) ? cur.filter((x) => x !== m) : [...cur, m]))
  const toggleCard = (id: string) => setCardIds((cur) => (cur.includes(id) ? cur.filter((x) => x !== id) : [...cur, id]))

  const runPreview = useCallback(async () => {
    if (!spec) {
      setProblem(months.length === 0 ? '请至少选择一个月份' : !titleId ? '请先添加发票抬头' : '请至少选择一张卡')
      return
    }
    setPreviewing(true)
    setProblem(null)
    try {
      setPreview(await previewBatch(spec))
    } catch (e) {
      setProblem(errorMessage(e))
    } finally {
      setPreviewing(false)
    }
  }, [spec, months.length, titleId])

  return {
    titles,
    cards,
    groups: cards ? groupsOf(cards) : [],
    loadError,
    reload: load,
    titleId,
    setTitleId,
    months,
    toggleMonth,
    cardsKind,
    setCardsKind,
    group,
    setGroup,
    cardIds,
    toggleCard,
    mode,
    setMode,
    spec,
    preview,
    previewing,
    problem,
    setProblem,
    runPreview,
  }
}

export type BatchForm = ReturnType<typeof useBatchForm>
