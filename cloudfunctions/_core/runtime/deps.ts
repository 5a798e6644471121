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
import type { QuotaRepo, SubscribeSender } from '../ports/subscribe.port'
import type { AuditRepo, StaffQueryRepo, StaffRepo } from '../ports/staff.repo'
import type { ApplicationRepo, NoticeOutboxRepo, PaperRepo, TicketRepo } from '../ports/aftersales.repo'
import type { SiteNoticeRepo } from '../ports/notice.repo'

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
  // payment ack (issue 7, helper D): start the invoice worker for one invoice without waiting for it
  invoke: InvokePort
  /**
   * The startup check of a function against the environment it runs with (runtime/startup-check.ts
   * configProblems, bound by the wiring to that environment): staff.queues shows the staff
   * function's own, so a misconfiguration is visible where staff look. Keys and reasons only.
   */
  configCheck: (fn: FunctionName) => ConfigProblemView[]
}
