import type { ConfigProblemView } from '../../../types/api'
import type { AppConfig, FunctionName } from '../config'
import type { CardRepo } from '../ports/card.repo'
import type { OrderRepo } from '../ports/order.repo'
import type { PayPort } from '../ports/pay.port'
import type { Clock, Logger, Random } from '../ports/runtime.port'
import type { StoragePort } from '../ports/storage.port'
import type { DocumentRenderer } from '../ports/document.port'
import type { InvoiceRepo, OutboxRepo } from '../ports/invoice.repo'
import type { CorrectionRepo } from '../ports/correction.repo'
import type { Mailer } from '../ports/mailer.port'
import type { SettingsRepo, TitleRepo } from '../ports/profile.repo'
import type { InvoiceProvider } from '../ports/provider.port'
import type { InvokePort } from '../ports/invoke.port'
import type { QuotaRepo, SubscribeFailureRepo, SubscribeSender } from '../ports/subscribe.port'
import type { AuditRepo, StaffQueryRepo, StaffRepo } from '../ports/staff.repo'
import type { ApplicationRepo, NoticeOutboxRepo, PaperRepo, TicketRepo } from '../ports/aftersales.repo'
import type { SiteNoticeRepo } from '../ports/notice.repo'
import type { BatchRepo } from '../ports/batch.repo'
import type { LedgerRepo } from '../ports/ledger.repo'
import type { ReminderRepo } from '../ports/reminder.repo'
import type { PhoneNumberPort, SmsRepo, SmsSender } from '../ports/sms.port'
import type { AccountDataRepo } from '../ports/account.repo'

/** Everything a handler needs from the outside world; built by one wiring place per cloud. */
export interface Deps {
  config: AppConfig
  cards: CardRepo
  orders: OrderRepo
  pay: PayPort
  storage: StoragePort
  clock: Clock
  random: Random
  log: Logger
  titles: TitleRepo
  settings: SettingsRepo
  invoices: InvoiceRepo
  outbox: OutboxRepo
  provider: InvoiceProvider
  /** loaded lazily: only functions that render carry the font */
  renderer: () => DocumentRenderer
  mailer: Mailer
  subscribe: SubscribeSender
  quota: QuotaRepo
  /** failed subscribe sends counted for `staff health` (the wirings wrap `subscribe` to count them) */
  subscribeFailures: SubscribeFailureRepo
  // staff (helper 3): roles, the append-only audit trail, the cross-aggregate staff queues
  staff: StaffRepo
  audit: AuditRepo
  staffQueries: StaffQueryRepo
  // corrections (换开, helper 1)
  corrections: CorrectionRepo
  // after-sales (helper 2)
  applications: ApplicationRepo
  paper: PaperRepo
  tickets: TicketRepo
  notices: NoticeOutboxRepo
  /** emergency notices (banners) staff set during an incident (issue 10) */
  siteNotices: SiteNoticeRepo
  /** batch invoicing jobs (企业批量开票, issue 8 helper F) */
  batches: BatchRepo
  /** export jobs, rate-limit counters, the SHA-256 lookup of 验真 (issue 8, helper G) */
  ledger: LedgerRepo
  // payment ack (issue 7, helper D): start the invoice worker for one invoice without waiting for it
  invoke: InvokePort
  // reminders and the SMS channel (issue 9, helper C)
  reminders: ReminderRepo
  /** null when SMS is off in this environment (SMS_PROVIDER=off): the opt-in is not offered */
  sms: SmsSender | null
  smsRepo: SmsRepo
  /** getPhoneNumber's code -> the number (WeChat: phonenumber.getPhoneNumber; locally the sandbox) */
  phone: PhoneNumberPort
  /** 设置 → 删除个人数据: deletes a person's own records, keeps invoices and the audit trail */
  account: AccountDataRepo
  /**
   * The startup check of a function against the environment it runs with (runtime/startup-check.ts
   * configProblems, bound by the wiring to that environment): staff.queues shows the staff
   * function's own, so a misconfiguration is visible where staff look. Keys and reasons only.
   */
  configCheck: (fn: FunctionName) => ConfigProblemView[]
}
