import { View } from '@tarojs/components'
import type { InvoiceSummary } from '@shared/domain'
import { ListFooter } from '../../components/list-footer'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import { HelpLink } from '../../components/help-link'
import { ChainChips } from '../../components/invoice-chain'
import { INVOICE_STATUS_LABEL, INVOICE_STATUS_TAG } from '../../services/invoice.service'
import { signedAmountFen } from '../../services/correction.service'
import { TITLE_KIND_LABEL } from '../../services/profile.service'
import { formatDateTime, formatFen, maskTaxId } from '../../services/format'
import { IssuedFilters } from './issued-filters'
import { openPage } from '../../services/nav'
import { NO_FILTERS, type IssuedInvoices } from './use-issued-invoices'
import { decorative, pressable } from '../../components/a11y'

function IssuedRow({ inv, onOpen }: { inv: InvoiceSummary; onOpen: () => void }) {
  return (
    <View id={`invoice-${inv.id}`} className='cell' hoverClass='cell-hover' onClick={onOpen} {...pressable('', 'link')}>
      <View className='cell__body'>
        <View className='cell__title invoice-row__title'>{inv.title.name}</View>
        <View className='cell__desc'>{inv.title.taxId ? maskTaxId(inv.title.taxId) : TITLE_KIND_LABEL[inv.title.kind]}</View>
        <View className='cell__desc'>
          {formatDateTime(inv.issuedAt ?? inv.requestedAt)}
          {inv.orderCount > 1 ? ` · 合并 ${inv.orderCount} 笔` : ''}
        </View>
      </View>
      <View className='order-side'>
        <View className={inv.color === 'red' ? 'order-amount amount--red' : 'order-amount'}>{formatFen(signedAmountFen(inv))}</View>
        <View className='row-tags'>
          <ChainChips invoice={inv} idPrefix='chip' />
          <View className={`tag ${INVOICE_STATUS_TAG[inv.status]}`}>{INVOICE_STATUS_LABEL[inv.status]}</View>
        </View>
      </View>
      <View className='cell__arrow' {...decorative()} />
    </View>
  )
}

function IssuedBody({ issued, onGoPending }: { issued: IssuedInvoices; onGoPending: () => void }) {
  const { list } = issued
  if (list.error) return <ErrorState message={list.error} onRetry={() => void list.reload(true)} />
  if (list.items === null) return <Loading />
  if (list.items.length === 0) {
    return issued.filtered ? (
      <Empty title='没有符合条件的发票' desc='换个筛选条件试试' action='清除筛选' actionId='filters-clear' onAction={() => issued.setFilters(NO_FILTERS)} />
    ) : (
      <Empty title='还没有开过发票' desc='在「待开票」中选择充值即可开票。' action='去开票' actionId='go-pending' onAction={onGoPending} />
    )
  }
  return (
    <View>
      <View className='cells'>
        {list.items.map((inv) => (
          <IssuedRow key={inv.id} inv={inv} onOpen={() => issued.open(inv)} />
        ))}
      </View>
      <ListFooter
        idPrefix='issued'
        loadingMore={list.loadingMore}
        moreError={list.moreError}
        hasMore={Boolean(list.nextCursor)}
        onMore={() => void list.loadMore()}
      />
    </View>
  )
}

/** 已开票: the filters over the list of invoices. */
export function IssuedList({ issued, onGoPending }: { issued: IssuedInvoices; onGoPending: () => void }) {
  return (
    <View>
      <IssuedFilters filters={issued.filters} cards={issued.cards} titles={issued.titles} onChange={issued.setFilters} />
      <View className='list-head'>
        <View className='list-head__text'>备份或报销：PDF、XML 与台账一键打包</View>
        <View
          className='link list-head__action'
          id='issued-export-all'
          onClick={() => openPage('/enterprise/exports/index?all=1')}
          {...pressable('导出全部发票', 'link')}
        >
          导出全部发票
        </View>
      </View>
      <IssuedBody issued={issued} onGoPending={onGoPending} />
      <HelpLink topic='lost' text='没收到发票？查看帮助' id='help-link-issued' />
    </View>
  )
}
