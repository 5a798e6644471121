import { Button, View } from '@tarojs/components'
import type { Card } from '@shared/domain'
import { BottomSheet } from '../../components/bottom-sheet'
import { ErrorText } from '../../components/error-reference'
import { cardLabel } from '../../services/card.service'
import { formatFen, groupCardNo, maskTaxId } from '../../services/format'
import type { ProfileSettings } from '../../services/profile.service'
import { AutoInvoiceOffer } from './auto-invoice-offer'
import { autoInvoiceOn, type useAutoInvoiceOffer } from './use-auto-invoice-offer'

function Kv({ k, v, id }: { k: string; v: string; id?: string }) {
  return (
    <View className='kv'>
      <View className='kv__key'>{k}</View>
      <View className='kv__value' id={id}>
        {v}
      </View>
    </View>
  )
}

/** How the invoice will come, as set in 我的-设置. */
function AutoInvoiceSummary({ profile }: { profile: ProfileSettings }) {
  const title = profile.defaultTitle
  if (!title) return null
  return (
    <View>
      <Kv k='发票' v='支付成功后自动开票' id='sheet-invoice' />
      <Kv k='抬头' v={title.name} id='sheet-title-name' />
      {title.taxId ? <Kv k='税号' v={maskTaxId(title.taxId)} /> : null}
      <Kv k='接收邮箱' v={profile.settings.defaultEmail ?? '未设置（可在「发票」中下载）'} />
      <View className='hint sheet-hint'>充值前请核对抬头和税号</View>
    </View>
  )
}

export interface ConfirmSheetProps {
  open: boolean
  card: Card | null
  fen: number | null
  profile: ProfileSettings | null
  /** the first top-up: offer 自动开票 inline */
  offerAuto: boolean
  offer: ReturnType<typeof useAutoInvoiceOffer>
  paying: boolean
  payError: string | null
  onPay: () => void
  onClose: () => void
}

/** 确认充值: card, amount, how the invoice will come (or the offer), then 去支付. */
export function ConfirmSheet({ open, card, fen, profile, offerAuto, offer, paying, payError, onPay, onClose }: ConfirmSheetProps) {
  const auto = autoInvoiceOn(profile)
  return (
    <BottomSheet
      open={open}
      title='确认充值'
      onClose={onClose}
      footer={
        <View>
          <ErrorText id='sheet-error' className='sheet-error' message={payError} />
          <Button
            className={paying ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
            id='sheet-pay'
            loading={paying}
            disabled={paying || undefined}
            onClick={onPay}
          >
            {payError ? '重新支付' : '去支付'}
          </Button>
        </View>
      }
    >
      {card && fen !== null ? (
        <View>
          <View className='amount-big'>{formatFen(fen)}</View>
          <Kv k='卡片' v={cardLabel(card)} />
          <Kv k='卡号' v={groupCardNo(card.cardNo)} id='sheet-card-no' />
          <Kv k='充值金额' v={formatFen(fen)} />
          {profile && auto ? <AutoInvoiceSummary profile={profile} /> : null}
          {profile && !auto && offerAuto ? <AutoInvoiceOffer offer={offer} /> : null}
          {profile && !auto && !offerAuto ? <Kv k='发票' v='支付后可在「发票」中开票' id='sheet-invoice' /> : null}
          <View className='hint sheet-hint'>支付后可在「我的-充值记录」查看</View>
        </View>
      ) : null}
    </BottomSheet>
  )
}
