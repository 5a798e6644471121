import {
  canTransition,
  formatTimeEnd,
  isExpired,
  judgePayment,
  makeOutTradeNo,
  newOrder,
  OUT_TRADE_NO_PATTERN,
  PAYABLE_FROM,
  parseAmountFen,
  parseTimeEnd,
} from '../../cloudfunctions/_core/domain/order'

const limits = { minFen: 1000, maxFen: 50000 }

describe('order status transitions', () => {
  it('moves created to paid or closed', () => {
    expect(canTransition('created', 'paid')).toBe(true)
    expect(canTransition('created', 'closed')).toBe(true)
  })
  it('records a payment that lands after close as paid (money is real)', () => {
    expect(canTransition('closed', 'paid')).toBe(true)
  })
  it('never leaves paid', () => {
    expect(canTransition('paid', 'closed')).toBe(false)
    expect(canTransition('paid', 'created')).toBe(false)
    expect(canTransition('paid', 'paid')).toBe(false)
  })
  it('derives the statuses a payment may settle from the table', () => {
    expect([...PAYABLE_FROM].sort()).toEqual(['closed', 'created'])
  })
})

describe('amount in fen', () => {
  it('accepts integer fen within limits', () => {
    expect(parseAmountFen(2000, limits)).toBe(2000)
    expect(parseAmountFen(1000, limits)).toBe(1000)
    expect(parseAmountFen(50000, limits)).toBe(50000)
  })
  it.each([0, -100, 20.5, NaN, Infinity, '2000', null, 2 ** 60])('refuses %p as not a positive integer', (v) => {
    expect(() => parseAmountFen(v, limits)).toThrow(expect.objectContaining({ code: 'ORDER.AMOUNT_INVALID' }))
  })
  it('refuses amounts outside the configured limits with the range in the message', () => {
    expect(() => parseAmountFen(999, limits)).toThrow(
      expect.objectContaining({ code: 'ORDER.AMOUNT_OUT_OF_RANGE', message: expect.stringContaining('¥10.00') }),
    )
    expect(() => parseAmountFen(50001, limits)).toThrow(expect.objectContaining({ code: 'ORDER.AMOUNT_OUT_OF_RANGE' }))
  })
})

describe('outTradeNo', () => {
  it('is 28 characters (WeChat allows 32) and stamps the UTC+8 time', () => {
    const no = makeOutTradeNo(new Date('2026-11-28T16:30:05Z'), new Uint8Array(12).fill(7))
    expect(no).toHaveLength(28)
    expect(no.startsWith('WT20261129003005')).toBe(true)
    expect(no).toMatch(OUT_TRADE_NO_PATTERN)
  })
  it('differs for different random bytes', () => {
    const now = new Date()
    const a = makeOutTradeNo(
      now,
      Uint8Array.from({ length: 12 }, (_, i) => i),
    )
    const b = makeOutTradeNo(
      now,
      Uint8Array.from({ length: 12 }, (_, i) => i + 1),
    )
    expect(a).not.toBe(b)
  })
})

describe('timeEnd (yyyyMMddHHmmss, UTC+8)', () => {
  it('round-trips', () => {
    const d = new Date('2026-01-31T23:59:59Z')
    expect(formatTimeEnd(d)).toBe('20260201075959')
    expect(parseTimeEnd('20260201075959')).toBe(d.toISOString())
  })
  it.each(['2026020107595', '20261301000000', '20260230120000', 'abcdefghijklmn', 20260201075959])('rejects %p', (s) => {
    expect(parseTimeEnd(s)).toBeNull()
  })
})

describe('judging a payment notification', () => {
  const order = { amountFen: 5000 }
  const ok = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', totalFee: 5000, timeEnd: '20261128120000' }
  it('settles a successful payment of our amount', () => {
    expect(judgePayment(order, ok)).toEqual({ kind: 'settle', paidAt: '2026-11-28T04:00:00.000Z' })
  })
  it('rejects a payment whose amount differs from our order', () => {
    expect(judgePayment(order, { ...ok, totalFee: 1 })).toEqual({ kind: 'reject', reason: 'AMOUNT_MISMATCH' })
  })
  it('ignores a failed payment', () => {
    expect(judgePayment(order, { ...ok, resultCode: 'FAIL' }).kind).toBe('ignore')
  })
})

describe('new order', () => {
  it('starts created and expires after the configured minutes', () => {
    const now = new Date('2026-11-28T00:00:00Z')
    const o = newOrder({
      outTradeNo: 'WT20261128080000ABCDEFGHJKLM',
      card: { id: 'c1', cardNo: '3104000012345673', nickname: '通勤' },
      amountFen: 2000,
      now,
      config: { orderTtlMinutes: 30 },
    })
    expect(o.status).toBe('created')
    expect(o.expiresAt).toBe('2026-11-28T00:30:00.000Z')
    expect(isExpired(o, new Date('2026-11-28T00:29:59Z'))).toBe(false)
    expect(isExpired(o, new Date('2026-11-28T00:30:00Z'))).toBe(true)
  })
})
