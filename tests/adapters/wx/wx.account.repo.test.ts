import { WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { wxAccountDataRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.account.repo'
import { wxCardRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.card.repo'
import { wxSettingsRepo, wxTitleRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.profile.repo'
import { wxSmsRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.sms.repo'
import { wxQuotaRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.quota.repo'
import { wxReminderRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.reminder.repo'
import { wxLedgerRepo } from '../../../cloudfunctions/_core/adapters/wx/wx.ledger.repo'
import { sqliteAccountDataRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.account.repo'
import { sqliteCardRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.card.repo'
import { sqliteSettingsRepo, sqliteTitleRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.profile.repo'
import { sqliteSmsRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.sms.repo'
import { sqliteQuotaRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.quota.repo'
import { sqliteReminderRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.reminder.repo'
import { sqliteLedgerRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.ledger.repo'
import { openDb } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import type { AccountDataRepo } from '../../../cloudfunctions/_core/ports/account.repo'
import type { CardRepo } from '../../../cloudfunctions/_core/ports/card.repo'
import type { SettingsRepo, TitleRepo } from '../../../cloudfunctions/_core/ports/profile.repo'
import type { SmsRepo } from '../../../cloudfunctions/_core/ports/sms.port'
import type { QuotaRepo } from '../../../cloudfunctions/_core/ports/subscribe.port'
import type { ReminderRepo } from '../../../cloudfunctions/_core/ports/reminder.repo'
import type { LedgerRepo, StoredExport } from '../../../cloudfunctions/_core/ports/ledger.repo'
import { FakeSdkError, FakeWxCloud } from '../../fakes/wx-cloud.fake'

/** Account data deletion behaves the same in both clouds: the person's records go, another's stay, a re-run finishes a cut-short run. */
const ALICE = 'oAlice0000000000000000000001'
const BOB = 'oBob000000000000000000000002'
const AT = '2026-12-01T02:00:00.000Z'

interface Repos {
  account: AccountDataRepo
  cards: CardRepo
  titles: TitleRepo
  settings: SettingsRepo
  sms: SmsRepo
  quota: QuotaRepo
  reminders: ReminderRepo
  ledger: LedgerRepo
  cloud?: FakeWxCloud
}

const clouds: [string, () => Repos][] = [
  [
    'wx',
    () => {
      const cloud = new FakeWxCloud({ indexes: WX_INDEXES })
      const db = cloud.database()
      return {
        account: wxAccountDataRepo(db),
        cards: wxCardRepo(db),
        titles: wxTitleRepo(db),
        settings: wxSettingsRepo(db),
        sms: wxSmsRepo(db),
        quota: wxQuotaRepo(db),
        reminders: wxReminderRepo(db),
        ledger: wxLedgerRepo(db),
        cloud,
      }
    },
  ],
  [
    'sqlite',
    () => {
      const db = openDb(':memory:')
      return {
        account: sqliteAccountDataRepo(db),
        cards: sqliteCardRepo(db),
        titles: sqliteTitleRepo(db),
        settings: sqliteSettingsRepo(db),
        sms: sqliteSmsRepo(db),
        quota: sqliteQuotaRepo(db),
        reminders: sqliteReminderRepo(db),
        ledger: sqliteLedgerRepo(db),
      }
    },
  ],
]

async function fill(r: Repos, openid: string) {
  const tag = openid.slice(1, 4)
  await r.cards.insert({ id: `card-${tag}`, openid, cardNo: '3104000012345673', nickname: '武汉通5673', createdAt: AT })
  await r.titles.save({
    id: `title-${tag}`,
    openid,
    kind: 'personal',
    name: '张三',
    taxId: null,
    address: null,
    phone: null,
    bankName: null,
    bankAccount: null,
    isDefault: true,
    taxIdChecksumOk: null,
    createdAt: AT,
    updatedAt: AT,
  })
  await r.settings.update(openid, { autoInvoice: true, defaultEmail: 'a@example.com' })
  await r.sms.saveContact({ openid, phone: '13912345678', optIn: true, via: 'code', verifiedAt: AT, updatedAt: AT })
  await r.sms.saveCode({ openid, phone: '13912345678', codeHash: 'h', expiresAt: AT, attempts: 0, sendsInWindow: 1, windowStart: AT, lastSentAt: AT })
  await r.quota.add(openid, 'invoiceIssued', 2)
  await r.reminders.claim({
    id: `${openid}:30:2026-12-31`,
    openid,
    threshold: 30,
    deadlineDay: '2026-12-31',
    status: 'claimed',
    channels: null,
    createdAt: AT,
    sentAt: null,
  })
}

const ALL_GONE = { cards: 1, titles: 1, settings: 1, smsContacts: 1, smsCodes: 1, subscribeQuota: 1, reminders: 1 }
const NOTHING = { cards: 0, titles: 0, settings: 0, smsContacts: 0, smsCodes: 0, subscribeQuota: 0, reminders: 0 }

async function holdings(r: Repos, openid: string) {
  return {
    cards: (await r.cards.listByOwner(openid)).length,
    titles: (await r.titles.listByOwner(openid)).length,
    settings: await r.settings.get(openid),
    contact: await r.sms.getContact(openid),
    code: await r.sms.getCode(openid),
    quota: (await r.quota.get(openid)).invoiceIssued,
    reminder: await r.reminders.findById(`${openid}:30:2026-12-31`),
  }
}

const exportJob = (openid: string, status: StoredExport['status']): StoredExport => ({
  id: `exp-${status}`,
  openid,
  clientToken: `tok-${status}`,
  status,
  selection: { kind: 'ids', invoiceIds: ['INV1'] },
  email: null,
  total: 1,
  done: 0,
  zipFileId: null,
  zipBytes: null,
  zipSha256: null,
  mail: null,
  error: null,
  attempts: 0,
  createdAt: AT,
  finishedAt: null,
  leaseUntil: null,
})

describe.each(clouds)('%s account data deletion', (_name, make) => {
  it("deletes the person's records and no one else's; a second run deletes nothing", async () => {
    const r = make()
    await fill(r, ALICE)
    await fill(r, BOB)
    const bobBefore = await holdings(r, BOB)
    expect(await r.account.deletePersonalData(ALICE)).toEqual({ deleted: ALL_GONE, keptInvoices: 0 })
    expect(await holdings(r, ALICE)).toEqual({
      cards: 0,
      titles: 0,
      settings: { autoInvoice: false, defaultEmail: null },
      contact: null,
      code: null,
      quota: 0,
      reminder: null,
    })
    expect(await holdings(r, BOB)).toEqual(bobBefore)
    expect(await r.account.deletePersonalData(ALICE)).toEqual({ deleted: NOTHING, keptInvoices: 0 })
  })

  it('refuses while an export is queued, deleting nothing; a finished export does not block', async () => {
    const r = make()
    await fill(r, ALICE)
    await r.ledger.createExport(exportJob(ALICE, 'queued'))
    expect(await r.account.deletePersonalData(ALICE)).toEqual({ busy: { invoicesIssuing: 0, batchesRunning: 0, exportsRunning: 1 } })
    expect((await holdings(r, ALICE)).cards).toBe(1)
    await r.ledger.createExport(exportJob(BOB, 'running'))
    expect(await r.ledger.updateExport('exp-queued', ['queued'], { status: 'done', finishedAt: AT })).toBe(true)
    // Bob's running export is his own: it does not hold Alice's deletion
    expect(await r.account.deletePersonalData(ALICE)).toMatchObject({ deleted: ALL_GONE })
  })
})

// SQLite deletes in one transaction, so only the cloud database can be left half-done
describe('wx account data deletion after a crash', () => {
  it('a run cut short by a failure is finished by running it again', async () => {
    const r = clouds[0][1]()
    await fill(r, ALICE)
    r.cloud!.db.failNext(WX_COLLECTIONS.smsContacts, 'remove', new FakeSdkError(-1, 'network'))
    await expect(r.account.deletePersonalData(ALICE)).rejects.toThrow('network')
    // cards, titles and settings went before the failure
    expect((await holdings(r, ALICE)).cards).toBe(0)
    expect((await holdings(r, ALICE)).contact).not.toBeNull()
    expect(await r.account.deletePersonalData(ALICE)).toEqual({
      deleted: { ...NOTHING, smsContacts: 1, smsCodes: 1, subscribeQuota: 1, reminders: 1 },
      keptInvoices: 0,
    })
    expect(await holdings(r, ALICE)).toMatchObject({ contact: null, code: null, quota: 0, reminder: null })
  })
})
