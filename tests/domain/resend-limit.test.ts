import { resendCounterKey, resendDay, resendLimitMessage, secondsToNextCnDay } from '../../cloudfunctions/_core/domain/resend-limit'

/** The daily re-send caps count China-time days: 明天 starts at midnight in Wuhan, not in UTC. */
describe('re-send cap days', () => {
  it('puts 23:59 and 00:01 China time on different days, and counts the seconds to China midnight', () => {
    const beforeMidnight = new Date('2026-06-01T15:59:00.000Z') // 23:59 in Wuhan
    const afterMidnight = new Date('2026-06-01T16:01:00.000Z') // 00:01 on 06-02 in Wuhan
    expect(resendDay(beforeMidnight)).toBe('2026-06-01')
    expect(resendDay(afterMidnight)).toBe('2026-06-02')
    expect(secondsToNextCnDay(beforeMidnight)).toBe(60)
    expect(secondsToNextCnDay(afterMidnight)).toBe(24 * 3600 - 60)
    expect(secondsToNextCnDay(new Date('2026-06-01T16:00:00.000Z'))).toBe(24 * 3600)
  })

  it('keys the invoice and the person apart, and says 明天再试 with the cap', () => {
    expect(resendCounterKey('invoice', 'INV1', '2026-06-01')).not.toBe(resendCounterKey('user', 'INV1', '2026-06-01'))
    expect(resendLimitMessage('invoice', 10)).toMatch(/这张发票今天已补发 10 次.*明天再试/)
    expect(resendLimitMessage('user', 50)).toMatch(/您今天已补发 50 次.*明天再试/)
  })
})
