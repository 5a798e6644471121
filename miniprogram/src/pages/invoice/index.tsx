import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Button, Input, Picker, ScrollView, Text, View } from '@tarojs/components'
import type { Card, InvoiceCaps, InvoiceSummary, InvoiceTitle, TopupOrder } from '@shared/domain'
import { Page } from '../../components/page'
import { BottomSheet } from '../../components/bottom-sheet'
import { Segmented } from '../../components/segmented'
import { ListFooter } from '../../components/list-footer'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import { usePagedList } from '../../components/use-paged-list'
import { ChainChips } from '../../components/invoice-chain'
import { signedAmountFen } from '../../services/correction.service'
import {
  INVOICE_STATUS_LABEL,
  INVOICE_STATUS_TAG,
  STATUS_FILTERS,
  getCaps,
  getInvoice,
  listInvoices,
  listUninvoiced,
  markInvoicesChanged,
  newClientToken,
  requestInvoice,
  takeInvoicesChanged,
  takePreselectedOrder,
  type InvoiceFilters,
} from '../../services/invoice.service'
import { TITLE_KIND_LABEL, getSettings, listTitles, pickDefaultTitle, takeLastCreatedTitleId, validateEmail } from '../../services/profile.service'
import { askInvoiceNotices } from '../../services/subscribe.service'
import { cardLabel, listCards } from '../../services/card.service'
import { errorMessage, isCloudError } from '../../services/cloud'
import { formatDateTime, formatFen, maskCardNo, maskTaxId, recentMonths } from '../../services/format'
import { openPage, openTab } from '../../services/nav'

type Segment = 'pending' | 'issued'

const SEGMENTS = [
  { key: 'pending' as const, label: '待开票', id: 'seg-pending' },
  { key: 'issued' as const, label: '已开票', id: 'seg-issued' },
]

/** Codes after which the list of what can be invoiced is out of date. */
const STALE_ORDER_CODES = ['INVOICE.ORDER_ALREADY_INVOICED', 'INVOICE.ORDER_NOT_FOUND', 'INVOICE.ORDER_NOT_PAID', 'INVOICE.ORDER_OUT_OF_WINDOW']

const MONTHS = recentMonths(24)
// in weapp the bar sits on the page bottom (the tab bar is native); H5 draws the tab bar in the page
const BAR_CLASS = process.env.TARO_ENV === 'h5' ? 'bottom-bar bottom-bar--h5-tab' : 'bottom-bar'

export default function InvoicePage() {
  const [segment, setSegment] = useState<Segment>('pending')

  // ---- 待开票 ----
  const pending = usePagedList<TopupOrder>(listUninvoiced)
  const [caps, setCaps] = useState<InvoiceCaps | null>(null)
  const [selected, setSelected] = useState<Record<string, TopupOrder>>({})
  const wantSelect = useRef<string | null>(null)

  // ---- the two sheets ----
  const [titleSheet, setTitleSheet] = useState(false)
  const [titles, setTitles] = useState<InvoiceTitle[]>([])
  const [titleId, setTitleId] = useState<string | null>(null)
  const [preparing, setPreparing] = useState(false)
  const [confirmSheet, setConfirmSheet] = useState(false)
  const [clientToken, setClientToken] = useState('')
  const [email, setEmail] = useState('')
  const [emailError, setEmailError] = useState<string | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [submitError, setSubmitError] = useState<string | null>(null)
  const askedInSheet = useRef(false)

  // ---- 已开票 ----
  const [filters, setFilters] = useState<InvoiceFilters>({ status: 'all', month: null, cardNo: null })
  const fetchIssued = useCallback((cursor: string | null) => listInvoices(cursor, filters), [filters])
  const issued = usePagedList<InvoiceSummary>(fetchIssued)
  const [cards, setCards] = useState<Card[]>([])
  const issuedStarted = useRef(false)
  const opened = useRef<string | null>(null)
  const shownOnce = useRef(false)

  const reloadPending = pending.reload
  const loadPending = useCallback(
    async (reset = false) => {
      getCaps()
        .then(setCaps)
        .catch(() => undefined)
      const items = await reloadPending(reset)
      if (!items) return
      // keep only selections that can still be invoiced
      setSelected((current) => {
        const next: Record<string, TopupOrder> = {}
        for (const o of items) if (current[o.id]) next[o.id] = o
        return next
      })
      const want = wantSelect.current
      if (want) {
        wantSelect.current = null
        const order = items.find((o) => o.id === want)
        if (order) setSelected((current) => ({ ...current, [order.id]: order }))
      }
    },
    [reloadPending],
  )

  const startIssued = useCallback(() => {
    if (issuedStarted.current) return
    issuedStarted.current = true
    listCards()
      .then(setCards)
      .catch(() => undefined)
  }, [])

  // a change of filters reloads the list from the top; before the segment's first opening (which
  // loads it, see switchSegment) there is nothing to reload
  const reloadIssued = issued.reload
  useEffect(() => {
    if (!issuedStarted.current) return
    void reloadIssued(true)
  }, [filters, reloadIssued])

  function switchSegment(next: Segment) {
    setSegment(next)
    if (next === 'issued' && !issuedStarted.current) {
      startIssued()
      void issued.reload(true)
    }
  }

  useDidShow(() => {
    const pre = takePreselectedOrder()
    if (pre) {
      wantSelect.current = pre
      setSegment('pending')
    }
    if (!shownOnce.current) {
      shownOnce.current = true
      void loadPending(true)
      return
    }
    // coming back: refresh quietly
    void loadPending(false)
    if (issuedStarted.current) {
      const id = opened.current
      opened.current = null
      if (takeInvoicesChanged()) void issued.reload(false)
      else if (id) {
        getInvoice(id)
          .then((inv) => issued.setItems((cur) => (cur ?? []).map((x) => (x.id === inv.id ? inv : x))))
          .catch(() => undefined)
      }
    }
    // back from the title editor with the title sheet still up: show and pick the new title
    const created = takeLastCreatedTitleId()
    if (titleSheet || created) {
      listTitles()
        .then((next) => {
          setTitles(next)
          setTitleId((cur) => (created && next.some((t) => t.id === created) ? created : (cur ?? pickDefaultTitle(next)?.id ?? null)))
        })
        .catch(() => undefined)
    }
  })

  usePullDownRefresh(() => {
    const done = segment === 'pending' ? loadPending(false) : issued.reload(false)
    void done.finally(() => Taro.stopPullDownRefresh())
  })

  useReachBottom(() => {
    if (segment === 'pending') void pending.loadMore()
    else void issued.loadMore()
  })

  // ---- selection ----
  const selectedList = useMemo(() => Object.values(selected), [selected])
  const totalFen = selectedList.reduce((sum, o) => sum + o.amountFen, 0)

  function refuseByCaps(count: number, total: number): string | null {
    if (!caps) return null
    if (count > caps.maxOrders) return `一张发票最多合并 ${caps.maxOrders} 笔，请分开开票`
    if (total > caps.maxTotalFen) return `一张发票合计不能超过 ${formatFen(caps.maxTotalFen)}，请分开开票`
    return null
  }

  function toggle(order: TopupOrder) {
    if (selected[order.id]) {
      setSelected((current) => {
        const next = { ...current }
        delete next[order.id]
        return next
      })
      return
    }
    const refusal = refuseByCaps(selectedList.length + 1, totalFen + order.amountFen)
    if (refusal) {
      void Taro.showToast({ title: refusal, icon: 'none' })
      return
    }
    setSelected((current) => ({ ...current, [order.id]: order }))
  }

  /** 全选: as many as the caps allow, in list order */
  function selectAll() {
    const items = pending.items ?? []
    const allOn = items.length > 0 && items.every((o) => selected[o.id])
    if (allOn) {
      setSelected({})
      return
    }
    const next: Record<string, TopupOrder> = { ...selected }
    let count = selectedList.length
    let total = totalFen
    let skipped = false
    for (const o of items) {
      if (next[o.id]) continue
      if (refuseByCaps(count + 1, total + o.amountFen)) {
        skipped = true
        continue
      }
      next[o.id] = o
      count += 1
      total += o.amountFen
    }
    setSelected(next)
    if (skipped && caps) void Taro.showToast({ title: `已按上限选择：最多 ${caps.maxOrders} 笔、合计 ${formatFen(caps.maxTotalFen)}`, icon: 'none' })
  }

  // ---- 开票 -> title -> confirm ----
  async function onSubmit() {
    if (preparing) return
    if (selectedList.length === 0) {
      void Taro.showToast({ title: '请先选择要开票的充值', icon: 'none' })
      return
    }
    setPreparing(true)
    try {
      // settings also loads the subscribe template ids, ready for the 确认开票 tap
      const [nextTitles, profile] = await Promise.all([listTitles(), getSettings()])
      setTitles(nextTitles)
      setTitleId((cur) => (cur && nextTitles.some((t) => t.id === cur) ? cur : (pickDefaultTitle(nextTitles)?.id ?? null)))
      setEmail(profile.settings.defaultEmail ?? '')
      setTitleSheet(true)
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setPreparing(false)
    }
  }

  function goAddTitle() {
    openPage('/pages/title-edit/index?from=invoice')
  }

  function toConfirm() {
    if (!titles.some((t) => t.id === titleId)) {
      void Taro.showToast({ title: '请选择发票抬头', icon: 'none' })
      return
    }
    // one idempotency key per confirmation sheet: a retry in it reuses the key
    setClientToken(newClientToken())
    askedInSheet.current = false
    setEmailError(null)
    setSubmitError(null)
    setTitleSheet(false)
    setConfirmSheet(true)
  }

  async function onConfirm() {
    if (submitting) return
    const title = titles.find((t) => t.id === titleId)
    if (!title) return
    const invalid = validateEmail(email)
    setEmailError(invalid)
    if (invalid) return
    // first thing after the tap (WeChat opens its dialog only from a tap); optional, never throws
    const asking = askedInSheet.current ? Promise.resolve() : askInvoiceNotices()
    askedInSheet.current = true
    setSubmitting(true)
    setSubmitError(null)
    try {
      const invoice = await requestInvoice({
        orderIds: selectedList.map((o) => o.id),
        titleId: title.id,
        email: email.trim() || null,
        clientToken,
      })
      await asking
      markInvoicesChanged()
      const done = new Set(invoice.orderIds.length ? invoice.orderIds : selectedList.map((o) => o.id))
      pending.setItems((cur) => (cur ?? []).filter((o) => !done.has(o.id)))
      setSelected({})
      setConfirmSheet(false)
      openPage(`/pages/invoice-detail/index?id=${encodeURIComponent(invoice.id)}`)
    } catch (e) {
      setSubmitError(errorMessage(e))
      if (isCloudError(e) && STALE_ORDER_CODES.includes(e.code)) void loadPending(false)
    } finally {
      setSubmitting(false)
    }
  }

  // ---- 已开票 ----
  function openInvoice(inv: InvoiceSummary) {
    opened.current = inv.id
    openPage(`/pages/invoice-detail/index?id=${encodeURIComponent(inv.id)}`)
  }

  const statusIndex = Math.max(
    0,
    STATUS_FILTERS.findIndex((f) => f.key === filters.status),
  )
  const monthRange = ['全部月份', ...MONTHS]
  const monthIndex = filters.month ? Math.max(0, monthRange.indexOf(filters.month)) : 0
  const cardRange = ['全部卡片', ...cards.map((c) => `${cardLabel(c)} ${c.cardNo.slice(-4)}`)]
  const cardIndex = filters.cardNo ? Math.max(0, cards.findIndex((c) => c.cardNo === filters.cardNo) + 1) : 0
  const filtered = filters.status !== 'all' || filters.month !== null || filters.cardNo !== null

  const selectedTitle = titles.find((t) => t.id === titleId) ?? null
  const count = selectedList.length

  function renderPending() {
    if (pending.error) {
      return <ErrorState message={pending.error} onRetry={() => void loadPending(true)} />
    }
    if (pending.items === null) return <Loading />
    if (pending.items.length === 0) {
      return (
        <Empty
          title='暂无可开票的充值'
          desc={caps ? `支付成功的充值会出现在这里，可为 ${caps.windowDays} 天内的充值开票。` : '支付成功的充值会出现在这里。'}
          action='去充值'
          actionId='invoice-go-topup'
          onAction={() => openTab('/pages/index/index')}
        />
      )
    }
    const allOn = pending.items.every((o) => selected[o.id])
    return (
      <View className='with-bottom-bar'>
        <View className='list-head'>
          <View className='list-head__text'>{caps ? `可为 ${caps.windowDays} 天内的充值开票，多笔可合并为一张` : '多笔充值可合并为一张发票'}</View>
          <View className='link list-head__action' id='select-all' onClick={selectAll}>
            {allOn ? '取消全选' : '全选'}
          </View>
        </View>
        <View className='cells'>
          {pending.items.map((order) => {
            const on = Boolean(selected[order.id])
            return (
              <View
                key={order.id}
                id={`pending-${order.id}`}
                className={on ? 'cell cell--selected' : 'cell'}
                hoverClass='cell-hover'
                onClick={() => toggle(order)}
              >
                <View className={on ? 'check check--on' : 'check'}>{on ? '✓' : ''}</View>
                <View className='cell__body'>
                  <View className='cell__title'>{order.cardNickname || `武汉通 ${order.cardNo.slice(-4)}`}</View>
                  <View className='cell__desc'>{maskCardNo(order.cardNo)}</View>
                  <View className='cell__desc'>支付于 {formatDateTime(order.paidAt ?? order.createdAt)}</View>
                </View>
                <View className='order-amount'>{formatFen(order.amountFen)}</View>
              </View>
            )
          })}
        </View>
        <ListFooter
          idPrefix='pending'
          loadingMore={pending.loadingMore}
          moreError={pending.moreError}
          hasMore={Boolean(pending.nextCursor)}
          onMore={() => void pending.loadMore()}
        />
        <View className={BAR_CLASS} id='invoice-bar'>
          <View className='bottom-bar__info'>
            <View className='bottom-bar__sum'>
              已选 <Text id='selected-count'>{count}</Text> 笔 · 合计{' '}
              <Text className='bottom-bar__total' id='selected-total'>
                {formatFen(totalFen)}
              </Text>
            </View>
            {caps ? (
              <View className='bottom-bar__hint' id='cap-hint'>
                最多合并 {caps.maxOrders} 笔，还可合并 {formatFen(Math.max(0, caps.maxTotalFen - totalFen))}
              </View>
            ) : null}
          </View>
          <Button
            className={count === 0 || preparing ? 'btn btn--primary btn--bar btn--busy' : 'btn btn--primary btn--bar'}
            id='invoice-submit'
            loading={preparing}
            onClick={() => void onSubmit()}
          >
            开票
          </Button>
        </View>
      </View>
    )
  }

  function renderIssued() {
    return (
      <View>
        <View className='filters'>
          <Picker
            mode='selector'
            range={STATUS_FILTERS.map((f) => f.label)}
            value={statusIndex}
            onChange={(e) => setFilters((f) => ({ ...f, status: STATUS_FILTERS[Number(e.detail.value)]?.key ?? 'all' }))}
          >
            <View className={filters.status !== 'all' ? 'filter filter--on' : 'filter'} id='filter-status'>
              {STATUS_FILTERS[statusIndex].label} ▾
            </View>
          </Picker>
          <Picker
            mode='selector'
            range={monthRange}
            value={monthIndex}
            onChange={(e) => {
              const i = Number(e.detail.value)
              setFilters((f) => ({ ...f, month: i > 0 ? monthRange[i] : null }))
            }}
          >
            <View className={filters.month ? 'filter filter--on' : 'filter'} id='filter-month'>
              {monthRange[monthIndex]} ▾
            </View>
          </Picker>
          <Picker
            mode='selector'
            range={cardRange}
            value={cardIndex}
            onChange={(e) => {
              const i = Number(e.detail.value)
              setFilters((f) => ({ ...f, cardNo: i > 0 ? (cards[i - 1]?.cardNo ?? null) : null }))
            }}
          >
            <View className={filters.cardNo ? 'filter filter--on' : 'filter'} id='filter-card'>
              {cardRange[cardIndex]} ▾
            </View>
          </Picker>
        </View>
        {issued.error ? (
          <ErrorState message={issued.error} onRetry={() => void issued.reload(true)} />
        ) : issued.items === null ? (
          <Loading />
        ) : issued.items.length === 0 ? (
          filtered ? (
            <Empty
              title='没有符合条件的发票'
              desc='换个筛选条件试试'
              action='清除筛选'
              actionId='filters-clear'
              onAction={() => setFilters({ status: 'all', month: null, cardNo: null })}
            />
          ) : (
            <Empty
              title='还没有开过发票'
              desc='在「待开票」中选择充值即可开票。'
              action='去开票'
              actionId='go-pending'
              onAction={() => switchSegment('pending')}
            />
          )
        ) : (
          <View>
            <View className='cells'>
              {issued.items.map((inv) => (
                <View key={inv.id} id={`invoice-${inv.id}`} className='cell' hoverClass='cell-hover' onClick={() => openInvoice(inv)}>
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
                  <View className='cell__arrow' />
                </View>
              ))}
            </View>
            <ListFooter
              idPrefix='issued'
              loadingMore={issued.loadingMore}
              moreError={issued.moreError}
              hasMore={Boolean(issued.nextCursor)}
              onMore={() => void issued.loadMore()}
            />
          </View>
        )}
      </View>
    )
  }

  return (
    <Page>
      <View className='segmented-bar'>
        <Segmented options={SEGMENTS} value={segment} onChange={switchSegment} />
      </View>
      {segment === 'pending' ? renderPending() : renderIssued()}

      <BottomSheet
        open={titleSheet}
        title='选择发票抬头'
        onClose={() => setTitleSheet(false)}
        footer={
          titles.length > 0 ? (
            <Button className='btn btn--primary' id='title-sheet-next' onClick={toConfirm}>
              下一步
            </Button>
          ) : null
        }
      >
        {/* ScrollView: the sheet catches touch moves, so a plain overflow box would not scroll in weapp */}
        <ScrollView className='sheet-list' scrollY>
          {titles.length === 0 ? (
            <View className='sheet-empty'>还没有发票抬头，先添加一个吧</View>
          ) : (
            titles.map((t) => (
              <View key={t.id} id={`pick-title-${t.id}`} className='cell sheet-cell' hoverClass='cell-hover' onClick={() => setTitleId(t.id)}>
                <View className='cell__body'>
                  <View className='cell__title'>
                    {t.name}
                    {t.isDefault ? <Text className='tag tag--default'>默认</Text> : null}
                  </View>
                  <View className='cell__desc'>
                    {TITLE_KIND_LABEL[t.kind]}
                    {t.taxId ? ` · ${maskTaxId(t.taxId)}` : ''}
                  </View>
                </View>
                <View className={t.id === titleId ? 'radio radio--on' : 'radio'} />
              </View>
            ))
          )}
          <View className='cell sheet-cell cell--link' id='title-sheet-add' hoverClass='cell-hover' onClick={goAddTitle}>
            <View className='cell__body'>
              <View className='cell__title'>+ 新增抬头</View>
            </View>
            <View className='cell__arrow' />
          </View>
        </ScrollView>
      </BottomSheet>

      <BottomSheet
        open={confirmSheet}
        title='确认开票'
        onClose={() => {
          if (!submitting) setConfirmSheet(false)
        }}
        footer={
          <View>
            {submitError ? (
              <View className='error-text sheet-error' id='invoice-confirm-error'>
                {submitError}
              </View>
            ) : null}
            <Button
              className={submitting ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
              id='invoice-confirm'
              loading={submitting}
              disabled={submitting || undefined}
              onClick={() => void onConfirm()}
            >
              {submitError ? '重新提交' : '确认开票'}
            </Button>
          </View>
        }
      >
        {selectedTitle ? (
          <View>
            <View className='amount-big' id='invoice-confirm-amount'>
              {formatFen(totalFen)}
            </View>
            <View className='kv'>
              <View className='kv__key'>抬头</View>
              <View className='kv__value' id='confirm-title-name'>
                {selectedTitle.name}
              </View>
            </View>
            <View className='kv'>
              <View className='kv__key'>税号</View>
              <View className='kv__value' id='confirm-tax-id'>
                {selectedTitle.taxId ?? '无（个人）'}
              </View>
            </View>
            <View className='kv'>
              <View className='kv__key'>金额</View>
              <View className='kv__value'>
                {formatFen(totalFen)}（{count} 笔充值）
              </View>
            </View>
            <View className='kv'>
              <View className='kv__key'>发票类型</View>
              <View className='kv__value'>电子发票（普通发票）</View>
            </View>
            <View className='kv kv--input'>
              <View className='kv__key'>接收邮箱</View>
              <Input
                id='invoice-email-input'
                className='kv__input'
                type='text'
                maxlength={254}
                placeholder='选填，开具后发送到此邮箱'
                value={email}
                onInput={(e) => {
                  setEmail(e.detail.value)
                  setEmailError(null)
                }}
                onBlur={() => setEmailError(validateEmail(email))}
              />
            </View>
            {emailError ? (
              <View className='error-text sheet-error' id='invoice-email-error'>
                {emailError}
              </View>
            ) : null}
            <View className='sheet-notes'>
              <View>开票前请核对抬头和税号，发票开具后不能修改。</View>
              <View>专票不适用于充值：预付卡充值只能开具不征税普通发票。</View>
            </View>
          </View>
        ) : null}
      </BottomSheet>
    </Page>
  )
}
