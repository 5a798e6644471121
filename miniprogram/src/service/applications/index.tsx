import { useEffect, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro'
import { Button, View } from '@tarojs/components'
import type { ApplicationView, PaperRequestView } from '@shared/aftersales'
import { Page } from '../../components/page'
import { Segmented } from '../../components/segmented'
import { usePagedList } from '../../components/use-paged-list'
import { listApplications, listPaperRequests } from '../../services/application.service'
import { PagedSection } from '../components/paged-section'
import { ApplicationRow, PaperRow } from '../components/application-row'
import { openPage, openTab } from '../../services/nav'
import '../service.css'

type Segment = 'applications' | 'paper'

const SEGMENTS = [
  { key: 'applications' as const, label: '补开/换开', id: 'seg-applications' },
  { key: 'paper' as const, label: '纸质件', id: 'seg-paper' },
]

const NEW_APPLICATION_URL = '/service/application-new/index?type=supplement'

/** 我的申请: applications reviewed by staff and paper-copy requests, each with its status. */
export default function ApplicationsPage() {
  const { params } = useRouter()
  const [segment, setSegment] = useState<Segment>(params.tab === 'paper' ? 'paper' : 'applications')
  const applications = usePagedList<ApplicationView>(listApplications)
  const paper = usePagedList<PaperRequestView>(listPaperRequests)
  const list = segment === 'applications' ? applications : paper
  const shownOnce = useRef(false)

  // first show loads; coming back (from a detail, after a withdraw) refreshes quietly
  useDidShow(() => {
    if (!shownOnce.current) {
      shownOnce.current = true
      return
    }
    void list.reload()
  })

  // the first opening of each segment loads it (a list keeps its ref and reload: this runs on a switch)
  const listLoaded = list.loaded
  const reloadList = list.reload
  useEffect(() => {
    if (!listLoaded.current) void reloadList()
  }, [listLoaded, reloadList])

  usePullDownRefresh(() => {
    void list.reload().finally(() => Taro.stopPullDownRefresh())
  })

  useReachBottom(() => {
    void list.loadMore()
  })

  const apply = () => openPage(NEW_APPLICATION_URL)

  return (
    <Page>
      <View className='segmented-bar'>
        <Segmented options={SEGMENTS} value={segment} onChange={setSegment} />
      </View>
      {segment === 'applications' ? (
        <View>
          <View className='top-action'>
            <Button className='btn btn--primary' id='applications-new' onClick={apply}>
              申请补开发票
            </Button>
          </View>
          <View className='hint'>超过开票期限的充值、在服务网点或自助机的充值，可申请补开，客服审核后开具。</View>
          <PagedSection list={applications} idPrefix='applications' empty={{ title: '还没有申请', desc: '补开或换开的申请会显示在这里，可随时查看进度。' }}>
            {(items) => items.map((app) => <ApplicationRow key={app.id} app={app} />)}
          </PagedSection>
        </View>
      ) : (
        <View>
          <View className='hint'>纸质件是电子发票的打印件，可在「发票详情」中申请邮寄。</View>
          <PagedSection
            list={paper}
            idPrefix='paper'
            empty={{
              title: '还没有邮寄申请',
              desc: '在已开具的发票详情中点「邮寄纸质版」即可申请。',
              action: '去看发票',
              actionId: 'paper-go-invoices',
              onAction: () => openTab('/pages/invoice/index'),
            }}
          >
            {(items) => items.map((p) => <PaperRow key={p.id} paper={p} />)}
          </PagedSection>
        </View>
      )}
    </Page>
  )
}
