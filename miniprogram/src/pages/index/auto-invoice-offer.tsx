import { Input, View } from '@tarojs/components'
import { Segmented } from '../../components/segmented'
import { decorative, inputLabel, pressable } from '../../components/a11y'
import { maskTaxId } from '../../services/format'
import { TITLE_KIND_LABEL, TITLE_NAME_MAX_LENGTH, EMAIL_MAX_LENGTH } from '../../services/profile.service'
import type { useAutoInvoiceOffer } from './use-auto-invoice-offer'

type Offer = ReturnType<typeof useAutoInvoiceOffer>

function Field({ label, id, error, children }: { label: string; id: string; error?: string; children: React.ReactNode }) {
  return (
    <View>
      <View className='cell offer__field'>
        <View className='cell__label'>{label}</View>
        {children}
      </View>
      {error ? (
        <View className='error-text offer__error' id={`${id}-error`}>
          {error}
        </View>
      ) : null}
    </View>
  )
}

/** The first top-up's 支付成功后自动开票: a switch, then the title and e-mail right here. */
export function AutoInvoiceOffer({ offer }: { offer: Offer }) {
  return (
    <View className='offer' id='auto-invoice-offer'>
      {/* the whole row is the switch: a large target, and nothing to overlap the text in 大字模式 */}
      <View
        className='cell offer__switch'
        id='offer-auto-switch'
        hoverClass='cell-hover'
        onClick={() => offer.set.on(!offer.on)}
        {...pressable('支付成功后自动开票', 'switch', { checked: offer.on })}
      >
        <View className='cell__body'>
          <View className='cell__title'>支付成功后自动开票</View>
          <View className='cell__desc'>以后每次充值都自动开具并发到邮箱，可在「我的-设置」关闭</View>
        </View>
        <View className={offer.on ? 'offer__toggle offer__toggle--on' : 'offer__toggle'} {...decorative()}>
          <View className='offer__knob' />
        </View>
      </View>
      {offer.on ? (
        <View className='offer__form'>
          {offer.defaultTitle ? (
            <Field label='抬头' id='offer-title'>
              <View className='cell__body' id='offer-default-title'>
                {offer.defaultTitle.name}
                {offer.defaultTitle.taxId ? <View className='cell__desc'>{maskTaxId(offer.defaultTitle.taxId)}</View> : null}
              </View>
            </Field>
          ) : (
            <View>
              <Segmented
                label='抬头类型'
                value={offer.kind}
                onChange={offer.set.kind}
                options={(['personal', 'enterprise'] as const).map((k) => ({ key: k, label: TITLE_KIND_LABEL[k], id: `offer-kind-${k}` }))}
              />
              <Field label={offer.kind === 'personal' ? '姓名' : '单位名称'} id='offer-name' error={offer.errors.name}>
                <Input
                  id='offer-name-input'
                  className='cell__input'
                  maxlength={TITLE_NAME_MAX_LENGTH}
                  placeholder={offer.kind === 'personal' ? '个人姓名，如 张三' : '与营业执照一致'}
                  value={offer.name}
                  onInput={(e) => offer.set.name(e.detail.value)}
                  {...inputLabel(offer.kind === 'personal' ? '抬头姓名' : '单位名称')}
                />
              </Field>
              {offer.kind === 'enterprise' ? (
                <Field label='税号' id='offer-tax-id' error={offer.errors.taxId}>
                  <Input
                    id='offer-tax-id-input'
                    className='cell__input'
                    maxlength={24}
                    placeholder='纳税人识别号，18 位'
                    value={offer.taxId}
                    onInput={(e) => offer.set.taxId(e.detail.value)}
                    {...inputLabel('纳税人识别号')}
                  />
                </Field>
              ) : null}
            </View>
          )}
          <Field label='邮箱' id='offer-email' error={offer.errors.email}>
            <Input
              id='offer-email-input'
              className='cell__input'
              type='text'
              maxlength={EMAIL_MAX_LENGTH}
              placeholder='选填，开具后发送到这里'
              value={offer.email}
              onInput={(e) => offer.set.email(e.detail.value)}
              {...inputLabel('接收发票的邮箱')}
            />
          </Field>
          <View className='hint sheet-hint'>充值前请核对抬头和税号</View>
        </View>
      ) : null}
    </View>
  )
}
