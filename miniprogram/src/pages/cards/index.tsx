import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import type { Card } from '@shared/domain'
import { Page } from '../../components/page'
import { useLoader } from '../../components/use-loader'
import { Empty, ErrorState, Loading } from '../../components/state-view'
import { cardLabel, groupsOf, listCards, removeCard } from '../../services/card.service'
import { errorMessage } from '../../services/cloud'
import { formatDateTime, maskCardNo } from '../../services/format'
import { pressable } from '../../components/a11y'
import { openPage } from '../../services/nav'
import { GroupSheet } from './group-sheet'
import { useCardGroup } from './use-card-group'
import { COLOR } from '../../styles/colors'

export default function CardsPage() {
  const { data: cards, setData: setCards, error, retry } = useLoader(listCards)
  const [removing, setRemoving] = useState<string | null>(null)
  const groupEditor = useCardGroup((saved) => setCards((current) => (current ?? []).map((c) => (c.id === saved.id ? saved : c))))

  async function onRemove(card: Card) {
    const { confirm } = await Taro.showModal({
      title: '解除绑定',
      content: `确定解除绑定「${cardLabel(card)}」(${maskCardNo(card.cardNo)})？解除后不能再为这张卡充值，已有的充值记录仍会保留。`,
      confirmText: '解除绑定',
      confirmColor: COLOR.danger,
      cancelText: '取消',
    })
    if (!confirm) return
    setRemoving(card.id)
    try {
      await removeCard(card.id)
      setCards((current) => (current ?? []).filter((c) => c.id !== card.id))
      void Taro.showToast({ title: '已解除绑定', icon: 'success' })
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 2500 })
    } finally {
      setRemoving(null)
    }
  }

  function goAdd() {
    openPage('/pages/card-add/index')
  }

  if (error) {
    return (
      <Page>
        <ErrorState message={error} onRetry={retry} />
      </Page>
    )
  }
  if (cards === null) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }
  if (cards.length === 0) {
    return (
      <Page>
        <Empty title='还没有绑定卡片' desc='绑定武汉通卡后即可在线充值。' action='绑定卡片' actionId='cards-add' onAction={goAdd} />
      </Page>
    )
  }

  return (
    <Page>
      <View className='section-title'>已绑定 {cards.length} 张卡</View>
      <View className='cells'>
        {cards.map((card) => (
          <View key={card.id} id={`mycard-${card.id}`} className='cell'>
            <View className='cell__body'>
              <View className='cell__title'>{cardLabel(card)}</View>
              <View className='cell__desc'>{maskCardNo(card.cardNo)}</View>
              <View className='cell__desc'>绑定于 {formatDateTime(card.createdAt)}</View>
              <View className='cell__desc' id={`group-${card.id}`}>
                分组：{card.group ?? '未分组'}
              </View>
            </View>
            <Button
              className='btn btn--default btn--mini'
              id={`group-edit-${card.id}`}
              onClick={() => groupEditor.open(card)}
              {...pressable(`分组 ${cardLabel(card)}`)}
            >
              分组
            </Button>
            <Button
              className='btn btn--warn btn--mini'
              id={`remove-${card.id}`}
              loading={removing === card.id}
              disabled={removing !== null || undefined}
              onClick={() => void onRemove(card)}
              {...pressable(`解除绑定 ${cardLabel(card)}`)}
            >
              解除绑定
            </Button>
          </View>
        ))}
      </View>
      <View className='btn-area'>
        <Button className='btn btn--primary' id='cards-add' onClick={goAdd}>
          添加卡片
        </Button>
      </View>
      <GroupSheet editor={groupEditor} groups={groupsOf(cards)} />
    </Page>
  )
}
