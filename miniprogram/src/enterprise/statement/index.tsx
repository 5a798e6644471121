import { View } from '@tarojs/components'
import { Page } from '../../components/page'
import { Segmented } from '../../components/segmented'
import { ErrorState, Loading } from '../../components/state-view'
import { formatFen } from '../../services/format'
import { StatementChart } from './statement-chart'
import { StatementTable } from './statement-table'
import { useStatement } from './use-statement'
import '../ledger.css'

/**
 * 对账单: a year month by month — topped up, invoiced, not yet invoiced with the days left in the
 * request window — as a chart and as a table (the chart's text alternative).
 */
export default function StatementPage() {
  const { data: s, error, retry, year, setYear, years } = useStatement()
  const options = years.map((y) => ({ key: String(y), label: `${y} 年`, id: `stmt-year-${y}` }))
  return (
    <Page>
      <Segmented className='stmt-years' label='年份' options={options} value={String(year)} onChange={(k) => setYear(Number(k))} />
      {error ? <ErrorState message={error} onRetry={retry} /> : null}
      {!error && !s ? <Loading /> : null}
      {s && s.year === year ? (
        <View>
          <View className='result' id='stmt-summary'>
            <View className='result__desc'>
              {s.year} 年充值 {formatFen(s.totals.toppedUpFen)}，已开票 {formatFen(s.totals.invoicedFen)}，未开票 {formatFen(s.totals.notInvoicedFen)}
              {s.totals.invoiceableFen > 0 ? `（其中 ${formatFen(s.totals.invoiceableFen)} 仍可申请开票，充值后 ${s.windowDays} 天内有效）` : ''}
            </View>
          </View>
          <StatementChart months={s.months} />
          <View className='section-title'>按月明细</View>
          <StatementTable s={s} />
        </View>
      ) : null}
    </Page>
  )
}
