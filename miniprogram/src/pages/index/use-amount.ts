import { useState } from 'react'
import type { TopupConfig } from '@shared/domain'
import { validateAmount } from '../../services/topup.service'
import { parseYuanToFen } from '../../services/format'

export type AmountChoice = { kind: 'preset'; fen: number } | { kind: 'custom' } | null

/** The amount chips and the 自定义 field, checked against the limits while typing. */
export function useAmount(config: TopupConfig | null) {
  const [choice, setChoice] = useState<AmountChoice>(null)
  const [customText, setCustomText] = useState('')
  const [error, setError] = useState<string | null>(null)

  const fen = !choice ? null : choice.kind === 'preset' ? choice.fen : parseYuanToFen(customText)

  function pickPreset(presetFen: number) {
    setChoice({ kind: 'preset', fen: presetFen })
    setError(null)
  }

  function pickCustom() {
    setChoice({ kind: 'custom' })
  }

  function typeCustom(value: string) {
    setCustomText(value)
    if (config && value.trim() !== '') setError(validateAmount(parseYuanToFen(value), config))
    else setError(null)
  }

  /** Before the sheet opens: the reason the amount cannot be paid, or null. */
  function check(): string | null {
    if (!choice) return '请选择充值金额'
    if (choice.kind === 'custom' && config) {
      const problem = customText.trim() === '' ? '请输入充值金额' : validateAmount(parseYuanToFen(customText), config)
      setError(problem)
      return problem
    }
    return null
  }

  return { choice, fen, customText, error, pickPreset, pickCustom, typeCustom, check }
}
