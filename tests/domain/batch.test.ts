import { batchInvoiceToken, canTransition, cardsLabel, periodLabel, periodRanges, planInvoices } from '../../cloudfunctions/_core/domain/batch'
import { parseCardGroup } from '../../cloudfunctions/_core/domain/card'
import { splitUnderCaps } from '../../types/batch'

const caps = { maxOrders: 3, maxTotalFen: 10000 }
const o = (id: string, amountFen: number, cardNo = 'A', paidAt = `2026-10-01T00:00:0${id.slice(-1)}.000Z`) => ({ id, amountFen, cardNo, paidAt })

describe('the batch split (types/batch.ts, shared with 待开票 全选)', () => {
  it('starts a new invoice before either cap would be passed', () => {
    const { groups, oversize } = splitUnderCaps([o('1', 4000), o('2', 4000), o('3', 4000), o('4', 100), o('5', 100), o('6', 100), o('7', 100)], caps)
    expect(groups.map((g) => g.map((x) => x.id))).toEqual([
      ['1', '2'],
      ['3', '4', '5'],
      ['6', '7'],
    ])
    expect(oversize).toEqual([])
    for (const g of groups) {
      expect(g.length).toBeLessThanOrEqual(caps.maxOrders)
      expect(g.reduce((s, x) => s + x.amountFen, 0)).toBeLessThanOrEqual(caps.maxTotalFen)
    }
  })

  it('sets aside an order larger than the amount cap on its own', () => {
    expect(splitUnderCaps([o('1', 10001), o('2', 10000)], caps)).toEqual({ groups: [[o('2', 10000)]], oversize: [o('1', 10001)] })
  })

  it('per card never mixes cards; mixed makes the fewest invoices; both in payment order whatever the input order', () => {
    const orders = [o('4', 1000, 'B'), o('1', 1000, 'A'), o('3', 1000, 'A'), o('2', 1000, 'B')]
    const perCard = planInvoices(orders, caps, 'per_card').groups
    expect(perCard.map((g) => g.map((x) => x.id))).toEqual([
      ['1', '3'],
      ['2', '4'],
    ])
    const mixed = planInvoices(orders, caps, 'mixed').groups
    expect(mixed.map((g) => g.map((x) => x.id))).toEqual([['1', '2', '3'], ['4']])
    expect(planInvoices([...orders].reverse(), caps, 'mixed').groups).toEqual(mixed)
  })
})

describe('batch periods and statuses', () => {
  it('turns months (UTC+8) and inclusive date ranges into UTC ranges', () => {
    expect(periodRanges({ kind: 'months', months: ['2026-11', '2026-10', '2026-10'] })).toEqual([
      { from: '2026-09-30T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z' },
      { from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' },
    ])
    expect(periodRanges({ kind: 'range', from: '2026-10-01', to: '2026-10-01' })).toEqual([
      { from: '2026-09-30T16:00:00.000Z', to: '2026-10-01T16:00:00.000Z' },
    ])
  })

  it.each([
    [{ kind: 'months' as const, months: [] }, '至少'],
    [{ kind: 'months' as const, months: ['2026-13'] }, '格式'],
    [{ kind: 'range' as const, from: '2026-02-30', to: '2026-03-01' }, '不存在'],
    [{ kind: 'range' as const, from: '2026-03-02', to: '2026-03-01' }, '早于'],
    [{ kind: 'range' as const, from: '2016-01-01', to: '2026-03-01' }, '最多'],
  ])('refuses the period %j with BATCH.INVALID', (period, words) => {
    expect(() => periodRanges(period)).toThrow(expect.objectContaining({ code: 'BATCH.INVALID', message: expect.stringContaining(words) }))
  })

  it('moves running to done or cancelled, and nothing out of an end state', () => {
    expect(canTransition('running', 'done')).toBe(true)
    expect(canTransition('running', 'cancelled')).toBe(true)
    expect(canTransition('done', 'running')).toBe(false)
    expect(canTransition('cancelled', 'done')).toBe(false)
  })

  it('labels and tokens', () => {
    expect(periodLabel({ kind: 'months', months: ['2026-03', '2026-01', '2026-02', '2026-04'] })).toBe('2026-01 等 4 个月')
    expect(cardsLabel({ kind: 'group', group: '' })).toBe('未分组的卡片')
    expect(batchInvoiceToken('B1', 0)).toBe('batch-B1-1')
  })

  it('parses a card group label: trimmed, blank is none, length and characters checked', () => {
    expect(parseCardGroup('  市场部 ')).toBe('市场部')
    expect(parseCardGroup('  ')).toBeNull()
    expect(parseCardGroup(null)).toBeNull()
    expect(() => parseCardGroup('部'.repeat(21))).toThrow(expect.objectContaining({ code: 'CARD.GROUP_INVALID' }))
    expect(() => parseCardGroup('a\u0000b')).toThrow(expect.objectContaining({ code: 'CARD.GROUP_INVALID' }))
  })
})
