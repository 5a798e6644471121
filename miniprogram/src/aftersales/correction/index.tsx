import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input, Switch, View } from '@tarojs/components'
import type { CorrectionView } from '@shared/aftersales'
import { Page } from '../../components/page'
import { ErrorState, Loading } from '../../components/state-view'
import { CustomerService } from '../../components/customer-service'
import { usePromiseSheet } from '../../components/use-promise-sheet'
import { useCorrectionDraft } from './use-correction-draft'
import { TitleChoice } from './title-choice'
import { CompareSheet, type CompareProps } from './compare-sheet'
import { CorrectionProgress } from './correction-progress'
import { correctionApplicationUrl, invoiceDetailUrl, newClientToken, requestCorrection } from '../../services/correction.service'
import { resendInvoice } from '../../services/invoice.service'
import { errorMessage } from '../../services/cloud'
import { formatFen, maskTaxId } from '../../services/format'
import { goBack, replacePage, routeParam } from '../../services/nav'
import { inputLabel } from '../../components/a11y'
import { FieldEcho } from '../../components/field-echo'
import { COLOR } from '../../styles/colors'

/** 换开: pick the right title, confirm old vs new in a sheet, then follow the correction. */
export default function CorrectionPage() {
  const invoiceId = routeParam(useRouter().params.id)
  const draft = useCorrectionDraft(invoiceId)
  const sheet = usePromiseSheet<CompareProps & { run: () => Promise<CorrectionView> }, CorrectionView>()
  const [started, setStarted] = useState<CorrectionView | null>(null)
  const [resending, setResending] = useState(false)
  const inv = draft.invoice

  if (!invoiceId || draft.error) {
    return (
      <Page>
        <ErrorState message={draft.error ?? '缺少发票编号，请从发票详情进入'} onRetry={() => (invoiceId ? draft.retry() : goBack())} />
      </Page>
    )
  }
  if (!inv) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }
  const running = started ?? inv.correction?.active ?? null
  if (running) {
    return (
      <Page>
        <CorrectionProgress initial={running} />
        <CustomerService invoiceId={inv.id} />
      </Page>
    )
  }
  const c = inv.correction
  if (!c || !c.allowed) {
    return (
      <Page>
        <View className='state' id='correction-closed'>
          <View className='state__title'>这张发票不能自助换开</View>
          <View className='state__desc'>{c?.reason ?? '只有已开具、未红冲的蓝字发票可以换开。'}</View>
          {c?.routeToApplication ? (
            <Button className='btn btn--primary' id='correction-apply' onClick={() => replacePage(correctionApplicationUrl(inv.id))}>
              申请人工换开
            </Button>
          ) : null}
          <Button className='btn btn--default' id='correction-to-invoice' onClick={() => replacePage(invoiceDetailUrl(inv.id))}>
            返回发票详情
          </Button>
        </View>
        <CustomerService invoiceId={inv.id} />
      </Page>
    )
  }

  async function onNext() {
    if (!inv || !draft.title || !draft.checkEmail()) return
    // one idempotency key per sheet: a retry after a lost answer finds the same correction
    const clientToken = newClientToken()
    const title = draft.title
    const email = draft.email.trim() || null
    const done = await sheet.show({
      oldTitle: inv.title,
      newTitle: title,
      amountFen: inv.amountFen,
      email,
      buyerBooked: draft.buyerBooked,
      run: () => requestCorrection({ invoiceId: inv.id, titleId: title.id, buyerBooked: draft.buyerBooked, email, clientToken }),
    })
    if (done) setStarted(done)
  }

  async function onResend() {
    if (!inv || resending || !draft.checkEmail()) return
    if (!draft.email.trim()) {
      void Taro.showToast({ title: '请填写接收邮箱', icon: 'none' })
      return
    }
    setResending(true)
    try {
      await resendInvoice(inv.id, draft.email)
      void Taro.showToast({ title: '已重新发送', icon: 'success' })
      setTimeout(() => goBack({ page: invoiceDetailUrl(inv.id) }), 800)
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setResending(false)
    }
  }

  return (
    <Page>
      <View className='section-title'>原发票</View>
      <View className='cells'>
        <View className='cell' id='correction-old'>
          <View className='cell__body'>
            <View className='cell__title'>{inv.title.name}</View>
            <View className='cell__desc'>
              {inv.title.taxId ? maskTaxId(inv.title.taxId) : '无税号'} · {formatFen(inv.amountFen)}
            </View>
          </View>
        </View>
      </View>

      <View className='section-title'>选择正确的抬头</View>
      <TitleChoice titles={draft.titles} value={draft.titleId} onChange={draft.setTitleId} />

      {draft.canBeBooked ? (
        <View className='cells'>
          <View className='cell cell--top'>
            <View className='cell__body'>
              <View className='cell__title'>原发票已入账</View>
              <View className='cell__desc'>单位已将原发票入账或做了用途确认时打开：购买方需在 72 小时内于电子税务局确认红字信息确认单，确认后才会换开。</View>
            </View>
            <Switch
              id='correction-booked'
              checked={draft.buyerBooked}
              color={COLOR.brandStrong}
              onChange={(e) => draft.setBuyerBooked(e.detail.value)}
              {...inputLabel('原发票已入账')}
            />
          </View>
        </View>
      ) : null}

      <View className='cells'>
        <View className='cell cell--field'>
          <View className='cell__label'>接收邮箱</View>
          <Input
            id='correction-email-input'
            className='cell__input'
            type='text'
            maxlength={254}
            placeholder='选填，新发票发送到此邮箱'
            value={draft.email}
            onInput={(e) => draft.setEmail(e.detail.value)}
            {...inputLabel('接收邮箱')}
          />
        </View>
      </View>
      <FieldEcho id='correction-email-echo' lead='发送到' value={draft.email} over={16} />
      {draft.emailError ? (
        <View className='error-text' id='correction-email-error'>
          {draft.emailError}
        </View>
      ) : null}

      {draft.sameTitle ? (
        <View>
          <View className='notice notice--page' id='correction-same-title'>
            抬头没有变化；如果只是邮箱填错，可重新发送
          </View>
          <View className='btn-area'>
            <Button className='btn btn--primary' id='correction-resend' loading={resending} onClick={() => void onResend()}>
              重新发送到邮箱
            </Button>
          </View>
        </View>
      ) : (
        <View className='btn-area'>
          <Button className='btn btn--primary' id='correction-next' disabled={!draft.title || undefined} onClick={() => void onNext()}>
            下一步
          </Button>
        </View>
      )}
      <View className='hint'>换开会将原发票红冲作废并开具新发票；这张发票还可自助换开 {c.remaining} 次。</View>
      <CustomerService invoiceId={inv.id} />

      <CompareSheet props={sheet.props} busy={sheet.busy} error={sheet.error} onConfirm={() => void sheet.confirm()} onClose={sheet.close} />
    </Page>
  )
}
