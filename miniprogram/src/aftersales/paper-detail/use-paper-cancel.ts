import { useState } from 'react'
import Taro from '@tarojs/taro'
import type { PaperRequestView } from '@shared/aftersales'
import { cancelPaper } from '../../services/paper.service'
import { errorMessage } from '../../services/cloud'

/** 取消申请: destructive, so a modal first; the answer replaces what the page shows. */
export function usePaperCancel(onChanged: (p: PaperRequestView) => void) {
  const [cancelling, setCancelling] = useState(false)

  async function cancel(paper: PaperRequestView) {
    if (cancelling) return
    const { confirm } = await Taro.showModal({
      title: '取消邮寄',
      content: '取消后不会打印和寄出，需要时可重新申请。',
      confirmText: '取消邮寄',
      cancelText: '不取消',
      confirmColor: '#FA5151',
    })
    if (!confirm) return
    setCancelling(true)
    try {
      onChanged(await cancelPaper(paper.id))
      void Taro.showToast({ title: '已取消', icon: 'success' })
    } catch (e) {
      // e.g. PAPER.BAD_STATE: printed meanwhile; the message says so, the page reloads to show it
      void Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 })
      throw e
    } finally {
      setCancelling(false)
    }
  }

  return { cancel, cancelling }
}
