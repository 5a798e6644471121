import { useState } from 'react'
import Taro from '@tarojs/taro'
import type { Card } from '@shared/domain'
import { setCardGroup, validateCardGroup } from '../../services/card.service'
import { errorMessage } from '../../services/cloud'

/** 分组 of one card (a company's 部门): the sheet's draft, its inline check, save and clear. */
export function useCardGroup(onSaved: (card: Card) => void) {
  const [card, setCard] = useState<Card | null>(null)
  const [draft, setDraft] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  const open = (c: Card) => {
    setCard(c)
    setDraft(c.group ?? '')
    setError(null)
  }
  const close = () => setCard(null)
  const edit = (value: string) => {
    setDraft(value)
    setError(validateCardGroup(value))
  }

  async function save(value: string | null) {
    if (!card || saving) return
    const problem = value ? validateCardGroup(value) : null
    if (problem) return setError(problem)
    setSaving(true)
    try {
      onSaved(await setCardGroup(card.id, value))
      setCard(null)
      void Taro.showToast({ title: value && value.trim() ? '已设置分组' : '已清除分组', icon: 'success' })
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setSaving(false)
    }
  }

  return { card, draft, error, saving, open, close, edit, save }
}

export type CardGroupEditor = ReturnType<typeof useCardGroup>
