import { Text, View } from '@tarojs/components'
import type { InvoiceDetail } from '@shared/domain'
import type { PrintedLine } from '@shared/invoice-lines'
import { ITEM_NAME, SELLER_NAME, TAX_RATE_LABEL } from '../services/invoice.service'
import { signedAmountFen } from '../services/correction.service'
import { formatDateTime, formatFen, totalInCapitals } from '../services/format'

/** "2026-11-28 12:30" -> "2026年11月28日" for the preview */
function cnDate(iso: string | null): string {
  const s = formatDateTime(iso)
  if (!s) return ''
  const [y, m, d] = s.slice(0, 10).split('-')
  return `${y}年${m}月${d}日`
}

/** Before the detail carries the printed lines (a red invoice awaiting its confirmation): one summary line. */
function fallbackLines(amountFen: number): PrintedLine[] {
  const amount = formatFen(amountFen).replace('¥', '')
  return [{ name: ITEM_NAME, spec: '', unit: '元', qty: '1', price: amount, amount, rate: TAX_RATE_LABEL, tax: '***' }]
}

function fallbackRemarks(invoice: InvoiceDetail, blueInvoiceNo: string | null | undefined): string {
  if (invoice.color === 'red') return `被红冲蓝字数电发票号码：${blueInvoiceNo ?? '…'} 红字发票信息确认单编号：${invoice.confirmationNo ?? '…'}`
  const cards = invoice.cards.map((c) => `${c.nickname || '武汉通'}（尾号 ${c.cardNo.slice(-4)}）`).join('、')
  return cards ? `武汉通卡 ${cards}` : ''
}

function LineRow({ line, index }: { line: PrintedLine; index: number }) {
  return (
    <View className='fapiao__row' id={`invoice-line-${index}`}>
      <View className='fapiao__c1'>{line.name}</View>
      <View className='fapiao__c2'>{line.amount}</View>
      <View className='fapiao__c3'>{line.rate}</View>
      <View className='fapiao__c4'>{line.tax}</View>
    </View>
  )
}

/**
 * Page 1 of the 数电票, drawn from the lines the PDF prints (InvoiceDetail.printed, the shared
 * line model of types/invoice-lines.ts): one line per top-up, the seller as configured, the same
 * remarks. A red invoice shows negative amounts and the 红字 mark (DOMAIN.md).
 */
export function InvoicePreview({ invoice, blueInvoiceNo }: { invoice: InvoiceDetail; blueInvoiceNo?: string | null }) {
  const red = invoice.color === 'red'
  const amount = signedAmountFen(invoice)
  const printed = invoice.printed
  const lines = printed?.lines ?? fallbackLines(amount)
  const remarks = printed ? printed.remarks : fallbackRemarks(invoice, blueInvoiceNo)
  return (
    <View className={red ? 'fapiao fapiao--red' : 'fapiao'} id='invoice-preview'>
      <View className='fapiao__title'>
        电子发票（普通发票）
        {red ? (
          <Text className='fapiao__red-mark' id='invoice-red-mark'>
            红字
          </Text>
        ) : null}
      </View>
      <View className='fapiao__meta'>
        <View>
          发票号码：
          {invoice.invoiceNo ? (
            <Text id='invoice-number' className='fapiao__no'>
              {invoice.invoiceNo}
            </Text>
          ) : (
            <Text className='fapiao__pending'>开具后生成</Text>
          )}
        </View>
        <View>开票日期：{invoice.issuedAt ? cnDate(invoice.issuedAt) : '—'}</View>
      </View>
      <View className='fapiao__party'>
        <View className='fapiao__side'>购买方</View>
        <View className='fapiao__party-body'>
          <View>名称：{invoice.title.name}</View>
          <View>统一社会信用代码/纳税人识别号：{invoice.title.taxId ?? '—'}</View>
        </View>
      </View>
      <View className='fapiao__party'>
        <View className='fapiao__side'>销售方</View>
        <View className='fapiao__party-body'>
          <View>名称：{printed?.seller.name ?? SELLER_NAME}</View>
          {printed ? <View>统一社会信用代码/纳税人识别号：{printed.seller.taxId}</View> : null}
        </View>
      </View>
      <View className='fapiao__table' id='invoice-lines'>
        <View className='fapiao__row fapiao__row--head'>
          <View className='fapiao__c1'>项目名称</View>
          <View className='fapiao__c2'>金额</View>
          <View className='fapiao__c3'>税率</View>
          <View className='fapiao__c4'>税额</View>
        </View>
        {lines.map((line, i) => (
          <LineRow key={i} line={line} index={i} />
        ))}
      </View>
      <View className='fapiao__total'>
        <View>价税合计（大写）{totalInCapitals(amount)}</View>
        <View className='fapiao__total-fig' id='invoice-total'>
          （小写）{formatFen(amount)}
        </View>
      </View>
      {remarks ? (
        <View className='fapiao__remark' id='invoice-remarks'>
          备注：{remarks}
        </View>
      ) : null}
    </View>
  )
}
