import { Button, ScrollView, View } from '@tarojs/components'
import { decorative, pressable } from '../../components/a11y'
import { BottomSheet } from '../../components/bottom-sheet'
import { formatFen, maskTaxId } from '../../services/format'
import { TITLE_KIND_LABEL } from '../../services/profile.service'
import type { AutoSplit } from './use-auto-split'

/** 全选 over the caps: all of 待开票, split automatically into N invoices, with the title to use. */
export function SplitSheet({ split }: { split: AutoSplit }) {
  const { plan, caps, choice } = split
  return (
    <BottomSheet
      open={!!plan}
      title='全部开票'
      onClose={split.close}
      footer={
        <View>
          {split.error ? (
            <View className='error-text sheet-error' id='split-error'>
              {split.error}
            </View>
          ) : null}
          <Button className='btn btn--primary' id='split-confirm' loading={split.busy} onClick={() => void split.confirm()}>
            按上限自动分成 {plan?.invoiceCount} 张发票
          </Button>
        </View>
      }
    >
      {plan && caps ? (
        <View className='sheet-notes' id='split-summary'>
          待开票共 {plan.orderCount} 笔、{formatFen(plan.totalFen)}，超过单张发票上限（每张最多 {caps.maxOrders} 笔、{formatFen(caps.maxTotalFen)}），将自动分成{' '}
          {plan.invoiceCount} 张发票，在云端依次开具，可随时查看进度。
        </View>
      ) : null}
      <ScrollView className='sheet-list' scrollY>
        {choice.titles.length === 0 ? <View className='sheet-empty'>还没有发票抬头，请先在「我的 · 发票抬头」中添加</View> : null}
        {choice.titles.map((t) => (
          <View
            key={t.id}
            id={`split-title-${t.id}`}
            className='cell sheet-cell'
            onClick={() => choice.setTitleId(t.id)}
            {...pressable(`${t.name} ${TITLE_KIND_LABEL[t.kind]}`, 'radio', { selected: t.id === choice.titleId })}
          >
            <View className='cell__body'>
              <View className='cell__title'>{t.name}</View>
              <View className='cell__desc'>
                {TITLE_KIND_LABEL[t.kind]}
                {t.taxId ? ` · ${maskTaxId(t.taxId)}` : ''}
              </View>
            </View>
            <View className={t.id === choice.titleId ? 'radio radio--on' : 'radio'} {...decorative()} />
          </View>
        ))}
      </ScrollView>
    </BottomSheet>
  )
}
