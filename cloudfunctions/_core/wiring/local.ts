import crypto from 'node:crypto'
import path from 'node:path'
import type { CloudPayNotification } from '../../../types/api'
import { FsStorage } from '../adapters/local/fs.storage'
import { PaySandbox, type DeliveryMode } from '../adapters/local/sandbox.pay'
import { sqliteCardRepo } from '../adapters/local/sqlite.card.repo'
import { openDb, type Db } from '../adapters/local/sqlite.db'
import { sqliteOrderRepo } from '../adapters/local/sqlite.order.repo'
import { createDocumentRenderer, defaultFontPath } from '../adapters/documents/pdf.renderer'
import { smtpMailer, type SmtpMailer } from '../adapters/mail/nodemailer.mailer'
import { ProviderSandbox } from '../adapters/local/sandbox.provider'
import { SubscribeSandbox } from '../adapters/local/sandbox.subscribe'
import { NuonuoProvider } from '../adapters/nuonuo/nuonuo.provider'
import type { InvoiceProvider } from '../ports/provider.port'
import { localInvoker, type LocalInvoker } from '../adapters/local/local.invoke'
import { sqliteInvoiceRepo, sqliteOutboxRepo } from '../adapters/local/sqlite.invoice.repo'
import { sqliteCorrectionRepo } from '../adapters/local/sqlite.correction.repo'
import { sqliteSettingsRepo, sqliteTitleRepo } from '../adapters/local/sqlite.profile.repo'
import { sqliteQuotaRepo } from '../adapters/local/sqlite.quota.repo'
import { sqliteSubscribeFailureRepo } from '../adapters/local/sqlite.subscribe-failures.repo'
import { countingSubscribeSender } from '../app/subscribe-health.service'
import { sqliteApplicationRepo, sqliteNoticeOutboxRepo, sqlitePaperRepo, sqliteTicketRepo } from '../adapters/local/sqlite.aftersales.repo'
import { sqliteAuditRepo, sqliteStaffQueryRepo, sqliteStaffRepo } from '../adapters/local/sqlite.staff.repo'
import { sqliteSiteNoticeRepo } from '../adapters/local/sqlite.notice.repo'
import { sqliteBatchRepo } from '../adapters/local/sqlite.batch.repo'
import { sqliteLedgerRepo } from '../adapters/local/sqlite.ledger.repo'
import { sqliteReminderRepo } from '../adapters/local/sqlite.reminder.repo'
import { sqliteSmsRepo } from '../adapters/local/sqlite.sms.repo'
import { sqliteAccountDataRepo } from '../adapters/local/sqlite.account.repo'
import { CaptureSms, sandboxPhoneNumbers } from '../adapters/sms/capture.sms'
import { loadConfig } from '../config'
import type { DocumentRenderer } from '../ports/document.port'
import type { Logger } from '../ports/runtime.port'
import type { Deps } from '../runtime/deps'
import { jsonLogger } from '../runtime/logger'
import { configProblems } from '../runtime/startup-check'

export interface LocalRuntimeOptions {
  dataDir: string
  env: Record<string, string | undefined>
  baseUrl: () => string
  /** the local cloud's clock, shiftable by tests and the dev page */
  now: () => Date
  deliverPayCallback: (functionName: string, n: CloudPayNotification) => Promise<{ errcode: number }>
  log?: Logger
  /** the SMTP server mail goes to (the local cloud's capture server) */
  smtp: { host: string; port: number; accepted?: (idempotencyKey: string) => boolean }
}

export interface LocalRuntime {
  deps: Deps
  db: Db
  pay: PaySandbox
  storage: FsStorage
  provider: ProviderSandbox
  subscribe: SubscribeSandbox
  /** the direct invocation of the invoice worker; the local cloud binds it to its function host */
  invoker: LocalInvoker
  /** every SMS of the local cloud, shown on /dev/sms */
  sms: CaptureSms
  close(): void
}

/**
 * The one wiring place of the local cloud: the same ports as in WeChat cloud, bound to
 * SQLite (WAL file under dataDir), the file system, and the cloud-pay sandbox.
 */
export function createLocalRuntime(o: LocalRuntimeOptions): LocalRuntime {
  const db = openDb(path.join(o.dataDir, 'cloud.db'))
  const config = loadConfig(o.env)
  const pay = new PaySandbox({
    file: path.join(o.dataDir, 'pay-sandbox.db'),
    delivery: (o.env.PAY_SANDBOX_DELIVERY as DeliveryMode | undefined) ?? 'once',
    lateMs: Number(o.env.PAY_SANDBOX_LATE_MS ?? 5000),
    subMchId: config.pay.subMchId || undefined,
    deliver: o.deliverPayCallback,
    now: o.now,
  })
  const storage = new FsStorage(path.join(o.dataDir, 'storage'), {
    envId: config.pay.envId || 'local',
    baseUrl: o.baseUrl,
    secret: crypto.randomBytes(32),
    now: o.now,
  })
  const provider = new ProviderSandbox({
    file: path.join(o.dataDir, 'provider-sandbox.db'),
    // PROVIDER_SANDBOX_*, validated by the config schema
    ...config.provider.sandbox,
    redConfirmHours: config.afterSales.redConfirmHours,
    now: o.now,
  })
  const subscribe = new SubscribeSandbox(db, { now: o.now })
  const mailer: SmtpMailer = smtpMailer({
    host: o.smtp.host,
    port: o.smtp.port,
    secure: false,
    from: o.env.MAIL_FROM || '武汉通电子发票 <invoice@wuhantong.local>',
  })
  // the capture server can be asked whether it already took a message (by its Message-ID)
  const smtpAccepted = o.smtp.accepted
  if (smtpAccepted) mailer.accepted = async (key) => smtpAccepted(key)
  let renderer: DocumentRenderer | null = null
  const log = o.log ?? jsonLogger()
  const invoker = localInvoker({ log, now: o.now })
  // INVOICE_PROVIDER picks who issues: the sandbox, or 诺诺 (locally: its stub, LOCAL_NUONUO_STUB=1).
  // The sandbox stays built either way: the dev menu's hooks act on it.
  const issuer: InvoiceProvider =
    config.provider.kind === 'nuonuo'
      ? new NuonuoProvider({
          nuonuo: config.provider.nuonuo,
          seller: config.invoice.seller,
          redConfirmHours: config.afterSales.redConfirmHours,
          log,
          now: o.now,
        })
      : provider
  // Locally the subscribe sandbox needs template ids to exist, like a configured WeChat console.
  config.subscribe.templates.invoiceIssued ||= 'local-invoice-issued'
  config.subscribe.templates.invoiceFailed ||= 'local-invoice-failed'
  config.subscribe.templates.afterSalesUpdate ||= 'local-aftersales-update'
  config.subscribe.templates.invoiceReminder ||= 'local-invoice-reminder'
  // SMS goes to the capture page (/dev/sms) whatever SMS_PROVIDER says: no real text leaves this machine
  config.sms.templates.code ||= '100001'
  config.sms.templates.invoiceIssued ||= '100002'
  config.sms.templates.invoiceReminder ||= '100003'
  const sms = new CaptureSms(path.join(o.dataDir, 'sms'), o.now)
  const subscribeFailures = sqliteSubscribeFailureRepo(db)
  const deps: Deps = {
    config,
    cards: sqliteCardRepo(db),
    orders: sqliteOrderRepo(db),
    pay,
    storage,
    clock: { now: o.now },
    random: { bytes: (n) => crypto.randomBytes(n), id: () => crypto.randomUUID().replace(/-/g, '') },
    log,
    titles: sqliteTitleRepo(db),
    settings: sqliteSettingsRepo(db),
    invoices: sqliteInvoiceRepo(db),
    outbox: sqliteOutboxRepo(db),
    provider: issuer,
    renderer: () => (renderer ??= createDocumentRenderer({ fontPath: defaultFontPath() })),
    mailer,
    // every failed send counted for staff health
    subscribe: countingSubscribeSender(subscribe, subscribeFailures, { now: o.now, log }),
    quota: sqliteQuotaRepo(db),
    subscribeFailures,
    corrections: sqliteCorrectionRepo(db),
    staff: sqliteStaffRepo(db),
    audit: sqliteAuditRepo(db),
    staffQueries: sqliteStaffQueryRepo(db),
    applications: sqliteApplicationRepo(db),
    paper: sqlitePaperRepo(db),
    tickets: sqliteTicketRepo(db),
    notices: sqliteNoticeOutboxRepo(db),
    siteNotices: sqliteSiteNoticeRepo(db),
    batches: sqliteBatchRepo(db),
    ledger: sqliteLedgerRepo(db),
    invoke: invoker,
    reminders: sqliteReminderRepo(db),
    sms,
    smsRepo: sqliteSmsRepo(db),
    phone: sandboxPhoneNumbers,
    account: sqliteAccountDataRepo(db),
    // what WeChat cloud would say of this environment (the local cloud itself runs regardless)
    configCheck: (fn) => configProblems(o.env, fn),
  }
  return {
    deps,
    db,
    pay,
    storage,
    provider,
    subscribe,
    invoker,
    sms,
    close() {
      pay.close()
      provider.close()
      mailer.close()
      db.close()
    },
  }
}
