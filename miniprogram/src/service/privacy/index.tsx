import { Page } from '../../components/page'
import { PolicyView } from '../help/policy-view'
import { PRIVACY_POLICY } from '../help/content/privacy'
import '../help/help.css'

/** 隐私政策: what we collect, why, how long (invoices 30 years by law) and how to delete the rest. */
export default function PrivacyPage() {
  return (
    <Page>
      <PolicyView doc={PRIVACY_POLICY} id='privacy-policy' />
    </Page>
  )
}
