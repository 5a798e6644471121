import { Input, View } from '@tarojs/components'
import type { ExportFilter } from '@shared/ledger'
import { group, inputLabel, pressable } from '../../components/a11y'

export type Scope = 'all' | 'thisYear' | 'lastYear' | 'thisMonth' | 'lastMonth'

const SCOPES: { key: Scope; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'thisYear', label: '今年' },
  { key: 'lastYear', label: '去年' },
  { key: 'thisMonth', label: '本月' },
  { key: 'lastMonth', label: '上月' },
]

const ymd = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

/** The filter of a scope, by the issue date (local calendar). */
export function filterOf(scope: Scope, title: string, now = new Date()): ExportFilter {
  const y = now.getFullYear()
  const m = now.getMonth()
  const range: Record<Scope, [Date, Date] | null> = {
    all: null,
    thisYear: [new Date(y, 0, 1), new Date(y, 11, 31)],
    lastYear: [new Date(y - 1, 0, 1), new Date(y - 1, 11, 31)],
    thisMonth: [new Date(y, m, 1), new Date(y, m + 1, 0)],
    lastMonth: [new Date(y, m - 1, 1), new Date(y, m, 0)],
  }
  const r = range[scope]
  return { ...(r ? { from: ymd(r[0]), to: ymd(r[1]) } : {}), ...(title.trim() ? { title: title.trim() } : {}) }
}

export interface ExportFormValue {
  scope: Scope
  title: string
  email: string
}

/** Which invoices (by issue date and buyer) and where to send the ZIP. */
export function ExportForm({ value, onChange }: { value: ExportFormValue; onChange: (v: ExportFormValue) => void }) {
  return (
    <View>
      <View className='section-title'>开票时间</View>
      <View className='chips export-scope' {...group('开票时间')}>
        {SCOPES.map((s) => (
          <View
            key={s.key}
            id={`export-scope-${s.key}`}
            className={s.key === value.scope ? 'chip chip--on' : 'chip'}
            {...pressable(s.label, 'radio', { selected: s.key === value.scope })}
            onClick={() => onChange({ ...value, scope: s.key })}
          >
            {s.label}
          </View>
        ))}
      </View>
      <View className='cells'>
        <View className='cell'>
          <View className='cell__label'>抬头</View>
          <Input
            id='export-title-input'
            className='cell__input'
            maxlength={100}
            placeholder='选填：名称或税号'
            value={value.title}
            onInput={(e) => onChange({ ...value, title: e.detail.value })}
            {...inputLabel('抬头（选填）')}
          />
        </View>
        <View className='cell'>
          <View className='cell__label'>邮箱</View>
          <Input
            id='export-email-input'
            className='cell__input'
            type='text'
            maxlength={254}
            placeholder='选填：发送压缩包'
            value={value.email}
            onInput={(e) => onChange({ ...value, email: e.detail.value })}
            {...inputLabel('发送到邮箱（选填）')}
          />
        </View>
      </View>
    </View>
  )
}
