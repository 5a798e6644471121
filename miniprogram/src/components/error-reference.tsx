import Taro from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import { errorReference } from '../services/cloud'

/**
 * 复制编号 under an error that carries the cloud's request id (see errorMessage): the person
 * pastes it to 客服 instead of reading a long code aloud. Nothing when the message has none.
 */
export function ErrorReference({ message }: { message: string | null | undefined }) {
  const ref = errorReference(message)
  if (!ref) return null
  return (
    <Button
      className='btn btn--default btn--mini error-ref'
      id='copy-error-ref'
      onClick={() => void Taro.setClipboardData({ data: ref }).catch(() => undefined)}
    >
      复制编号
    </Button>
  )
}

/** An error line (red text) with its 复制编号 when there is one. */
export function ErrorText({ id, message, className }: { id: string; message: string | null; className?: string }) {
  if (!message) return null
  return (
    <View className={['error-text', className ?? ''].filter(Boolean).join(' ')}>
      <View id={id}>{message}</View>
      <ErrorReference message={message} />
    </View>
  )
}
