import { useState } from 'react'
import { Button, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { Segmented } from '../../components/segmented'
import { NumberForm } from './number-form'
import { VerifyResult } from './verify-result'
import { useVerify } from './use-verify'
import '../ledger.css'

type Mode = 'file' | 'number'
const MODES = [
  { key: 'file' as const, label: '查验文件', id: 'verify-mode-file' },
  { key: 'number' as const, label: '手动输入', id: 'verify-mode-number' },
]

/**
 * 发票验真: is a forwarded invoice one of ours, unchanged? By the file (PDF / XML / OFD; hashed on
 * this device, the file is not uploaded) or by number + amount + date. The answer shows only
 * number, date, amount and seller, never the buyer.
 */
export default function VerifyPage() {
  const [mode, setMode] = useState<Mode>('file')
  const { answer, fileName, error, busy, byFile, byNumber, reset } = useVerify()
  const switchTo = (m: Mode) => {
    setMode(m)
    reset()
  }
  return (
    <Page>
      <Segmented className='stmt-years' label='查验方式' options={MODES} value={mode} onChange={switchTo} />
      {mode === 'file' ? (
        <View className='btn-area'>
          <Button className='btn btn--primary' id='verify-choose-file' loading={busy} disabled={busy} onClick={() => void byFile()}>
            {process.env.TARO_ENV === 'h5' ? '选择发票文件' : '从聊天中选择发票文件'}
          </Button>
          <View className='hint'>支持本平台开具的 PDF、XML、OFD 文件。文件只在本机计算摘要，不会上传。</View>
        </View>
      ) : (
        <NumberForm busy={busy} onSubmit={(f) => void byNumber(f)} />
      )}
      {error ? (
        <View className='error-text' id='verify-error'>
          {error}
        </View>
      ) : null}
      {answer ? <VerifyResult answer={answer} fileName={fileName} /> : null}
    </Page>
  )
}
