import { useState } from 'react'
import type { VerifyAnswer } from '@shared/ledger'
import { errorMessage } from '../../services/cloud'
import { chooseChatFile, verifyBytes, verifyNumber } from '../../services/ledger.service'
import { parseYuanToFen } from '../../services/format'

/** H5: a file input, opened by our button; the bytes are read in the browser. */
function chooseBrowserFile(): Promise<{ name: string; bytes: Uint8Array } | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = '.pdf,.xml,.ofd,application/pdf,text/xml'
    input.id = 'verify-file-input'
    input.style.display = 'none'
    input.setAttribute('aria-label', '选择发票文件')
    input.onchange = async () => {
      const f = input.files?.[0]
      input.remove()
      resolve(f ? { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) } : null)
    }
    document.body.appendChild(input)
    input.click()
  })
}

export interface NumberForm {
  invoiceNo: string
  amount: string
  issueDate: string
}

/** 验真 by file (hashed on the device) or by number + amount + date; one answer at a time. */
export function useVerify() {
  const [answer, setAnswer] = useState<VerifyAnswer | null>(null)
  const [fileName, setFileName] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const run = async (work: () => Promise<VerifyAnswer | null>) => {
    setBusy(true)
    setError(null)
    setAnswer(null)
    try {
      const a = await work()
      if (a) setAnswer(a)
    } catch (e) {
      setAnswer(null)
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const byFile = () =>
    run(async () => {
      const file = process.env.TARO_ENV === 'h5' ? await chooseBrowserFile() : await chooseChatFile()
      if (!file) return null
      setFileName(file.name)
      return verifyBytes(file.bytes)
    })

  const byNumber = (f: NumberForm) =>
    run(async () => {
      const fen = parseYuanToFen(f.amount.replace(/^-/, ''))
      if (!/^\d{20}$/.test(f.invoiceNo.trim())) throw new Error('发票号码应为 20 位数字')
      if (fen === null) throw new Error('请填写价税合计金额，如 100.00')
      if (!/^\d{4}-\d{2}-\d{2}$/.test(f.issueDate.trim())) throw new Error('开票日期格式应为 2026-01-31')
      setFileName(null)
      return verifyNumber(f.invoiceNo, fen, f.issueDate.trim())
    })

  return { answer, fileName, error, busy, byFile, byNumber, reset: () => setAnswer(null) }
}
