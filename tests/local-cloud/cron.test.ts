import { nextFire, parseCron } from '../../scripts/local-cloud/cron'

describe('7-field cron of WeChat timer triggers (UTC+8)', () => {
  it('fires every minute at second 0', () => {
    const c = parseCron('0 */1 * * * * *')
    expect(nextFire(c, new Date('2026-11-28T04:00:30Z'))!.toISOString()).toBe('2026-11-28T04:01:00.000Z')
    expect(nextFire(c, new Date('2026-11-28T04:01:00Z'))!.toISOString()).toBe('2026-11-28T04:02:00.000Z')
  })
  it('reads hours in UTC+8', () => {
    // 02:00 Beijing time = 18:00 UTC the day before
    expect(nextFire(parseCron('0 0 2 * * * *'), new Date('2026-11-28T04:00:00Z'))!.toISOString()).toBe('2026-11-28T18:00:00.000Z')
  })
  it('supports lists, ranges, weekday names and years', () => {
    const c = parseCron('0 30 9 * * MON-FRI 2026')
    // 2026-11-28 is a Saturday: next is Monday 30 Nov 09:30 +08 = 01:30Z
    expect(nextFire(c, new Date('2026-11-28T04:00:00Z'))!.toISOString()).toBe('2026-11-30T01:30:00.000Z')
    expect(nextFire(c, new Date('2026-12-31T02:00:00Z'))).toBeNull()
    expect(nextFire(parseCron('0 0 8,20 1 JAN * *'), new Date('2026-11-28T00:00:00Z'))!.toISOString()).toBe('2027-01-01T00:00:00.000Z')
  })
  it.each(['* * * * *', '61 * * * * * *', '0 0 25 * * * *', '0 */0 * * * * *', '0 5-1 * * * * *'])('rejects %p', (e) => {
    expect(() => parseCron(e)).toThrow(/cron/)
  })
})
