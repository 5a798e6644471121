import { Button, View } from '@tarojs/components'
import { ErrorReference } from './error-reference'
import { decorative, live } from './a11y'

export function Loading({ text = '加载中…' }: { text?: string }) {
  return (
    <View className='state' id='state-loading' {...live()}>
      <View className='spinner' {...decorative()} />
      <View className='state__desc'>{text}</View>
    </View>
  )
}

export function ErrorState({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <View className='state' id='state-error'>
      <View className='state__title'>加载失败</View>
      <View className='state__desc'>{message}</View>
      <ErrorReference message={message} />
      <Button className='btn btn--default' id='retry' onClick={onRetry}>
        重试
      </Button>
    </View>
  )
}

export function Empty({
  title,
  desc,
  action,
  actionId,
  onAction,
}: {
  title: string
  desc?: string
  action?: string
  actionId?: string
  onAction?: () => void
}) {
  return (
    <View className='state' id='state-empty'>
      <View className='state__title'>{title}</View>
      {desc ? <View className='state__desc'>{desc}</View> : null}
      {action && onAction ? (
        <Button className='btn btn--primary' id={actionId} onClick={onAction}>
          {action}
        </Button>
      ) : null}
    </View>
  )
}
