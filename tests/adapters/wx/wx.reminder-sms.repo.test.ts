import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxReminderRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.reminder.repo'
import { wxSmsRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.sms.repo'
import { wxPhoneNumbers } from '../../../cloudfunctions/_core/adapters/wx/wx.phone'
import { sqliteReminderRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.reminder.repo'
import { sqliteSmsRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.sms.repo'
import { openDb } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import type { ReminderRecord, ReminderRepo } from '../../../cloudfunctions/_core/ports/reminder.repo'
import type { SmsRepo } from '../../../cloudfunctions/_core/ports/sms.port'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

/** The reminder and SMS records behave the same in both clouds: the never-twice keys hold under retries and races. */
const ALICE = 'oAlice0000000000000000000001'
const rec = (over: Partial<ReminderRecord> = {}): ReminderRecord => ({
  id: `${ALICE}:30:2026-12-31`,
  openid: ALICE,
  threshold: 30,
  deadlineDay: '2026-12-31',
  status: 'claimed',
  channels: null,
  createdAt: '2026-12-01T02:00:00.000Z',
  sentAt: null,
  ...over,
})

const clouds: [string, () => { reminders: ReminderRepo; sms: SmsRepo; cloud?: FakeWxCloud }][] = [
  [
    'wx',
    () => {
      const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
      return { reminders: wxReminderRepo(cloud.database()), sms: wxSmsRepo(cloud.database()), cloud }
    },
  ],
  [
    'sqlite',
    () => {
      const db = openDb(':memory:')
      return { reminders: sqliteReminderRepo(db), sms: sqliteSmsRepo(db) }
    },
  ],
]

describe.each(clouds)('%s reminder and SMS repos', (_name, make) => {
  it('claims a reminder key once, even when claimed concurrently, and records the channels', async () => {
    const { reminders, cloud } = make()
    const wins = await Promise.all([reminders.claim(rec()), reminders.claim(rec()), reminders.claim(rec())])
    expect(wins.filter(Boolean)).toHaveLength(1)
    expect(await reminders.claim(rec({ id: `${ALICE}:7:2026-12-31`, threshold: 7 }))).toBe(true)
    await reminders.markSent(rec().id, ['subscribe', 'email'], '2026-12-01T02:00:01.000Z')
    expect(await reminders.findById(rec().id)).toEqual(rec({ status: 'sent', channels: ['subscribe', 'email'], sentAt: '2026-12-01T02:00:01.000Z' }))
    expect((await reminders.listByOwner(ALICE, 10)).map((r) => r.threshold).sort()).toEqual([30, 7])
    if (cloud) expect(cloud.db.docs(WX_COLLECTIONS.reminders).map((d) => d._id)).toContain(rec().id)
  })

  it('keeps one contact and one code per person; counts wrong attempts conditionally; claims an SMS notice once', async () => {
    const { sms } = make()
    const contact = { openid: ALICE, phone: '13800138000', optIn: true, via: 'code' as const, verifiedAt: 't1', updatedAt: 't1' }
    await sms.saveContact(contact)
    await sms.saveContact({ ...contact, phone: '13900139000', via: 'wechat', updatedAt: 't2' })
    expect(await sms.getContact(ALICE)).toEqual({ ...contact, phone: '13900139000', via: 'wechat', updatedAt: 't2' })
    const code = { openid: ALICE, phone: '13800138000', codeHash: 'h', expiresAt: 'e', attempts: 0, sendsInWindow: 1, windowStart: 'w', lastSentAt: 'l' }
    await sms.saveCode(code)
    const bumps = await Promise.all([sms.bumpAttempts(ALICE, 0), sms.bumpAttempts(ALICE, 0)])
    expect(bumps.filter(Boolean)).toHaveLength(1)
    expect((await sms.getCode(ALICE))?.attempts).toBe(1)
    await sms.removeCode(ALICE)
    expect(await sms.getCode(ALICE)).toBeNull()
    const item = {
      id: 'issued:INV1',
      openid: ALICE,
      phone: '13900139000',
      text: 'x',
      status: 'claimed' as const,
      lastError: null,
      createdAt: 't',
      sentAt: null,
    }
    expect((await Promise.all([sms.claim(item), sms.claim(item)])).filter(Boolean)).toHaveLength(1)
    await sms.finish('issued:INV1', 'sent', 't9', null)
    expect(await sms.findOutbox('issued:INV1')).toMatchObject({ status: 'sent', sentAt: 't9' })
    await sms.removeContact(ALICE)
    expect(await sms.getContact(ALICE)).toBeNull()
  })
})

describe('wxPhoneNumbers', () => {
  it('reads the pure number of a mainland phone and refuses others', async () => {
    const api = (answer: unknown) => ({
      phonenumber: { getPhoneNumber: async () => answer as { phoneInfo?: { purePhoneNumber?: string; countryCode?: string } } },
    })
    expect(await wxPhoneNumbers(api({ phoneInfo: { purePhoneNumber: '13800138000', countryCode: '86' } })).exchange('c')).toBe('13800138000')
    await expect(wxPhoneNumbers(api({ phoneInfo: { purePhoneNumber: '5551234', countryCode: '1' } })).exchange('c')).rejects.toThrow('mainland')
    await expect(wxPhoneNumbers(api({})).exchange('c')).rejects.toThrow('no number')
  })
})
