import { useState } from 'react'
import { Button, View } from '@tarojs/components'
import type { InvoiceTitle } from '@shared/domain'
import { BottomSheet } from '../../components/bottom-sheet'
import { TITLE_KIND_LABEL } from '../../services/profile.service'
import { maskTaxId } from '../../services/format'
import { openPage } from '../../services/nav'
import { pressable } from '../../components/a11y'

/** The title the invoice will carry: a cell showing it, a sheet to pick another or add one. */
export function TitlePickSection({
  titles,
  titleId,
  onPick,
  error,
  label = '发票抬头',
}: {
  titles: InvoiceTitle[]
  titleId: string | null
  onPick: (id: string) => void
  error?: string
  label?: string
}) {
  const [open, setOpen] = useState(false)
  const current = titles.find((t) => t.id === titleId) ?? null
  const addTitle = () => {
    setOpen(false)
    openPage('/pages/title-edit/index')
  }
  return (
    <View>
      <View className='section-title'>{label}</View>
      <View className='cells'>
        <View className='cell' id='title-pick' hoverClass='cell-hover' onClick={() => (titles.length > 0 ? setOpen(true) : addTitle())} {...pressable('')}>
          <View className='cell__body'>
            {current ? (
              <View>
                <View className='cell__title row-title' id='title-pick-name'>
                  {current.name}
                </View>
                <View className='cell__desc'>
                  {TITLE_KIND_LABEL[current.kind]}
                  {current.taxId ? ` · ${maskTaxId(current.taxId)}` : ''}
                </View>
              </View>
            ) : (
              <View className='cell__title picker-value--empty'>{titles.length > 0 ? '请选择抬头' : '还没有抬头，点此新增'}</View>
            )}
          </View>
          <View className='cell__arrow' />
        </View>
        {error ? (
          <View className='form-error' id='title-pick-error'>
            {error}
          </View>
        ) : null}
      </View>
      <BottomSheet
        open={open}
        title='选择发票抬头'
        onClose={() => setOpen(false)}
        footer={
          <Button className='btn btn--default' id='title-pick-add' onClick={addTitle}>
            新增抬头
          </Button>
        }
      >
        <View className='sheet-list'>
          {titles.map((t) => (
            <View
              key={t.id}
              id={`title-option-${t.id}`}
              className='cell sheet-cell'
              hoverClass='cell-hover'
              onClick={() => {
                onPick(t.id)
                setOpen(false)
              }}
              {...pressable('')}
            >
              <View className='cell__body'>
                <View className='cell__title row-title'>{t.name}</View>
                <View className='cell__desc'>
                  {TITLE_KIND_LABEL[t.kind]}
                  {t.taxId ? ` · ${maskTaxId(t.taxId)}` : ''}
                  {t.isDefault ? ' · 默认' : ''}
                </View>
              </View>
              <View className={t.id === titleId ? 'radio radio--on' : 'radio'} />
            </View>
          ))}
        </View>
      </BottomSheet>
    </View>
  )
}
