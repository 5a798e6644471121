import { View } from '@tarojs/components'
import type { ApplicationView } from '@shared/aftersales'
import { APPLICATION_TYPE_LABEL, channelLabel } from '../../services/application.service'
import { formatDateTime, formatFen, maskCardNo, maskEmail, maskTaxId } from '../../services/format'

function Row({ label, value, id }: { label: string; value: string; id?: string }) {
  return (
    <View className='cell'>
      <View className='cell__label'>{label}</View>
      <View className='cell__body result-value' id={id}>
        {value}
      </View>
    </View>
  )
}

/** What was asked: the top-ups, the title, how to reach the person (masked), the proof. */
export function ApplicationFacts({ app }: { app: ApplicationView }) {
  return (
    <View>
      <View className='section-title'>申请内容</View>
      <View className='cells' id='application-facts'>
        <Row label='类型' value={`${APPLICATION_TYPE_LABEL[app.type]}发票`} />
        <Row label='发票抬头' value={app.title.name} id='application-title' />
        {app.title.taxId ? <Row label='税号' value={maskTaxId(app.title.taxId)} /> : null}
        {app.orderIds.length > 0 ? <Row label='充值记录' value={`${app.orderIds.length} 笔`} /> : null}
        {app.email ? <Row label='接收邮箱' value={maskEmail(app.email)} /> : null}
        <Row label='联系电话' value={app.contactPhoneMasked} id='application-phone' />
        {app.photos.length > 0 ? <Row label='凭证照片' value={`已上传 ${app.photos.length} 张`} /> : null}
        <Row label='提交时间' value={formatDateTime(app.createdAt)} />
        {app.note ? <Row label='说明' value={app.note} /> : null}
      </View>
      {app.offPlatform.length > 0 ? (
        <View>
          <View className='section-title'>其他渠道的充值</View>
          <View className='cells' id='application-offplatform'>
            {app.offPlatform.map((t, i) => (
              <View className='cell' key={`${t.cardNo}-${i}`}>
                <View className='cell__body'>
                  <View className='cell__title'>{channelLabel(t.channel)}</View>
                  <View className='cell__desc'>
                    {maskCardNo(t.cardNo)} · {t.date}
                  </View>
                </View>
                <View className='row-amount'>{formatFen(t.amountFen)}</View>
              </View>
            ))}
          </View>
        </View>
      ) : null}
    </View>
  )
}
