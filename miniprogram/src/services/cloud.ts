/**
 * The one typed client for the cloud functions. Weapp calls wx.cloud; H5 posts to the local
 * cloud. Both answer with the same envelope; a failure becomes a thrown CloudError.
 */
import Taro from '@tarojs/taro'
import type { ActionIn, ActionName, ActionOut, FunctionName } from '@shared/api'
import type { Envelope } from '@shared/envelope'
import { CloudError, NETWORK_MESSAGE, UNAVAILABLE_MESSAGE } from './cloud.errors'
import { readSession, redirectToLogin } from './session'

export { CloudError, isCloudError, errorMessage, errorReference } from './cloud.errors'

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null) return false
  const v = value as { ok?: unknown; error?: unknown }
  if (v.ok === true) return 'data' in v
  return v.ok === false && typeof v.error === 'object' && v.error !== null
}

function unwrap<T>(value: unknown): T {
  if (!isEnvelope(value)) throw new CloudError('INTERNAL', UNAVAILABLE_MESSAGE)
  if (value.ok) return value.data as T
  const { code, message, requestId, details } = value.error
  if (code === 'COMMON.UNAUTHENTICATED') redirectToLogin()
  throw new CloudError(code, message || UNAVAILABLE_MESSAGE, requestId, details)
}

async function callWeapp(name: string, data: Record<string, unknown>): Promise<unknown> {
  let res: Taro.cloud.CallFunctionResult
  try {
    res = await Taro.cloud.callFunction({ name, data })
  } catch {
    throw new CloudError('NETWORK', NETWORK_MESSAGE)
  }
  return res.result
}

async function callH5(name: string, data: Record<string, unknown>): Promise<unknown> {
  const session = readSession()
  if (!session) {
    redirectToLogin()
    throw new CloudError('COMMON.UNAUTHENTICATED', '请先登录')
  }
  let res: Response
  try {
    res = await fetch('/functions/' + encodeURIComponent(name), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + session.token },
      body: JSON.stringify(data),
    })
  } catch {
    throw new CloudError('NETWORK', NETWORK_MESSAGE)
  }
  let body: unknown
  try {
    body = await res.json()
  } catch {
    body = undefined
  }
  if (res.status === 401 && !isEnvelope(body)) {
    redirectToLogin()
    throw new CloudError('COMMON.UNAUTHENTICATED', '请先登录')
  }
  return body
}

export async function callFunction<F extends FunctionName, A extends ActionName<F>>(name: F, action: A, input: ActionIn<F, A>): Promise<ActionOut<F, A>> {
  const data = { ...(input as object), action } as Record<string, unknown>
  // Each build keeps only its own branch (TARO_ENV is replaced at build time).
  const raw = process.env.TARO_ENV === 'h5' ? await callH5(name, data) : await callWeapp(name, data)
  return unwrap<ActionOut<F, A>>(raw)
}
