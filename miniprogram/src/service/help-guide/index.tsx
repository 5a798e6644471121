import { useRouter } from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { Empty } from '../../components/state-view'
import { CustomerService } from '../../components/customer-service'
import { openPage, openTab, routeParam } from '../../services/nav'
import { GUIDES } from '../help/content/guides'
import '../service.css'
import '../help/help.css'

/** One guide: its numbered steps, the hint where it usually goes wrong, and the button that does it. */
export default function HelpGuidePage() {
  const { params } = useRouter()
  const guide = GUIDES.find((g) => g.id === routeParam(params.id))
  if (!guide) {
    return (
      <Page>
        <Empty title='没有找到这篇指南' action='查看全部帮助' actionId='guide-all' onAction={() => openPage('/service/help/index')} />
      </Page>
    )
  }
  const action = guide.action
  return (
    <Page title={guide.title}>
      <View className='section-title' id='guide-title' role='heading' aria-level={1}>
        {guide.title}
      </View>
      <View className='cells' id='guide-steps'>
        {guide.steps.map((s, i) => (
          <View className='guide__step' key={s.title} id={`guide-step-${i + 1}`}>
            <View className='guide__num' aria-hidden='true'>
              {i + 1}
            </View>
            <View className='cell__body'>
              <View className='guide__title'>{`第 ${i + 1} 步 ${s.title}`}</View>
              <View className='guide__text'>{s.text}</View>
            </View>
          </View>
        ))}
      </View>
      {guide.tip ? (
        <View className='guide__tip' id='guide-tip'>
          {guide.tip}
        </View>
      ) : null}
      {action ? (
        <View className='btn-area'>
          <Button className='btn btn--primary' id='guide-action' onClick={() => (action.tab ? openTab(action.url) : openPage(action.url))}>
            {action.text}
          </Button>
        </View>
      ) : null}
      <CustomerService />
    </Page>
  )
}
