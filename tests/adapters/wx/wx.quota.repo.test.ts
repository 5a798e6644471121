import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { WX_QUOTA_MAX, wxQuotaRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.quota.repo'
import type { TemplateKey } from '../../../types/domain'
import type { QuotaRepo } from '../../../cloudfunctions/_core/ports/subscribe.port'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

const ALICE = 'oAlice0000000000000000000001'
const BOB = 'oBob00000000000000000000000002'

let cloud: FakeWxCloud
let quota: QuotaRepo
beforeEach(() => {
  cloud = new FakeWxCloud({ indexes: WX_INDEXES })
  quota = wxQuotaRepo(cloud.database())
})

describe('wxQuotaRepo', () => {
  it('starts at zero for every template, and take() answers false without quota', async () => {
    expect(await quota.get(ALICE)).toEqual({ invoiceIssued: 0, invoiceFailed: 0, afterSalesUpdate: 0, invoiceReminder: 0 })
    expect(await quota.take(ALICE, 'invoiceIssued')).toBe(false)
    expect(cloud.db.docs(WX_COLLECTIONS.subscribeQuota)).toEqual([])
  })

  it('adds per user and template in one document (_id = <openid>:<templateKey>) and takes one at a time', async () => {
    expect(await quota.add(ALICE, 'invoiceIssued', 1)).toBe(1)
    expect(await quota.add(ALICE, 'invoiceIssued', 2)).toBe(3)
    expect(await quota.add(BOB, 'invoiceFailed', 1)).toBe(1)
    expect(
      cloud.db
        .docs(WX_COLLECTIONS.subscribeQuota)
        .map((d) => d._id)
        .sort(),
    ).toEqual([`${ALICE}:invoiceIssued`, `${BOB}:invoiceFailed`])
    expect(await quota.take(ALICE, 'invoiceIssued')).toBe(true)
    expect(await quota.get(ALICE)).toEqual({ invoiceIssued: 2, invoiceFailed: 0, afterSalesUpdate: 0, invoiceReminder: 0 })
    await quota.giveBack(ALICE, 'invoiceIssued')
    expect((await quota.get(ALICE)).invoiceIssued).toBe(3)
    await quota.clear(ALICE, 'invoiceIssued')
    expect(await quota.take(ALICE, 'invoiceIssued')).toBe(false)
    await quota.clear(ALICE, 'invoiceFailed') // nothing stored: nothing to clear
    expect(await quota.get(BOB)).toEqual({ invoiceIssued: 0, invoiceFailed: 1, afterSalesUpdate: 0, invoiceReminder: 0 })
  })

  it(`caps the quota at ${WX_QUOTA_MAX}`, async () => {
    expect(await quota.add(ALICE, 'invoiceIssued', 70)).toBe(WX_QUOTA_MAX)
    expect(await quota.add(ALICE, 'invoiceIssued', 1)).toBe(WX_QUOTA_MAX)
    await quota.take(ALICE, 'invoiceIssued')
    expect(await quota.add(ALICE, 'invoiceIssued', 5)).toBe(WX_QUOTA_MAX)
    await quota.take(ALICE, 'invoiceIssued')
    await quota.giveBack(ALICE, 'invoiceIssued')
    await quota.giveBack(ALICE, 'invoiceIssued')
    expect((await quota.get(ALICE)).invoiceIssued).toBe(WX_QUOTA_MAX)
    expect(await quota.add(ALICE, 'invoiceFailed', 0)).toBe(0)
    expect(await wxQuotaRepo(cloud.database(), { max: 3 }).add(BOB, 'invoiceIssued', 9)).toBe(3)
  })

  it('never goes below zero under 50 concurrent takes: exactly as many succeed as there was quota', async () => {
    await quota.add(ALICE, 'invoiceIssued', 7)
    const results = await Promise.all(Array.from({ length: 50 }, () => quota.take(ALICE, 'invoiceIssued')))
    expect(results.filter(Boolean)).toHaveLength(7)
    expect((await quota.get(ALICE)).invoiceIssued).toBe(0)
    expect(cloud.db.docs(WX_COLLECTIONS.subscribeQuota)[0].remaining).toBe(0)
  })

  it('keeps every one of concurrent first accepts and stays at or under the cap under concurrent adds', async () => {
    await Promise.all(Array.from({ length: 10 }, () => quota.add(ALICE, 'invoiceFailed', 1)))
    expect((await quota.get(ALICE)).invoiceFailed).toBe(10)
    expect(cloud.db.docs(WX_COLLECTIONS.subscribeQuota)).toHaveLength(1)
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 3 ? quota.add(ALICE, 'invoiceFailed', 2) : quota.take(ALICE, 'invoiceFailed'))))
    const left = (await quota.get(ALICE)).invoiceFailed
    expect(left).toBeGreaterThanOrEqual(0)
    expect(left).toBeLessThanOrEqual(WX_QUOTA_MAX)
  })

  it('refuses a missing openid, an unknown template key and a negative count', async () => {
    await expect(quota.add('', 'invoiceIssued', 1)).rejects.toThrow(/openid/)
    await expect(quota.take(ALICE, 'nope' as TemplateKey)).rejects.toThrow(/template key/)
    await expect(quota.add(ALICE, 'invoiceIssued', -1)).rejects.toThrow(/non-negative/)
  })
})
