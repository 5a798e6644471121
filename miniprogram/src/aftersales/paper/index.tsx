import { useCallback, useEffect } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { ErrorState, Loading } from '../../components/state-view'
import { CustomerService } from '../../components/customer-service'
import { useLoader } from '../../components/use-loader'
import { usePaperForm } from './use-paper-form'
import { AddressForm } from './address-form'
import { getInvoice } from '../../services/invoice.service'
import { isLiveBlue } from '../../services/correction.service'
import { isPaperActive, paperDetailUrl } from '../../services/paper.service'
import { formatFen } from '../../services/format'
import { goBack, replacePage, routeParam } from '../../services/nav'
import { pressable } from '../../components/a11y'

const CAN_CHOOSE_ADDRESS = process.env.TARO_ENV === 'weapp'

/** 邮寄纸质版: where to send the printed copy of an issued invoice. */
export default function PaperRequestPage() {
  const invoiceId = routeParam(useRouter().params.id)
  const fetch = useCallback(() => getInvoice(invoiceId), [invoiceId])
  const { data: invoice, error, retry } = useLoader(fetch)
  const form = usePaperForm(invoiceId)
  const active = invoice?.paper && isPaperActive(invoice.paper.status) ? invoice.paper : null

  // one active request per invoice: show that one instead of a second form
  useEffect(() => {
    if (active) replacePage(paperDetailUrl(active.id))
  }, [active])

  if (!invoiceId || error) {
    return (
      <Page>
        <ErrorState message={error ?? '缺少发票编号，请从发票详情进入'} onRetry={() => (invoiceId ? retry() : goBack())} />
      </Page>
    )
  }
  if (!invoice || active) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }
  if (!isLiveBlue(invoice)) {
    return (
      <Page>
        <View className='state' id='paper-closed'>
          <View className='state__title'>这张发票不能邮寄纸质版</View>
          <View className='state__desc'>只有已开具、未红冲的发票可以邮寄打印件。红冲后请使用新发票。</View>
          <Button className='btn btn--default' onClick={() => goBack()}>
            返回
          </Button>
        </View>
      </Page>
    )
  }

  async function onSubmit() {
    const paper = await form.submit()
    if (!paper) return
    void Taro.showToast({ title: '已提交', icon: 'success' })
    replacePage(paperDetailUrl(paper.id))
  }

  return (
    <Page className='with-bottom-bar'>
      <View className='cells'>
        <View className='cell'>
          <View className='cell__body'>
            <View className='cell__title'>{invoice.title.name}</View>
            <View className='cell__desc mono'>{invoice.invoiceNo}</View>
          </View>
          <View className='cell__value'>{formatFen(invoice.amountFen)}</View>
        </View>
      </View>
      <View className='notice notice--page' id='paper-hint'>
        纸质件是电子发票的打印件，与电子发票具有同等效力
      </View>

      <View className='list-head'>
        <View className='list-head__text'>寄到哪里</View>
        {CAN_CHOOSE_ADDRESS ? (
          <View className='link list-head__action' id='paper-wechat-address' onClick={() => void form.importFromWechat()} {...pressable('')}>
            使用微信收货地址
          </View>
        ) : null}
      </View>
      <AddressForm address={form.address} errors={form.errors} onChange={form.set} onBlur={form.check} />

      {form.submitError ? (
        <View className='error-text' id='paper-submit-error'>
          {form.submitError}
        </View>
      ) : null}
      <View className='hint'>寄出后可在「我的申请」或发票详情查看快递单号。打印前可以取消。</View>
      <CustomerService invoiceId={invoice.id} />
      {/* Fixed at the bottom: a field's message appearing on blur never moves the button away
          from under a finger that is already tapping it. */}
      <View className='bottom-bar'>
        <Button
          className={form.submitting ? 'btn btn--primary btn--busy bottom-bar__btn' : 'btn btn--primary bottom-bar__btn'}
          id='paper-submit'
          loading={form.submitting}
          disabled={form.submitting || undefined}
          onClick={() => void onSubmit()}
        >
          提交申请
        </Button>
      </View>
    </Page>
  )
}
