import { useCallback, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import type { Card, TopupConfig } from '@shared/domain'
import { listCards } from '../../services/card.service'
import { getConfig, listOrders } from '../../services/topup.service'
import { getLastCardId } from '../../services/settings.service'
import { getSettings, type ProfileSettings } from '../../services/profile.service'
import { errorMessage } from '../../services/cloud'

function pickCard(cards: Card[], current: string | null): string | null {
  if (current && cards.some((c) => c.id === current)) return current
  const last = getLastCardId()
  if (last && cards.some((c) => c.id === last)) return last
  return cards[0]?.id ?? null
}

/**
 * What the home page shows: cards, the top-up limits, the invoice settings and whether this is the
 * person's first top-up (no paid order yet: the confirmation sheet then offers 自动开票). The first
 * show loads with a spinner; coming back (after adding a card) refreshes quietly and keeps what is
 * on screen when that fails.
 */
export function useHomeData() {
  const [loading, setLoading] = useState(true)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [cards, setCards] = useState<Card[]>([])
  const [config, setConfig] = useState<TopupConfig | null>(null)
  const [cardId, setCardId] = useState<string | null>(null)
  // null until known; a failure only hides the invoice line (paying does not depend on it)
  const [profile, setProfile] = useState<ProfileSettings | null>(null)
  const [firstTopup, setFirstTopup] = useState(false)
  const loaded = useRef(false)

  const loadProfile = useCallback(() => {
    getSettings()
      .then(setProfile)
      .catch(() => undefined)
  }, [])

  const load = useCallback(
    async (silent: boolean) => {
      if (!silent) {
        setLoading(true)
        setLoadError(null)
      }
      loadProfile()
      listOrders(null)
        .then((page) => setFirstTopup(!page.items.some((o) => o.status === 'paid')))
        .catch(() => setFirstTopup(false))
      try {
        const [nextCards, nextConfig] = await Promise.all([listCards(), getConfig()])
        setCards(nextCards)
        setConfig(nextConfig)
        setCardId((current) => pickCard(nextCards, current))
        setLoadError(null)
        loaded.current = true
      } catch (e) {
        if (!silent || !loaded.current) setLoadError(errorMessage(e))
        else void Taro.showToast({ title: errorMessage(e), icon: 'none' })
      } finally {
        setLoading(false)
      }
    },
    [loadProfile],
  )

  useDidShow(() => {
    void load(loaded.current)
  })

  usePullDownRefresh(() => {
    void load(true).finally(() => Taro.stopPullDownRefresh())
  })

  const selectedCard = cards.find((c) => c.id === cardId) ?? null
  return { loading: loading && !loaded.current, loadError, cards, config, cardId, setCardId, selectedCard, profile, setProfile, firstTopup, reload: load }
}
