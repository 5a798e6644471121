import { useState } from 'react'
import Taro from '@tarojs/taro'
import { ACCOUNT_DELETE_PHRASE } from '@shared/api'
import { deleteAccountData } from '../../services/profile.service'
import { errorMessage } from '../../services/cloud'

/** What goes and what stays, said before anything is typed (the law keeps invoices: DOMAIN.md). */
export const DELETE_EXPLAINED = [
  '将删除：绑定的卡片、发票抬头、默认邮箱和自动开票设置、短信通知手机号、消息提醒记录。',
  '将保留：已开具的发票及对应的充值记录（税法要求保存 30 年），仍可在「发票」中查看和下载。',
] as const

/**
 * 删除个人数据: a modal says what is deleted and what is kept; then the person types the phrase
 * and confirms. The server checks the phrase again and refuses while an invoice or an export is
 * still running (its message is shown as is).
 */
export function useDeleteAccountData() {
  const [open, setOpen] = useState(false)
  const [phrase, setPhrase] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function start() {
    const { confirm } = await Taro.showModal({ title: '删除个人数据', content: DELETE_EXPLAINED.join('\n'), confirmText: '继续', cancelText: '取消' })
    if (confirm) setOpen(true)
  }

  function cancel() {
    setOpen(false)
    setPhrase('')
    setError(null)
  }

  async function submit() {
    if (busy) return
    if (phrase.trim() !== ACCOUNT_DELETE_PHRASE) {
      setError(`请输入「${ACCOUNT_DELETE_PHRASE}」确认`)
      return
    }
    setBusy(true)
    setError(null)
    try {
      await deleteAccountData(phrase.trim())
      void Taro.showToast({ title: '个人数据已删除', icon: 'success' })
      // every page held the deleted cards and titles: start again from the home page
      setTimeout(() => void Taro.reLaunch({ url: '/pages/index/index' }), 800)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return {
    open,
    phrase,
    busy,
    error,
    start,
    cancel,
    submit,
    setPhrase: (v: string) => {
      setPhrase(v)
      setError(null)
    },
  }
}
