import { Button, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import { formatFen } from '../../services/format'
import { openPage } from '../../services/nav'
import { useHomeData } from './use-home-data'
import { useAmount } from './use-amount'
import { useAutoInvoiceOffer } from './use-auto-invoice-offer'
import { useTopupPay } from './use-topup-pay'
import { CardPicker } from './card-picker'
import { AmountPicker } from './amount-picker'
import { InvoiceLine } from './invoice-line'
import { ConfirmSheet } from './confirm-sheet'
import { HelpLink } from '../../components/help-link'
import { UninvoicedNudge } from '../../components/uninvoiced-line'
import './index.css'

/** 充值: pick a card and an amount, see how the invoice will come, confirm in a sheet, pay. */
export default function IndexPage() {
  const home = useHomeData()
  const amount = useAmount(home.config)
  const offer = useAutoInvoiceOffer(home.profile, home.setProfile)
  const sheet = useTopupPay(offer.apply)
  const goAddCard = () => openPage('/pages/card-add/index')

  function onConfirm() {
    if (!home.config) return
    if (!home.selectedCard) return sheet.toast('请先选择要充值的卡片')
    const problem = amount.check()
    if (problem === '请选择充值金额') return sheet.toast(problem)
    if (problem) return undefined
    sheet.openSheet()
  }

  if (home.loading) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }
  if (home.loadError || !home.config) {
    return (
      <Page>
        <ErrorState message={home.loadError ?? '加载失败，请重试'} onRetry={() => void home.reload(false)} />
      </Page>
    )
  }
  if (home.cards.length === 0) {
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

  const fen = amount.error ? null : amount.fen
  return (
    <Page>
      <UninvoicedNudge />
      <CardPicker cards={home.cards} cardId={home.cardId} onPick={home.setCardId} onAdd={goAddCard} />
      <AmountPicker config={home.config} amount={amount} />
      {home.profile ? <InvoiceLine profile={home.profile} onOpen={() => openPage('/pages/settings/index')} /> : null}

      <View className='btn-area'>
        <Button className='btn btn--primary' id='confirm-topup' onClick={onConfirm}>
          {fen !== null ? `确认充值 ${formatFen(fen)}` : '确认充值'}
        </Button>
      </View>

      <HelpLink topic='topup' text='充值遇到问题？查看帮助' />

      <ConfirmSheet
        open={sheet.open}
        card={home.selectedCard}
        fen={amount.fen}
        profile={home.profile}
        offerAuto={home.firstTopup}
        offer={offer}
        paying={sheet.paying}
        payError={sheet.payError}
        onPay={() => void sheet.payNow(home.selectedCard, amount.fen)}
        onClose={sheet.close}
      />
    </Page>
  )
}
