import { useCallback, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import type { Card, TopupConfig } from '@shared/domain'
import { Page } from '../../components/page'
import { BottomSheet } from '../../components/bottom-sheet'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import { cardLabel, listCards } from '../../services/card.service'
import { createOrder, getConfig, newClientToken, validateAmount } from '../../services/topup.service'
import { pay } from '../../services/payment.service'
import { getLastCardId, setLastCardId } from '../../services/settings.service'
import { getSettings, type ProfileSettings } from '../../services/profile.service'
import { errorMessage } from '../../services/cloud'
import { formatFen, groupCardNo, maskCardNo, maskEmail, parseYuanToFen } from '../../services/format'
import { openPage } from '../../services/nav'

type AmountChoice = { kind: 'preset'; fen: number } | { kind: 'custom' } | null

/** How the invoice of this top-up will come, in one line. */
function invoiceLine(profile: ProfileSettings): string {
  const { settings, defaultTitle } = profile
  if (settings.autoInvoice && defaultTitle) {
    return `自动开票至 ${defaultTitle.name}${settings.defaultEmail ? ` · ${maskEmail(settings.defaultEmail)}` : ''}`
  }
  return '支付后可在「发票」中开票'
}

function pickCard(cards: Card[], current: string | null): string | null {
  if (current && cards.some((c) => c.id === current)) return current
  const last = getLastCardId()
  if (last && cards.some((c) => c.id === last)) return last
  return cards[0]?.id ?? null
}

export default function IndexPage() {
  const [loading, setLoading] = useState(true)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [cards, setCards] = useState<Card[]>([])
  const [config, setConfig] = useState<TopupConfig | null>(null)
  const [cardId, setCardId] = useState<string | null>(null)
  const [amount, setAmount] = useState<AmountChoice>(null)
  const [customText, setCustomText] = useState('')
  const [amountError, setAmountError] = useState<string | null>(null)
  const [sheetOpen, setSheetOpen] = useState(false)
  const [clientToken, setClientToken] = useState('')
  const [paying, setPaying] = useState(false)
  const [payError, setPayError] = useState<string | null>(null)
  // null until known; a failure only hides the invoice line (paying does not depend on it)
  const [profile, setProfile] = useState<ProfileSettings | null>(null)
  const loaded = useRef(false)

  const load = useCallback(async (silent: boolean) => {
    if (!silent) {
      setLoading(true)
      setLoadError(null)
    }
    getSettings()
      .then(setProfile)
      .catch(() => undefined)
    try {
      const [nextCards, nextConfig] = await Promise.all([listCards(), getConfig()])
      setCards(nextCards)
      setConfig(nextConfig)
      setCardId((current) => pickCard(nextCards, current))
      setLoadError(null)
      loaded.current = true
    } catch (e) {
      // a failed silent refresh keeps what is on screen
      if (!silent || !loaded.current) setLoadError(errorMessage(e))
      else void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setLoading(false)
    }
  }, [])

  // first show loads with a spinner; coming back (e.g. after adding a card) refreshes quietly
  useDidShow(() => {
    void load(loaded.current)
  })

  usePullDownRefresh(() => {
    void load(true).finally(() => Taro.stopPullDownRefresh())
  })

  const selectedCard = cards.find((c) => c.id === cardId) ?? null

  function amountFen(): number | null {
    if (!amount) return null
    return amount.kind === 'preset' ? amount.fen : parseYuanToFen(customText)
  }

  function onCustomInput(value: string) {
    setCustomText(value)
    if (config && value.trim() !== '') setAmountError(validateAmount(parseYuanToFen(value), config))
    else setAmountError(null)
  }

  function onConfirm() {
    if (!config) return
    if (!selectedCard) {
      void Taro.showToast({ title: '请先选择要充值的卡片', icon: 'none' })
      return
    }
    if (!amount) {
      void Taro.showToast({ title: '请选择充值金额', icon: 'none' })
      return
    }
    if (amount.kind === 'custom') {
      const error = customText.trim() === '' ? '请输入充值金额' : validateAmount(parseYuanToFen(customText), config)
      setAmountError(error)
      if (error) return
    }
    // one idempotency key per confirmation: repeated taps on 去支付 reuse it
    setClientToken(newClientToken())
    setPayError(null)
    setSheetOpen(true)
  }

  async function onPay() {
    const fen = amountFen()
    if (paying || !selectedCard || fen === null) return
    setPaying(true)
    setPayError(null)
    try {
      const { order, payment } = await createOrder(selectedCard.id, fen, clientToken)
      setLastCardId(selectedCard.id)
      await pay(order, payment)
      setSheetOpen(false)
    } catch (e) {
      setPayError(errorMessage(e))
    } finally {
      setPaying(false)
    }
  }

  function goAddCard() {
    openPage('/pages/card-add/index')
  }

  if (loading && !loaded.current) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }

  if (loadError || !config) {
    return (
      <Page>
        <ErrorState message={loadError ?? '加载失败，请重试'} onRetry={() => void load(false)} />
      </Page>
    )
  }

  if (cards.length === 0) {
    return (
      <Page>
        <Empty
          title='还没有绑定武汉通卡'
          desc='绑定后即可在线充值。卡号印在卡片背面，共 16 位数字。'
          action='绑定卡片'
          actionId='add-card'
          onAction={goAddCard}
        />
      </Page>
    )
  }

  const fen = amountFen()
  const rangeHint = `可充值 ${formatFen(config.minFen)} - ${formatFen(config.maxFen)}`

  return (
    <Page>
      <View className='section-title'>选择卡片</View>
      <View className='cells'>
        {cards.map((card) => (
          <View key={card.id} id={`card-${card.id}`} className='cell' hoverClass='cell-hover' onClick={() => setCardId(card.id)}>
            <View className='cell__body'>
              <View className='cell__title'>{cardLabel(card)}</View>
              <View className='cell__desc'>{maskCardNo(card.cardNo)}</View>
            </View>
            <View className={card.id === cardId ? 'radio radio--on' : 'radio'} />
          </View>
        ))}
        <View className='cell cell--link' id='add-card' hoverClass='cell-hover' onClick={goAddCard}>
          <View className='cell__body'>
            <View className='cell__title'>+ 添加卡片</View>
          </View>
          <View className='cell__arrow' />
        </View>
      </View>

      <View className='section-title'>充值金额</View>
      <View className='chips'>
        {config.presetsFen.map((presetFen) => (
          <View
            key={presetFen}
            id={`amount-${presetFen}`}
            className={amount?.kind === 'preset' && amount.fen === presetFen ? 'chip chip--on' : 'chip'}
            onClick={() => {
              setAmount({ kind: 'preset', fen: presetFen })
              setAmountError(null)
            }}
          >
            {presetFen % 100 === 0 ? `${presetFen / 100} 元` : formatFen(presetFen)}
          </View>
        ))}
        <View id='amount-custom' className={amount?.kind === 'custom' ? 'chip chip--on' : 'chip'} onClick={() => setAmount({ kind: 'custom' })}>
          自定义
        </View>
      </View>
      {amount?.kind === 'custom' ? (
        <View className='cells'>
          <View className='cell'>
            <View className='cell__label'>金额(元)</View>
            <Input
              id='custom-amount-input'
              className='cell__input'
              type='digit'
              maxlength={9}
              placeholder={`${config.minFen / 100} - ${config.maxFen / 100} 元`}
              value={customText}
              focus
              onInput={(e) => onCustomInput(e.detail.value)}
            />
          </View>
        </View>
      ) : null}
      {amountError ? (
        <View className='error-text' id='amount-error'>
          {amountError}
        </View>
      ) : null}
      <View className='hint'>{rangeHint}</View>
      {profile ? (
        <View className='invoice-line' id='invoice-line' hoverClass='cell-hover' onClick={() => openPage('/pages/settings/index')}>
          <View className='invoice-line__text'>
            <Text className='invoice-line__label'>发票</Text>
            {invoiceLine(profile)}
          </View>
          <View className='cell__arrow' />
        </View>
      ) : null}

      <View className='btn-area'>
        <Button className='btn btn--primary' id='confirm-topup' onClick={onConfirm}>
          {fen !== null && !amountError ? `确认充值 ${formatFen(fen)}` : '确认充值'}
        </Button>
      </View>

      <BottomSheet
        open={sheetOpen}
        title='确认充值'
        onClose={() => {
          if (!paying) setSheetOpen(false)
        }}
        footer={
          <View>
            {payError ? (
              <View className='error-text sheet-error' id='sheet-error'>
                {payError}
              </View>
            ) : null}
            <Button
              className={paying ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
              id='sheet-pay'
              loading={paying}
              disabled={paying || undefined}
              onClick={() => void onPay()}
            >
              {payError ? '重新支付' : '去支付'}
            </Button>
          </View>
        }
      >
        {selectedCard && fen !== null ? (
          <View>
            <View className='amount-big'>{formatFen(fen)}</View>
            <View className='kv'>
              <View className='kv__key'>卡片</View>
              <View className='kv__value'>{cardLabel(selectedCard)}</View>
            </View>
            <View className='kv'>
              <View className='kv__key'>卡号</View>
              <View className='kv__value' id='sheet-card-no'>
                {groupCardNo(selectedCard.cardNo)}
              </View>
            </View>
            <View className='kv'>
              <View className='kv__key'>充值金额</View>
              <View className='kv__value'>{formatFen(fen)}</View>
            </View>
            {profile ? (
              <View className='kv'>
                <View className='kv__key'>发票</View>
                <View className='kv__value' id='sheet-invoice'>
                  {profile.settings.autoInvoice && profile.defaultTitle ? '自动开票' : '支付后可在「发票」中开票'}
                </View>
              </View>
            ) : null}
            {profile?.settings.autoInvoice && profile.defaultTitle ? (
              <View>
                <View className='kv'>
                  <View className='kv__key'>抬头</View>
                  <View className='kv__value' id='sheet-title-name'>
                    {profile.defaultTitle.name}
                  </View>
                </View>
                {profile.defaultTitle.taxId ? (
                  <View className='kv'>
                    <View className='kv__key'>税号</View>
                    <View className='kv__value'>{profile.defaultTitle.taxId}</View>
                  </View>
                ) : null}
                <View className='kv'>
                  <View className='kv__key'>接收邮箱</View>
                  <View className='kv__value'>{profile.settings.defaultEmail ?? '未设置（可在「发票」中下载）'}</View>
                </View>
                <View className='hint sheet-hint'>充值前请核对抬头和税号</View>
              </View>
            ) : null}
            <View className='hint sheet-hint'>支付后可在「我的-充值记录」查看</View>
          </View>
        ) : null}
      </BottomSheet>
    </Page>
  )
}
