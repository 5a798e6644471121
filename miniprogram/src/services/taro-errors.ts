/** The failures of Taro / WeChat APIs: rejected with `{ errMsg: 'chooseAddress:fail cancel' }`. */

/** The errMsg of a rejected API call, or '' when the value is something else. */
export function apiErrMsg(e: unknown): string {
  if (typeof e !== 'object' || e === null) return ''
  const { errMsg } = e as { errMsg?: unknown }
  return typeof errMsg === 'string' ? errMsg : ''
}

/** The person closed the dialog (address, invoice title, payment): not an error to show. */
export function isUserCancel(e: unknown): boolean {
  return apiErrMsg(e).includes('cancel')
}
