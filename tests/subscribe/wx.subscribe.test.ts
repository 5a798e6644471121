import { wxSubscribeSender, type WxSubscribeOpenApi, type WxSubscribeSendParams } from '../../cloudfunctions/_core/adapters/wx/wx.subscribe'
import type { SubscribeMessage } from '../../cloudfunctions/_core/ports/subscribe.port'

/** Behaves like wx-server-sdk 4.0.2: resolves { errCode: 0, errMsg } or rejects with a CloudSDKError-like error. */
function fakeOpenApi(answer: (p: WxSubscribeSendParams) => unknown) {
  const calls: WxSubscribeSendParams[] = []
  const api: WxSubscribeOpenApi = {
    subscribeMessage: {
      async send(p) {
        calls.push(p)
        return answer(p)
      },
    },
  }
  return { api, calls }
}

const sdkError = (errCode: number, msg: string) =>
  Object.assign(new Error(`errCode: ${errCode} | errMsg: openapi.subscribeMessage.send:fail ${msg}`), {
    errCode,
    errMsg: `openapi.subscribeMessage.send:fail ${msg}`,
  })

const msg: SubscribeMessage = {
  openid: 'oAlice0000000000000000000000',
  templateKey: 'invoiceIssued',
  templateId: 'TPL-ISSUED',
  page: 'pages/invoice/detail?id=inv1',
  data: { thing1: { value: '张三' } },
}

describe('WeChat subscribe sender over cloud.openapi', () => {
  it('sends with the SDK parameter names and miniprogramState formal by default', async () => {
    const { api, calls } = fakeOpenApi(() => ({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' }))
    expect(await wxSubscribeSender(api).send(msg)).toEqual({ ok: true })
    expect(calls).toEqual([{ touser: msg.openid, templateId: 'TPL-ISSUED', page: msg.page, data: msg.data, miniprogramState: 'formal', lang: 'zh_CN' }])
  })

  it('passes the configured miniprogramState (trial, developer)', async () => {
    const { api, calls } = fakeOpenApi(() => ({ errCode: 0 }))
    await wxSubscribeSender(api, { miniprogramState: 'trial' }).send(msg)
    expect(calls[0].miniprogramState).toBe('trial')
  })

  it('maps 43101 (no quota) to a result, not a throw', async () => {
    const { api } = fakeOpenApi(() => {
      throw sdkError(43101, 'user refuse to accept the msg rid: 6194b65c-30885010-02e8d351')
    })
    const r = await wxSubscribeSender(api).send(msg)
    expect(r).toEqual({ ok: false, errcode: 43101, errmsg: expect.stringContaining('user refuse to accept the msg') })
  })

  it('maps 47003 (bad data) to a result', async () => {
    const { api } = fakeOpenApi(() => Promise.reject(sdkError(47003, 'argument invalid! data.thing1.value invalid')))
    expect(await wxSubscribeSender(api).send(msg)).toMatchObject({ ok: false, errcode: 47003 })
  })

  it('rethrows system and network errors so the caller retries', async () => {
    const offline = Object.assign(new Error('getaddrinfo ENOTFOUND'), { errCode: -501001 })
    const { api } = fakeOpenApi(() => Promise.reject(offline))
    await expect(wxSubscribeSender(api).send(msg)).rejects.toBe(offline)
    const plain = fakeOpenApi(() => Promise.reject(new Error('boom')))
    await expect(wxSubscribeSender(plain.api).send(msg)).rejects.toThrow('boom')
  })

  it('answers 40037 without calling WeChat when the template id is not configured', async () => {
    const { api, calls } = fakeOpenApi(() => ({ errCode: 0 }))
    expect(await wxSubscribeSender(api).send({ ...msg, templateId: '' })).toMatchObject({ ok: false, errcode: 40037 })
    expect(calls).toHaveLength(0)
  })
})
