import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { InvoiceDetail, InvoiceSummary } from '@shared/domain'
import { chainChips, invoiceDetailUrl } from '../services/correction.service'
import { getInvoice } from '../services/invoice.service'
import { formatDateTime } from '../services/format'
import { openPage } from '../services/nav'
import './after-sales.css'
import { decorative, pressable } from './a11y'

/** 红字 / 已红冲 / 换开 chips beside the status chip (lists and the detail page). */
export function ChainChips({ invoice, idPrefix }: { invoice: Pick<InvoiceSummary, 'id' | 'color' | 'chain' | 'source'>; idPrefix: string }) {
  const chips = chainChips(invoice)
  return (
    <>
      {chips.map((c) => (
        <Text key={c.key} className={`tag chain-tag chain-tag--${c.key}`} id={`${idPrefix}-${c.key}-${invoice.id}`}>
          {c.label}
        </Text>
      ))}
    </>
  )
}

interface ChainRow {
  key: 'original' | 'red' | 'new'
  label: string
  id: string
}

/** The links of one invoice's chain: original blue -> red -> new blue, from whichever it is. */
function chainRows(inv: InvoiceDetail, original: InvoiceDetail | null): ChainRow[] {
  const rows: ChainRow[] = []
  if (inv.color === 'red') {
    if (inv.chain.originalId) rows.push({ key: 'original', label: '原发票（已红冲）', id: inv.chain.originalId })
    const next = original?.chain.replacedById
    if (next) rows.push({ key: 'new', label: '新发票（换开）', id: next })
    return rows
  }
  if (inv.chain.originalId) rows.push({ key: 'original', label: '原发票（已红冲）', id: inv.chain.originalId })
  const red = inv.chain.reversedById ?? (inv.chain.originalId ? (original?.chain.reversedById ?? null) : null)
  if (red) rows.push({ key: 'red', label: '红字发票', id: red })
  if (inv.chain.replacedById) rows.push({ key: 'new', label: '新发票（换开）', id: inv.chain.replacedById })
  return rows
}

/** The chain partners' details (numbers, dates), fetched once per chain shape. */
function useChainPartners(inv: InvoiceDetail): { rows: ChainRow[]; partners: Record<string, InvoiceDetail> } {
  const [partners, setPartners] = useState<Record<string, InvoiceDetail>>({})
  const originalId = inv.chain.originalId
  const original = originalId ? (partners[originalId] ?? null) : null
  const rows = chainRows(inv, original)
  const wanted = rows.map((r) => r.id).filter((id) => !partners[id])
  const key = wanted.join(',')
  useEffect(() => {
    if (!key) return undefined
    let alive = true
    // each lookup settles to null on failure, so this never rejects
    void Promise.all(key.split(',').map((id) => getInvoice(id).catch(() => null))).then((found) => {
      if (!alive) return
      setPartners((cur) => {
        const next = { ...cur }
        for (const f of found) if (f) next[f.id] = f
        return next
      })
    })
    return () => {
      alive = false
    }
  }, [key])
  return { rows, partners }
}

/**
 * 换开记录 on the detail page: where this invoice stands in its chain, with links to the other
 * documents (all three stay downloadable). Nothing when the invoice was never corrected.
 */
export function InvoiceChain({ invoice, onPartners }: { invoice: InvoiceDetail; onPartners?: (p: Record<string, InvoiceDetail>) => void }) {
  const { rows, partners } = useChainPartners(invoice)
  useEffect(() => {
    onPartners?.(partners)
  }, [partners, onPartners])
  if (rows.length === 0) return null
  const lead =
    invoice.color === 'red'
      ? '这是一张红字发票，冲销了原发票的全部金额。'
      : invoice.chain.reversedById
        ? '这张发票已被红冲作废，请使用新发票报销。'
        : '这是换开后的新发票，原发票已红冲作废。'
  return (
    <View>
      <View className='section-title'>换开记录</View>
      <View className='hint chain-lead' id='chain-lead'>
        {lead}
      </View>
      <View className='cells' id='invoice-chain'>
        {rows.map((r) => {
          const p = partners[r.id]
          return (
            <View
              key={r.key}
              className='cell cell--link'
              id={`chain-${r.key}`}
              hoverClass='cell-hover'
              onClick={() => openPage(invoiceDetailUrl(r.id))}
              {...pressable('', 'link')}
            >
              <View className='cell__body'>
                <View className='cell__title'>{r.label}</View>
                <View className='cell__desc mono'>{p ? (p.invoiceNo ?? '开具中') : '…'}</View>
                {p?.issuedAt ? <View className='cell__desc'>{formatDateTime(p.issuedAt)}</View> : null}
              </View>
              <View className='cell__arrow' {...decorative()} />
            </View>
          )
        })}
      </View>
    </View>
  )
}
