import { useRouter } from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import type { OffPlatformTopup } from '@shared/aftersales'
import { Page } from '../../components/page'
import { ErrorState, Loading } from '../../components/state-view'
import { PhotoPicker } from '../../components/photo-picker'
import { useChoiceSheet } from '../../components/use-choice-sheet'
import { formatFen, maskTaxId } from '../../services/format'
import { useApplicationForm } from '../hooks/use-application-form'
import { OrderPickSection } from '../components/order-pick-section'
import { OffPlatformSection } from '../components/off-platform-section'
import { OffPlatformSheet, type OffPlatformArgs } from '../components/off-platform-sheet'
import { TitlePickSection } from '../components/title-pick-section'
import { ContactSection } from '../components/contact-section'
import { openPage, routeParam } from '../../services/nav'
import '../service.css'
import { pressable } from '../../components/a11y'

/**
 * 补开 (type=supplement): our orders past the window and/or top-ups from other channels, a title,
 * proof photos and a contact phone. 换开 beyond the self-service limits (type=correction&invoiceId):
 * the invoice is fixed, the person picks the right title and explains. Staff review either.
 */
export default function ApplicationNewPage() {
  const { params } = useRouter()
  const type = params.type === 'correction' ? 'correction' : 'supplement'
  const invoiceId = routeParam(params.invoiceId) || null
  const form = useApplicationForm(type, invoiceId)
  const offSheet = useChoiceSheet<OffPlatformArgs, OffPlatformTopup>()
  const { data, error, retry } = form.loader

  if (error) {
    return (
      <Page>
        <ErrorState message={error} onRetry={retry} />
      </Page>
    )
  }
  if (!data) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }

  async function addOffPlatform() {
    const entry = await offSheet.open({ limits: data?.limits ?? null })
    if (entry) form.addOffPlatform(entry)
  }

  const inv = data.invoice
  return (
    <Page>
      {type === 'correction' ? (
        <View>
          <View className='section-title'>要换开的发票</View>
          <View className='cells' id='apply-invoice'>
            <View className='cell'>
              <View className='cell__body'>
                <View className='cell__title row-title'>{inv ? inv.title.name : '未找到这张发票'}</View>
                <View className='cell__desc'>
                  {inv ? `发票号码 ${inv.invoiceNo ?? '—'}${inv.title.taxId ? ` · ${maskTaxId(inv.title.taxId)}` : ''}` : '请从发票详情进入'}
                </View>
              </View>
              {inv ? <View className='row-amount'>{formatFen(inv.amountFen)}</View> : null}
            </View>
          </View>
          <View className='hint'>已超出自助换开的次数或期限，提交后由客服审核，审核通过后原发票红冲并按新抬头重开。</View>
        </View>
      ) : (
        <View>
          <View className='hint'>选择要补开的充值（可多选），或添加在服务网点、自助机等渠道的充值。</View>
          <OrderPickSection orders={data.orders} windowDays={data.windowDays} selected={form.fields.orderIds} onToggle={form.toggleOrder} />
          <OffPlatformSection entries={form.fields.offPlatform} onAdd={() => void addOffPlatform()} onRemove={form.removeOffPlatform} />
        </View>
      )}
      {form.errors.what ? (
        <View className='error-text' id='apply-what-error'>
          {form.errors.what}
        </View>
      ) : null}

      <TitlePickSection
        titles={data.titles}
        titleId={form.fields.titleId}
        onPick={form.set.titleId}
        error={form.errors.title}
        label={type === 'correction' ? '正确的发票抬头' : '发票抬头'}
      />

      <View className='section-title'>凭证照片</View>
      <PhotoPicker uploads={form.photos} idPrefix='apply' hint='如充值小票、网点凭证；最多 3 张，JPG 或 PNG，每张不超过 5 MB' />
      {form.errors.photos ? (
        <View className='error-text' id='apply-photos-error'>
          {form.errors.photos}
        </View>
      ) : null}

      <ContactSection form={form} notePlaceholder={type === 'correction' ? '原发票哪里有误，应如何开具（必填）' : '选填，如充值的网点、时间等'} />

      {form.submitError ? (
        <View className='error-text' id='apply-submit-error'>
          {form.submitError}
        </View>
      ) : null}
      <View className='btn-area'>
        <Button
          className={form.submitting ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
          id='apply-submit'
          loading={form.submitting}
          disabled={form.submitting || undefined}
          onClick={() => void form.submit()}
        >
          提交申请
        </Button>
      </View>
      <View className='hint center'>提交后可在「我的 → 我的申请」查看进度，审核结果会通知你。</View>
      <View className='hint center link' onClick={() => openPage('/service/help/index')} {...pressable('', 'link')}>
        有疑问？查看帮助
      </View>

      <OffPlatformSheet {...offSheet.props} />
    </Page>
  )
}
