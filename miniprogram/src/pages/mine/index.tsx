import { useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { Switch, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { useLargeText } from '../../components/use-large-text'
import { setLargeText } from '../../services/settings.service'
import { displayName } from '../../services/session'
import { afterSalesSummary } from '../../services/application.service'
import { inputLabel } from '../../components/a11y'
import { useInvoiceTabBadge } from '../../components/use-uninvoiced'
import { LinkCell } from '../../components/link-cell'
import './index.css'

type Badges = { applications: number; tickets: number }

export default function MinePage() {
  useInvoiceTabBadge()
  const large = useLargeText()
  const [name, setName] = useState(displayName)
  const [badges, setBadges] = useState<Badges>({ applications: 0, tickets: 0 })

  // the H5 sign-in may have changed while this tab was hidden; badges are a hint, a failure hides them
  useDidShow(() => {
    setName(displayName())
    afterSalesSummary()
      .then((s) => setBadges({ applications: s.applicationsActive + s.paperActive, tickets: s.ticketsAnswered }))
      .catch(() => setBadges({ applications: 0, tickets: 0 }))
  })

  return (
    <Page>
      <View className='profile'>
        <View className='profile__avatar'>{Array.from(name)[0] ?? '我'}</View>
        <View className='profile__name' id='user-name'>
          {name}
        </View>
      </View>

      <View className='cells'>
        <LinkCell id='mine-cards' title='我的卡片' url='/pages/cards/index' />
        <LinkCell id='mine-orders' title='充值记录' url='/pages/orders/index' />
      </View>

      <View className='cells'>
        <LinkCell id='mine-titles' title='发票抬头' url='/pages/titles/index' />
        <LinkCell id='mine-batch' title='企业批量开票' desc='按抬头、月份和卡片一次开多张' url='/enterprise/batch/index' />
        <LinkCell id='mine-export-all' title='导出全部发票' desc='PDF、XML 与台账打包成一个压缩包' url='/enterprise/exports/index?all=1' />
        <LinkCell id='mine-statement' title='对账单' desc='每月充值、已开票、未开票' url='/enterprise/statement/index' />
        <LinkCell id='mine-verify' title='发票验真' desc='查验转发来的发票是否真实' url='/enterprise/verify/index' />
        <LinkCell id='mine-settings' title='设置' url='/pages/settings/index' />
      </View>

      <View className='cells'>
        <LinkCell
          id='mine-applications'
          title='我的申请'
          desc={badges.applications ? `${badges.applications} 件处理中` : '补开、换开、纸质件'}
          url='/service/applications/index'
          badge={badges.applications}
        />
        <LinkCell
          id='mine-tickets'
          title='问题反馈'
          desc={badges.tickets ? `客服回复了 ${badges.tickets} 条` : undefined}
          url='/service/tickets/index'
          badge={badges.tickets}
        />
        <LinkCell id='mine-help' title='帮助与客服' desc='常见问题、操作指南、联系客服' url='/service/help/index' />
      </View>

      <View className='cells'>
        <View className='cell' id='large-text'>
          <View className='cell__body'>
            <View className='cell__title'>大字模式</View>
            <View className='cell__desc'>放大文字和按钮，更易看清</View>
          </View>
          <Switch id='large-text-switch' checked={large} color='#07C160' onChange={(e) => setLargeText(e.detail.value)} {...inputLabel('大字模式')} />
        </View>
      </View>

      <View className='cells'>
        <LinkCell id='mine-privacy' title='隐私政策' url='/service/privacy/index' />
        <LinkCell id='mine-about' title='关于' desc='版本、客服电话与服务时间' url='/pages/about/index' />
      </View>
    </Page>
  )
}
