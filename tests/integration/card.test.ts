import { CARD_A, CARD_B, startTestCloud, type TestCloud } from '../helpers/local-cloud'

/** 15 digits + the Luhn check digit */
function luhnCard(body15: string): string {
  const sum = [...body15].reverse().reduce((acc, ch, i) => {
    const d = Number(ch) * (i % 2 === 0 ? 2 : 1)
    return acc + (d > 9 ? d - 9 : d)
  }, 0)
  return body15 + String((10 - (sum % 10)) % 10)
}

let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { MAX_CARDS_PER_USER: '3' } })
})
afterAll(() => cloud.close())

describe('card function over the local cloud', () => {
  it('binds a card, lists it, and refuses binding the same card twice', async () => {
    const me = await cloud.login('绑卡用户')
    const { card } = await me.ok('card', 'bind', { cardNo: '3104 0000 1234 5673', nickname: '通勤卡' })
    expect(card).toMatchObject({ cardNo: CARD_A, nickname: '通勤卡' })
    expect(card).not.toHaveProperty('openid')
    const again = await me.call('card', { action: 'bind', cardNo: CARD_A })
    expect(again.body).toEqual({ ok: false, error: { code: 'CARD.ALREADY_BOUND', message: expect.any(String) } })
    expect((await me.ok('card', 'list')).cards).toHaveLength(1)
  })

  it('refuses a card number that fails the check digit, with a Chinese reason', async () => {
    const me = await cloud.login('输错卡号')
    const r = await me.call('card', { action: 'bind', cardNo: '3104000012345674' })
    expect(r.body.error.code).toBe('CARD.NUMBER_INVALID')
    expect(r.body.error.message).toMatch(/卡号/)
    expect((await me.ok('card', 'list')).cards).toEqual([])
  })

  it('shows and removes only the caller’s own cards', async () => {
    const alice = await cloud.login('alice')
    const bob = await cloud.login('bob')
    const { card } = await alice.ok('card', 'bind', { cardNo: CARD_B })
    expect((await bob.ok('card', 'list')).cards).toEqual([])
    const r = await bob.call('card', { action: 'remove', cardId: card.id })
    expect(r.body.error.code).toBe('CARD.NOT_FOUND')
    expect((await alice.ok('card', 'list')).cards).toHaveLength(1)
    await alice.ok('card', 'remove', { cardId: card.id })
    expect((await alice.ok('card', 'list')).cards).toEqual([])
  })

  it('lets two people bind the same card (a family topping up one card)', async () => {
    const a = await cloud.login('家人甲')
    const b = await cloud.login('家人乙')
    await a.ok('card', 'bind', { cardNo: CARD_A })
    await b.ok('card', 'bind', { cardNo: CARD_A })
  })

  it('caps the number of cards per user from configuration', async () => {
    const me = await cloud.login('多卡用户')
    for (const no of ['3104000012345673', '3104000098765430', '3104000000000009']) await me.ok('card', 'bind', { cardNo: no })
    const r = await me.call('card', { action: 'bind', cardNo: '3104000000000017' })
    expect(r.body.error.code).toBe('CARD.LIMIT_REACHED')
  })

  it.each([
    [{ action: 'bind', cardNo: 3104000012345673 }, 'COMMON.BAD_REQUEST'],
    [{ action: 'bind', cardNo: 'x'.repeat(41) }, 'COMMON.BAD_REQUEST'],
    [{ action: 'bind', cardNo: CARD_A, nickname: '长'.repeat(41) }, 'COMMON.BAD_REQUEST'],
    [{ action: 'remove' }, 'COMMON.BAD_REQUEST'],
    [{ action: 'drop' }, 'COMMON.UNKNOWN_ACTION'],
    [{ action: '__proto__' }, 'COMMON.UNKNOWN_ACTION'],
    [{}, 'COMMON.UNKNOWN_ACTION'],
    [[1, 2], 'COMMON.BAD_REQUEST'],
  ])('answers %j with %s and changes nothing', async (event, code) => {
    const me = await cloud.login('坏输入')
    const r = await me.call('card', event)
    expect(r.body).toEqual({ ok: false, error: { code, message: expect.any(String) } })
    expect((await me.ok('card', 'list')).cards).toEqual([])
  })

  it('never lets concurrent binds pass the per-person card limit', async () => {
    const me = await cloud.login('并发绑卡')
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => me.call('card', { action: 'bind', cardNo: luhnCard(`310400005555${i}00`) })))
    expect(results.filter((r) => r.body.ok === true)).toHaveLength(3)
    expect(results.filter((r) => r.body.ok === false).map((r) => r.body.error.code)).toEqual(Array(5).fill('CARD.LIMIT_REACHED'))
    expect((await me.ok('card', 'list')).cards).toHaveLength(3)
  })

  it('takes identity only from the session, never from the event', async () => {
    const victim = await cloud.login('受害者')
    await victim.ok('card', 'bind', { cardNo: CARD_B })
    const attacker = await cloud.login('攻击者')
    const r = await attacker.ok('card', 'list', { openid: victim.openid, userInfo: { openId: victim.openid } })
    expect(r.cards).toEqual([])
  })

  it('answers 401 UNAUTHENTICATED without a session, and on malformed JSON a coded 400', async () => {
    const r = await fetch(`${cloud.url}/functions/card`, { method: 'POST', body: JSON.stringify({ action: 'list' }) })
    expect(r.status).toBe(401)
    expect((await r.json()).error.code).toBe('COMMON.UNAUTHENTICATED')
    const bad = await fetch(`${cloud.url}/functions/card`, { method: 'POST', body: '{not json' })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.code).toBe('COMMON.BAD_REQUEST')
  })

  it('refuses an oversized request body before reading it all', async () => {
    const me = await cloud.login('大请求')
    const r = await fetch(`${cloud.url}/functions/card`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${me.token}` },
      body: JSON.stringify({ action: 'bind', cardNo: CARD_A, pad: 'x'.repeat(100_000) }),
    }).catch(() => null)
    if (r) expect(r.status).toBe(413)
    expect((await me.ok('card', 'list')).cards).toEqual([])
  })
})
