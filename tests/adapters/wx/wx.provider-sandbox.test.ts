import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { WxProviderSandbox } from '../../../cloudfunctions/_core/adapters/wx/wx.provider-sandbox'
import { INVOICE_NO_PATTERN } from '../../../cloudfunctions/_core/domain/invoice'
import type { IssueRequest } from '../../../cloudfunctions/_core/ports/provider.port'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

let cloud: FakeWxCloud
let clock: Date
const sandbox = (over: Partial<ConstructorParameters<typeof WxProviderSandbox>[1]> = {}) =>
  new WxProviderSandbox(cloud.database(), { latencyMs: 1000, failureRate: 0, now: () => clock, ...over })
beforeEach(() => {
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  clock = new Date('2026-03-02T04:00:00.000Z')
})

const request = (requestNo: string): IssueRequest => ({
  requestNo,
  buyer: { name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
  items: [],
  amountFen: 5000,
  remarks: '',
})
const later = (ms: number) => (clock = new Date(clock.getTime() + ms))

describe('WxProviderSandbox', () => {
  it('accepts a request number once; a reused one answers duplicate', async () => {
    const p = sandbox()
    expect(await p.submit(request('INV1-1'))).toBe('accepted')
    expect(await p.submit(request('INV1-1'))).toBe('duplicate')
    expect(cloud.db.docs(WX_COLLECTIONS.providerRequests).map((d) => d._id)).toEqual(['INV1-1'])
  })

  it('is issuing until the latency has passed, then issued with a 20-digit number that stays the same', async () => {
    const p = sandbox()
    await p.submit(request('INV1-1'))
    expect(await p.query('INV1-1')).toEqual({ state: 'issuing' })
    later(1000)
    const issued = await p.query('INV1-1')
    expect(issued).toEqual({ state: 'issued', invoiceNo: expect.stringMatching(INVOICE_NO_PATTERN), issuedAt: '2026-03-02T04:00:01.000Z' })
    expect(await p.query('INV1-1')).toEqual(issued)
    // year (UTC+8) 2026, province 42, channel 1, sequence 1
    expect(issued).toMatchObject({ invoiceNo: '26421000000000000001' })
    expect(await p.query('INV-unknown')).toEqual({ state: 'not_found' })
  })

  it('fails the share of requests the failure rate asks for, with a reason', async () => {
    const p = sandbox({ failureRate: 0.5, random: () => 0.2, latencyMs: 0 })
    await p.submit(request('INV2-1'))
    expect(await p.query('INV2-1')).toEqual({ state: 'failed', reason: expect.stringContaining('沙箱') })
    expect(await p.issuedNumbers()).toEqual([])
  })

  it('numbers concurrent issues uniquely, once per request, even when one request is queried concurrently', async () => {
    const a = sandbox({ latencyMs: 0 })
    const b = sandbox({ latencyMs: 0 }) // a second container over the same database
    const nos = Array.from({ length: 30 }, (_, i) => `INV${i}-1`)
    for (const no of nos) await a.submit(request(no))
    const answers = await Promise.all(nos.flatMap((no) => [a.query(no), b.query(no)]))
    const byRequest = new Map<string, Set<string>>()
    answers.forEach((r, i) => {
      if (r.state !== 'issued') throw new Error(`not issued: ${JSON.stringify(r)}`)
      expect(r.invoiceNo).toMatch(INVOICE_NO_PATTERN)
      const set = byRequest.get(nos[Math.floor(i / 2)]) ?? new Set()
      set.add(r.invoiceNo)
      byRequest.set(nos[Math.floor(i / 2)], set)
    })
    // both containers answered the same number for a request
    expect([...byRequest.values()].every((s) => s.size === 1)).toBe(true)
    const numbers = await a.issuedNumbers()
    expect(numbers).toHaveLength(30)
    expect(new Set(numbers).size).toBe(30)
    // the sequence may skip a number lost in a race, never repeat one
    expect(Number(cloud.db.docs(WX_COLLECTIONS.providerSequence)[0].last)).toBeGreaterThanOrEqual(30)
  })

  it('starts a new sequence each year (UTC+8)', async () => {
    const p = sandbox({ latencyMs: 0 })
    clock = new Date('2026-12-31T15:59:59.000Z') // 2026-12-31 23:59:59 in Beijing
    await p.submit(request('A-1'))
    clock = new Date('2026-12-31T16:00:00.000Z') // 2027-01-01 00:00 in Beijing
    await p.submit(request('B-1'))
    expect(await p.query('A-1')).toMatchObject({ invoiceNo: '26421000000000000001' })
    expect(await p.query('B-1')).toMatchObject({ invoiceNo: '27421000000000000001' })
  })
})
