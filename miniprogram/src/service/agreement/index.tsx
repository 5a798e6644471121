import { Page } from '../../components/page'
import { PolicyView } from '../help/policy-view'
import { USER_AGREEMENT } from '../help/content/agreement'
import '../help/help.css'

/** 用户协议 */
export default function AgreementPage() {
  return (
    <Page>
      <PolicyView doc={USER_AGREEMENT} id='user-agreement' />
    </Page>
  )
}
