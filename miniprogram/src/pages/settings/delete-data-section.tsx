import { Button, Input, View } from '@tarojs/components'
import { ACCOUNT_DELETE_PHRASE } from '@shared/api'
import { decorative, inputLabel, pressable } from '../../components/a11y'
import { DELETE_EXPLAINED, useDeleteAccountData } from './use-delete-account-data'

/**
 * 设置 → 删除个人数据 (promised by 隐私政策): the entry, then the typed confirmation. Invoices and
 * their top-ups stay (tax law); the explanation says so before anything is deleted.
 */
export function DeleteDataSection() {
  const del = useDeleteAccountData()
  return (
    <>
      <View className='section-title'>隐私</View>
      <View className='cells'>
        <View className='cell' id='delete-data-entry' hoverClass='cell-hover' onClick={() => void del.start()} {...pressable('', 'link')}>
          <View className='cell__body'>
            <View className='cell__title'>删除个人数据</View>
            <View className='cell__desc'>删除卡片、抬头、设置等；已开发票依法保留</View>
          </View>
          <View className='cell__arrow' {...decorative()} />
        </View>
        {del.open ? (
          <View className='cell' id='delete-data-confirm'>
            <Input
              id='delete-data-input'
              className='cell__input'
              type='text'
              maxlength={20}
              placeholder={`输入「${ACCOUNT_DELETE_PHRASE}」`}
              value={del.phrase}
              onInput={(e) => del.setPhrase(e.detail.value)}
              {...inputLabel(`输入${ACCOUNT_DELETE_PHRASE}以确认`)}
            />
            <Button
              className='btn btn--warn btn--mini'
              id='delete-data-submit'
              loading={del.busy}
              onClick={() => void del.submit()}
              {...pressable('确认删除个人数据')}
            >
              确认删除
            </Button>
          </View>
        ) : null}
        {del.open ? (
          <View className='cell' id='delete-data-cancel' hoverClass='cell-hover' onClick={del.cancel} {...pressable('')}>
            <View className='cell__body'>
              <View className='cell__title'>取消，不删除</View>
            </View>
          </View>
        ) : null}
      </View>
      {del.error ? (
        <View className='error-text' id='delete-data-error' role='alert'>
          {del.error}
        </View>
      ) : null}
      {del.open ? (
        <View className='hint' id='delete-data-hint'>
          {DELETE_EXPLAINED.map((line) => (
            <View key={line}>{line}</View>
          ))}
        </View>
      ) : null}
    </>
  )
}
