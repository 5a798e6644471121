import crypto from 'node:crypto'
import { CARD_A, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/** Item 5 of issue 10: no malformed or hostile request makes the local cloud or a function answer 500/INTERNAL. */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { LOCAL_SESSION_TTL_HOURS: '1' } })
})
afterAll(() => cloud.close())

const raw = async (pathname: string, init: RequestInit = {}) => {
  const r = await fetch(cloud.url + pathname, init)
  const text = await r.text()
  let body: any = null
  try {
    body = JSON.parse(text)
  } catch {
    body = text
  }
  return { status: r.status, body }
}
const postRaw = (pathname: string, text: string, headers: Record<string, string> = {}) =>
  raw(pathname, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: text })
const deep = (n: number) => '{"action":"list","x":' + '['.repeat(n) + ']'.repeat(n) + '}'
const backOf = (page: string) => JSON.parse(/const back = (.*);/.exec(page)![1]) as string

describe('a client function given a hostile event', () => {
  it('answers BAD_REQUEST, not INTERNAL, to a body nested 5,000 levels deep, before the sign-in check', async () => {
    const anonymous = await postRaw('/functions/card', deep(5000))
    expect(anonymous.body).toMatchObject({ ok: false, error: { code: 'COMMON.BAD_REQUEST' } })
    const me = await cloud.login('深嵌套')
    const signedIn = await postRaw('/functions/card', deep(5000), { Authorization: `Bearer ${me.token}` })
    expect(signedIn.body).toMatchObject({ ok: false, error: { code: 'COMMON.BAD_REQUEST' } })
    expect((await me.ok('card', 'list')).cards).toEqual([])
  })

  it('the staff function answers BAD_REQUEST to a body nested 5,000 levels deep', async () => {
    const r = await postRaw('/dev/api/staff', '{"action":"whoami","operator":"张三","x":' + '['.repeat(5000) + ']'.repeat(5000) + '}')
    expect(r.body).toMatchObject({ ok: false, error: { code: 'COMMON.BAD_REQUEST' } })
  })
})

describe('the local cloud HTTP layer', () => {
  it('answers 400 with the envelope to a bad percent-encoding, in a page path and in a storage path', async () => {
    for (const p of ['/%E0%A4%A', '/storage/users/%E0%A4%A/x.pdf?exp=1&sig=x']) {
      const r = await raw(p)
      expect([p, r.status, r.body.error?.code]).toEqual([p, 400, 'COMMON.BAD_REQUEST'])
    }
  })

  it('answers 400 with the envelope to a null, array or number JSON body on sign-in and on the dev hooks', async () => {
    const hooks = [
      '/auth/login',
      '/functions/card',
      '/sandbox/pay/confirm',
      '/dev/api/pay/delivery',
      '/dev/api/pay/deliver',
      '/dev/api/clock',
      '/dev/api/provider',
      '/dev/api/mail/fail',
      '/dev/api/staff',
      '/dev/api/invoke',
    ]
    for (const p of hooks) {
      for (const body of ['null', '[1,2]', '42', '"text"']) {
        const r = await postRaw(p, body)
        expect([p, body, r.status, r.body.ok, r.body.error?.code]).toEqual([p, body, 400, false, 'COMMON.BAD_REQUEST'])
      }
    }
  })

  it('refuses a non-ASCII storage signature of the right length as a bad signature, not a 500', async () => {
    const me = await cloud.login('签名')
    const r = await raw(`/storage/users/${me.openid}/x.pdf?exp=${Math.floor(Date.now() / 1000) + 600}&sig=${encodeURIComponent('é'.repeat(43))}`, {
      headers: { Authorization: `Bearer ${me.token}` },
    })
    expect(r.status).toBe(403)
    expect(r.body.error).toMatchObject({ code: 'COMMON.FORBIDDEN', message: '链接无效：bad_signature' })
  })

  it('answers 413 with the envelope to a body over 64 KB instead of resetting the connection', async () => {
    const me = await cloud.login('大请求体')
    const big = JSON.stringify({ action: 'bind', cardNo: CARD_A, pad: 'x'.repeat(100_000) })
    for (const p of ['/functions/card', '/auth/login', '/dev/api/clock']) {
      const r = await postRaw(p, big, { Authorization: `Bearer ${me.token}` })
      expect([p, r.status, r.body.error?.code]).toEqual([p, 413, 'COMMON.BAD_REQUEST'])
    }
    expect((await me.ok('card', 'list')).cards).toEqual([])
  })
})

describe('the dev pages', () => {
  it('echo return= into their script escaped, so </script> cannot break out', async () => {
    const evil = '/x</script><script>alert(1)</script><!--'
    const page = (await raw(`/dev/login?return=${encodeURIComponent(evil)}`)).body as string
    expect(backOf(page)).toBe(evil)
    expect(page).not.toContain('<script>alert(1)')
    expect(page).not.toContain('</script><script>')
  })

  it('send the browser back only to a local path: other hosts and schemes become /', async () => {
    const other = [
      '//other.host/x',
      '/\\other.host',
      '/\t/other.host',
      'http://other.host/',
      'javascript:alert(1)',
      `${cloud.url}@other.host/`,
      'https://other.host',
    ]
    for (const ret of other) {
      const page = (await raw(`/dev/login?return=${encodeURIComponent(ret)}`)).body as string
      expect([ret, backOf(page)]).toEqual([ret, '/'])
    }
    const own = (await raw(`/dev/login?return=${encodeURIComponent(`${cloud.url}/#/pages/pay-result/index?orderId=1`)}`)).body as string
    expect(backOf(own)).toBe('/#/pages/pay-result/index?orderId=1')
  })
})

describe('the pay sandbox deliver hook', () => {
  const newOrder = async (me: Client, amountFen: number) => {
    const { card } = await me.ok('card', 'bind', { cardNo: CARD_A })
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId: card.id, amountFen, clientToken: crypto.randomUUID() })
    return { orderId: order.id as string, prepayId: (payment.package as string).replace('prepay_id=', '') }
  }
  const status = async (me: Client, orderId: string) => (await me.ok('topup', 'getOrder', { orderId })).order.status

  it("cannot mark someone's unpaid order paid: overrides of the order or the paid amount are refused, an unpaid payment is not delivered", async () => {
    await cloud.dev('/dev/api/pay/delivery', { mode: 'never' })
    try {
      const payer = await cloud.login('付款人')
      const victim = await cloud.login('未付款人')
      const paid = await newOrder(payer, 2000)
      const unpaid = await newOrder(victim, 2000)
      await postRaw('/sandbox/pay/confirm', JSON.stringify({ prepayId: paid.prepayId }))
      const redirected = await postRaw('/dev/api/pay/deliver', JSON.stringify({ outTradeNo: paid.orderId, override: { outTradeNo: unpaid.orderId } }))
      expect([redirected.status, redirected.body.error?.code]).toEqual([400, 'COMMON.BAD_REQUEST'])
      const sameAmount = await postRaw('/dev/api/pay/deliver', JSON.stringify({ outTradeNo: paid.orderId, override: { totalFee: 2000 } }))
      expect(sameAmount.status).toBe(400)
      const notPaid = await postRaw('/dev/api/pay/deliver', JSON.stringify({ outTradeNo: unpaid.orderId }))
      expect(notPaid.status).toBe(409)
      expect(await status(victim, unpaid.orderId)).toBe('created')
      expect(await status(payer, paid.orderId)).toBe('created')
    } finally {
      await cloud.dev('/dev/api/pay/delivery', { mode: 'once' })
    }
  })
})

describe('local sessions', () => {
  it('expire after LOCAL_SESSION_TTL_HOURS by the local clock', async () => {
    const me = await cloud.login('会过期')
    try {
      await cloud.dev('/dev/api/clock', { offsetMs: 59 * 60_000 })
      expect((await me.call('card', { action: 'list' })).status).toBe(200)
      await cloud.dev('/dev/api/clock', { offsetMs: 61 * 60_000 })
      const r = await me.call('card', { action: 'list' })
      expect([r.status, r.body.error?.code]).toEqual([401, 'COMMON.UNAUTHENTICATED'])
    } finally {
      await cloud.dev('/dev/api/clock', { offsetMs: 0 })
    }
  })

  it('end at once on POST /auth/logout, that session only', async () => {
    const phone = await cloud.login('登出')
    const laptop = await cloud.login('登出')
    const out = await raw('/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${phone.token}` } })
    expect(out).toEqual({ status: 200, body: { ok: true, ended: true } })
    expect((await phone.call('card', { action: 'list' })).status).toBe(401)
    expect((await laptop.call('card', { action: 'list' })).status).toBe(200)
  })
})

describe('dev endpoints on a server listening beyond loopback', () => {
  const probe = async (remote: TestCloud) => {
    const base = remote.url.replace('0.0.0.0', '127.0.0.1')
    return Promise.all(['/dev', '/dev/api/pay', '/sandbox/pay?prepayId=x', '/healthz'].map(async (p) => (await fetch(base + p)).status))
  }

  it('refuse to serve (403) unless LOCAL_CLOUD_ALLOW_DEV_REMOTE is set', async () => {
    const remote = await startTestCloud({ host: '0.0.0.0' })
    try {
      expect(await probe(remote)).toEqual([403, 403, 403, 200])
    } finally {
      await remote.close()
    }
    const allowed = await startTestCloud({ host: '0.0.0.0', env: { LOCAL_CLOUD_ALLOW_DEV_REMOTE: 'true' } })
    try {
      expect(await probe(allowed)).toEqual([200, 200, 200, 200])
    } finally {
      await allowed.close()
    }
  })
})
