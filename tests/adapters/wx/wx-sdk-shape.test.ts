import type { WxContextLike } from '../../../cloudfunctions/_core/adapters/wx/wx-cloud.types'
import { toCallContext } from '../../../cloudfunctions/_core/wiring/wx'

/**
 * Checks that the real wx-server-sdk still has every function WxCloudLike relies on, without
 * calling init() or anything that reaches the network (offline, those calls reject and raise
 * unhandled rejections). Requiring the module alone opens no handle and starts nothing
 * (checked with --detectOpenHandles), so it is loaded in-process.
 *
 * What cannot be checked without init():
 * - database() throws "please call init first" before init, so db.command (eq, lt, in, and,
 *   or) and the query builders are covered by the typings and the fake, not here;
 * - cloudPay is a Proxy on which ANY property is a callable API name, so `unifiedOrder`,
 *   `queryOrder` and `closeOrder` being functions proves only that the namespace exists
 *   (the test shows a made-up name is "a function" too); the same holds for openapi;
 * - db.command's gt/gte/lte/neq/inc/set and update()'s "updated counts changed documents"
 *   are documented database behaviour, mirrored by the fake (tests/adapters/wx/wx-cloud.fake.test.ts).
 */
describe('wx-server-sdk 4.0.2 shape', () => {
  let cloud: Record<string, any>
  beforeAll(() => {
    cloud = require('wx-server-sdk')
  })

  it('exports the functions the adapters and the wiring call', () => {
    for (const name of ['init', 'database', 'getWXContext', 'uploadFile', 'downloadFile', 'getTempFileURL', 'deleteFile']) {
      expect(`${name}: ${typeof cloud[name]}`).toBe(`${name}: function`)
    }
    expect(typeof cloud.DYNAMIC_CURRENT_ENV).toBe('symbol')
  })

  it('has the cloudPay namespace (a proxy: every name is callable, so this is all it can show)', () => {
    const cloudPay = cloud.cloudPay // never await or expect() this object itself: `then` is callable too
    expect(typeof cloudPay.unifiedOrder).toBe('function')
    expect(typeof cloudPay.queryOrder).toBe('function')
    expect(typeof cloudPay.closeOrder).toBe('function')
    expect(typeof cloudPay.aNameThatDoesNotExist).toBe('function')
  })

  it('has the openapi namespace the subscribe sender calls (a proxy as well)', () => {
    const openapi = cloud.openapi // like cloudPay: never await it
    expect(typeof openapi.subscribeMessage.send).toBe('function')
  })

  it('refuses database() before init, which is why the wiring calls init first', () => {
    expect(() => cloud.database()).toThrow(/init/)
  })

  it('builds getWXContext from the environment SCF sets, in the shape toCallContext maps', () => {
    const saved = { ...process.env }
    try {
      Object.assign(process.env, {
        WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_CLIENTIP',
        WX_OPENID: 'oAlice0000000000000000000001',
        WX_APPID: 'wx0123456789abcdef',
        WX_CLIENTIP: '203.0.113.7',
        TCB_SOURCE: 'wx_client',
        TCB_ENV: 'prod-1',
      })
      const wx: WxContextLike = cloud.getWXContext()
      expect(wx).toMatchObject({ OPENID: 'oAlice0000000000000000000001', SOURCE: 'wx_client', CLIENTIP: '203.0.113.7', ENV: 'prod-1' })
      expect(toCallContext(wx, { request_id: 'r1' })).toEqual({
        openid: 'oAlice0000000000000000000001',
        source: 'wx_client',
        requestId: 'r1',
        clientIp: '203.0.113.7',
      })
    } finally {
      process.env = saved
    }
  })
})
