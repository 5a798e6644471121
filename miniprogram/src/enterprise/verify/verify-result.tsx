import { View } from '@tarojs/components'
import type { VerifyAnswer } from '@shared/ledger'
import { live } from '../../components/a11y'
import { formatFen } from '../../services/format'
import { VERIFY_RESULT_TEXT } from '../../services/ledger.service'

/** The answer: 真实 / 已被修改 / 未找到, and for a genuine invoice only what is printed for everyone. */
export function VerifyResult({ answer, fileName }: { answer: VerifyAnswer; fileName: string | null }) {
  const t = VERIFY_RESULT_TEXT[answer.result]
  const inv = answer.invoice
  return (
    <View className={`result verify-result verify-result--${answer.result}`} id='verify-result'>
      <View className='result__title' id='verify-result-title' {...live()}>
        {t.title}
      </View>
      <View className='result__desc'>
        {fileName ? `${fileName}：` : ''}
        {t.desc}
      </View>
      {inv ? (
        <View className='cells' id='verify-invoice'>
          <View className='cell'>
            <View className='cell__label'>发票号码</View>
            <View className='cell__body mono'>{inv.invoiceNo}</View>
          </View>
          <View className='cell'>
            <View className='cell__label'>开票日期</View>
            <View className='cell__body'>{inv.issueDate}</View>
          </View>
          <View className='cell'>
            <View className='cell__label'>价税合计</View>
            <View className='cell__body'>{formatFen(inv.color === 'red' ? -inv.amountFen : inv.amountFen)}</View>
          </View>
          <View className='cell'>
            <View className='cell__label'>销售方</View>
            <View className='cell__body'>{inv.sellerName}</View>
          </View>
          {inv.reversed || inv.color === 'red' ? (
            <View className='warn-text' id='verify-reversed'>
              {inv.color === 'red' ? '这是一张红字发票（冲销原发票）' : '该发票已被红字发票冲销，不能再用于报销'}
            </View>
          ) : null}
        </View>
      ) : null}
      <View className='hint'>当前时段还可查验 {answer.remaining} 次</View>
    </View>
  )
}
