/**
 * The signed-in identity. In weapp WeChat itself is the session (the cloud reads the openid from
 * the call context). In H5 the local cloud's sign-in page writes `wt.session` to localStorage.
 */
export interface Session {
  token: string
  openid: string
  name: string
}

const SESSION_KEY = 'wt.session'

export function readSession(): Session | null {
  if (process.env.TARO_ENV !== 'h5') return null
  try {
    const raw = window.localStorage.getItem(SESSION_KEY)
    if (!raw) return null
    const parsed = JSON.parse(raw) as Partial<Session>
    if (typeof parsed.token !== 'string' || parsed.token === '') return null
    return { token: parsed.token, openid: String(parsed.openid ?? ''), name: String(parsed.name ?? '') }
  } catch {
    return null
  }
}

/**
 * H5 only: send the browser to the local cloud's sign-in page, coming back here afterwards (a
 * path: the sign-in page only returns to local paths). A session the cloud refused (expired,
 * signed out) is dropped first.
 */
export function redirectToLogin(): void {
  if (process.env.TARO_ENV !== 'h5') return
  window.localStorage.removeItem(SESSION_KEY)
  const here = window.location.pathname + window.location.search + window.location.hash
  window.location.href = '/dev/login?return=' + encodeURIComponent(here)
}

/** The name shown in 我的. */
export function displayName(): string {
  if (process.env.TARO_ENV === 'h5') {
    const session = readSession()
    return session?.name || '测试用户'
  }
  return '微信用户'
}
