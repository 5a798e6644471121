import { Button, View } from '@tarojs/components'
import type { TitleSnapshot } from '@shared/domain'
import { BottomSheet } from '../../components/bottom-sheet'
import { TITLE_KIND_LABEL } from '../../services/profile.service'
import { formatFen, maskEmail, maskTaxId } from '../../services/format'

export interface CompareProps {
  oldTitle: TitleSnapshot
  newTitle: TitleSnapshot
  amountFen: number
  email: string | null
  buyerBooked: boolean
}

function Column({ head, title, id }: { head: string; title: TitleSnapshot; id: string }) {
  return (
    <View className='compare__col' id={id}>
      <View className='compare__head'>{head}</View>
      <View className='compare__name'>{title.name}</View>
      <View className='compare__line'>{TITLE_KIND_LABEL[title.kind]}</View>
      <View className='compare__line mono'>{title.taxId ? maskTaxId(title.taxId) : '无税号'}</View>
    </View>
  )
}

/** The secondary confirmation of 换开: old and new side by side, what happens, one button. */
export function CompareSheet({
  props,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  props: CompareProps | null
  busy: boolean
  error: string | null
  onConfirm: () => void
  onClose: () => void
}) {
  return (
    <BottomSheet
      open={props !== null}
      title='确认换开'
      onClose={onClose}
      footer={
        <View>
          {error ? (
            <View className='error-text sheet-error' id='correction-error'>
              {error}
            </View>
          ) : null}
          <Button
            className={busy ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
            id='correction-confirm'
            loading={busy}
            disabled={busy || undefined}
            onClick={onConfirm}
          >
            {error ? '重试' : '确认换开'}
          </Button>
        </View>
      }
    >
      {props ? (
        <View id='correction-compare'>
          <View className='compare'>
            <Column head='原抬头' title={props.oldTitle} id='compare-old' />
            <Column head='新抬头' title={props.newTitle} id='compare-new' />
          </View>
          <View className='kv'>
            <View className='kv__key'>金额</View>
            <View className='kv__value' id='compare-amount'>
              {formatFen(props.amountFen)}
            </View>
          </View>
          <View className='kv'>
            <View className='kv__key'>接收邮箱</View>
            <View className='kv__value'>{props.email ? maskEmail(props.email) : '不发送邮件'}</View>
          </View>
          <View className='notice' id='compare-notice'>
            原发票将被红冲作废，并开具一张新发票。
            {props.buyerBooked ? '需购买方在 72 小时内于电子税务局确认，确认后才会换开。' : ''}
          </View>
          <View className='sheet-notes'>已用原发票报销的，请先与单位财务确认。</View>
        </View>
      ) : null}
    </BottomSheet>
  )
}
