import type { PropsWithChildren } from 'react'
import Taro, { useDidShow, useLaunch } from '@tarojs/taro'
import { refreshInvoiceTabBadge } from './components/use-uninvoiced'

// tokens first: app.css and every component read their variables
import './styles/tokens.css'
import './app.css'
import { installH5A11yShim } from './components/h5-a11y-shim'
import { installH5PageGuard } from './components/h5-page-guard'

if (process.env.TARO_ENV === 'h5') {
  // Taro's own H5 toast / modal / picker / tab bar restyled to the tokens (weapp's are native);
  // a require inside the branch keeps the rules out of the weapp build
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- build-time platform branch
  require('./styles/taro-h5.css')
}

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'h5') installH5A11yShim()
    // H5: the current page stays on screen after quick Back presses (components/h5-page-guard.ts)
    if (process.env.TARO_ENV === 'h5') installH5PageGuard()
    if (process.env.TARO_ENV === 'weapp') {
      // Once per launch; an empty env id means the mini-program's default cloud environment.
      Taro.cloud.init({ env: process.env.TARO_APP_CLOUD_ENV || undefined, traceUser: true })
    }
  })

  // back in the app: the 发票 tab badge counts un-invoiced top-ups (quiet when not signed in yet)
  useDidShow(() => {
    void refreshInvoiceTabBadge()
  })

  // children is the page being rendered
  return children
}

export default App
