import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { InvoiceTitle } from '@shared/domain'
import { Page } from '../../components/page'
import { useLoader } from '../../components/use-loader'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import { TITLE_KIND_LABEL, listTitles, removeTitle, setDefaultTitle } from '../../services/profile.service'
import { errorMessage } from '../../services/cloud'
import { maskTaxId } from '../../services/format'
import { openPage } from '../../services/nav'
import { decorative, pressable } from '../../components/a11y'
import { COLOR } from '../../styles/colors'

export default function TitlesPage() {
  // loaded on every show: coming back from the editor refreshes the list
  const { data: titles, error, retry, reload: load } = useLoader(listTitles)
  const [busyId, setBusyId] = useState<string | null>(null)

  function edit(title: InvoiceTitle | null) {
    openPage(title ? `/pages/title-edit/index?id=${encodeURIComponent(title.id)}` : '/pages/title-edit/index')
  }

  async function makeDefault(title: InvoiceTitle) {
    if (busyId) return
    setBusyId(title.id)
    try {
      await setDefaultTitle(title.id)
      void Taro.showToast({ title: '已设为默认', icon: 'success' })
      await load()
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setBusyId(null)
    }
  }

  async function remove(title: InvoiceTitle) {
    if (busyId) return
    const { confirm } = await Taro.showModal({
      title: '删除抬头',
      content: `确定删除「${title.name}」？已开的发票不受影响。`,
      confirmText: '删除',
      confirmColor: COLOR.danger,
    })
    if (!confirm) return
    setBusyId(title.id)
    try {
      await removeTitle(title.id)
      void Taro.showToast({ title: '已删除', icon: 'success' })
      await load()
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setBusyId(null)
    }
  }

  if (error) {
    return (
      <Page>
        <ErrorState message={error} onRetry={retry} />
      </Page>
    )
  }
  if (titles === null) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }
  if (titles.length === 0) {
    return (
      <Page>
        <Empty
          title='还没有发票抬头'
          desc='添加个人或单位抬头后，开票时直接选用。单位抬头需填写税号。'
          action='新增抬头'
          actionId='titles-add-empty'
          onAction={() => edit(null)}
        />
      </Page>
    )
  }

  return (
    <Page>
      <View className='cells'>
        {titles.map((t) => (
          <View key={t.id} className='title-item'>
            <View className='cell' id={`titles-row-${t.id}`} hoverClass='cell-hover' onClick={() => edit(t)} {...pressable('', 'link')}>
              <View className='cell__body'>
                <View className='cell__title'>
                  {t.name}
                  {t.isDefault ? (
                    <Text className='tag tag--default' id={`titles-default-mark-${t.id}`}>
                      默认
                    </Text>
                  ) : null}
                </View>
                <View className='cell__desc'>
                  {TITLE_KIND_LABEL[t.kind]}
                  {t.taxId ? ` · ${maskTaxId(t.taxId)}` : ''}
                  {t.taxIdChecksumOk === false ? ' · 税号未通过校验（已确认）' : ''}
                </View>
              </View>
              <View className='cell__arrow' {...decorative()} />
            </View>
            <View className='title-item__actions'>
              {t.isDefault ? null : (
                <View
                  className='link title-item__action'
                  id={`titles-set-default-${t.id}`}
                  onClick={() => void makeDefault(t)}
                  {...pressable(`设为默认 ${t.name}`)}
                >
                  设为默认
                </View>
              )}
              <View
                className='title-item__action title-item__action--danger'
                id={`titles-remove-${t.id}`}
                onClick={() => void remove(t)}
                {...pressable(`删除 ${t.name}`)}
              >
                删除
              </View>
            </View>
          </View>
        ))}
      </View>
      <View className='btn-area'>
        <Button className='btn btn--primary' id='titles-add' onClick={() => edit(null)}>
          新增抬头
        </Button>
      </View>
      <View className='hint'>开票前请核对抬头和税号：发票开具后不能修改。</View>
    </Page>
  )
}
