import { useMemo, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Input, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { inputLabel } from '../../components/a11y'
import { routeParam } from '../../services/nav'
import { FAQS } from './content/faq'
import { GUIDES } from './content/guides'
import { byTopic, isHelpTopic, searchHelp } from './search'
import { FaqList } from './faq-list'
import { GuideList } from './guide-list'
import { ContactBlock, PolicyLinks } from './contact-block'
import '../service.css'
import './help.css'

/**
 * 帮助与客服: search first, then the guides and questions (those of `?topic=` when a page sent the
 * person here from a problem), then 联系客服 and the policies. Content lives in ./content.
 */
export default function HelpPage() {
  const { params } = useRouter()
  const topicParam = routeParam(params.topic)
  const topic = isHelpTopic(topicParam) ? topicParam : null
  const [query, setQuery] = useState('')
  const results = useMemo(
    () => (query.trim() ? searchHelp(query, GUIDES, FAQS) : topic ? byTopic(topic, GUIDES, FAQS) : { guides: GUIDES, faqs: FAQS }),
    [query, topic],
  )
  const empty = results.guides.length === 0 && results.faqs.length === 0

  return (
    <Page>
      <View className='help-search'>
        <Input
          id='help-search-input'
          className='help-search__input'
          type='text'
          confirmType='search'
          placeholder='搜索问题，如「没收到发票」'
          value={query}
          onInput={(e) => setQuery(e.detail.value)}
          {...inputLabel('搜索帮助')}
        />
      </View>
      {topic && !query.trim() ? (
        <View className='hint' id='help-topic-hint'>
          与你遇到的问题相关的帮助：
        </View>
      ) : null}
      {empty ? (
        <View className='hint' id='help-no-result'>
          没有找到相关内容，可以换个说法，或直接联系客服。
        </View>
      ) : null}
      {results.guides.length > 0 ? <View className='section-title'>操作指南</View> : null}
      <GuideList guides={results.guides} />
      {results.faqs.length > 0 ? <View className='section-title'>常见问题</View> : null}
      <FaqList key={`${query}|${topic ?? ''}`} faqs={results.faqs} initiallyOpen={topic && results.faqs.length === 1 ? results.faqs[0].id : null} />
      <ContactBlock />
      <View className='section-title'>个人信息与协议</View>
      <PolicyLinks />
    </Page>
  )
}
