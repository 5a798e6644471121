import { useState } from 'react'
import { Button, Input, View } from '@tarojs/components'
import { inputLabel } from '../../components/a11y'
import type { NumberForm as Form } from './use-verify'

const FIELDS: { key: keyof Form; label: string; placeholder: string; max: number; type: 'text' | 'digit' | 'number' }[] = [
  { key: 'invoiceNo', label: '发票号码', placeholder: '20 位数字', max: 20, type: 'number' },
  { key: 'amount', label: '价税合计', placeholder: '元，如 100.00', max: 12, type: 'digit' },
  { key: 'issueDate', label: '开票日期', placeholder: '如 2026-01-31', max: 10, type: 'text' },
]

/** 手动查验: number, amount and issue date as printed on the invoice. */
export function NumberForm({ busy, onSubmit }: { busy: boolean; onSubmit: (f: Form) => void }) {
  const [form, setForm] = useState<Form>({ invoiceNo: '', amount: '', issueDate: '' })
  return (
    <View>
      <View className='cells' id='verify-number-form'>
        {FIELDS.map((f) => (
          <View key={f.key} className='cell'>
            <View className='cell__label'>{f.label}</View>
            <Input
              id={`verify-${f.key}-input`}
              className='cell__input'
              type={f.type}
              maxlength={f.max}
              placeholder={f.placeholder}
              value={form[f.key]}
              onInput={(e) => setForm({ ...form, [f.key]: e.detail.value })}
              {...inputLabel(f.label)}
            />
          </View>
        ))}
      </View>
      <View className='btn-area'>
        <Button className='btn btn--primary' id='verify-number-submit' loading={busy} disabled={busy} onClick={() => onSubmit(form)}>
          查验
        </Button>
      </View>
    </View>
  )
}
