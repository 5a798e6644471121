/**
 * The cloud database collections and the indexes each one needs.
 *
 * Unique indexes are not an optimisation here: they are what makes retries idempotent
 * (convention 8). The adapters turn DATABASE_DUPLICATE_WRITE into DuplicateKeyError and the
 * services answer with the existing record. A collection created without its unique index
 * silently accepts twins, so the deploy check must fail on a missing one, and the in-memory
 * fake used by the tests enforces exactly the unique indexes declared here.
 *
 * Indexes are created in the cloud console (数据库 -> 集合 -> 索引管理) or with the CloudBase
 * CLI; this list is their single source of truth for docs and for that check.
 */

export const WX_COLLECTIONS = {
  cards: 'cards',
  orders: 'topup_orders',
  orderEvents: 'topup_order_events',
  payNotifications: 'pay_notifications',
  titles: 'invoice_titles',
  settings: 'user_settings',
  invoices: 'invoices',
  /** the claim of an order by its live invoice: `_id` = order id, so the unique key is `_id` */
  invoiceOrders: 'invoice_orders',
  invoiceEvents: 'invoice_events',
  mailOutbox: 'mail_outbox',
  subscribeQuota: 'subscribe_quota',
  /** failed subscribe sends counted per template, errcode and hour (staff health) */
  subscribeFailures: 'subscribe_failures',
  /** the WeChat-cloud stand-in for a licensed e-invoice provider (wx.provider-sandbox.ts) */
  providerRequests: 'provider_sandbox_requests',
  providerSequence: 'provider_sandbox_sequence',
  /** the sandbox's red-letter confirmations (红字确认单), `_id` = our correction id */
  providerRedConfirmations: 'provider_sandbox_red_confirmations',
  // after-sales
  corrections: 'invoice_corrections',
  applications: 'aftersales_applications',
  paperRequests: 'paper_requests',
  tickets: 'tickets',
  /** notices to people about after-sales status changes waiting to be e-mailed */
  noticeOutbox: 'notice_outbox',
  staff: 'staff_members',
  audit: 'staff_audit',
  /** emergency notices (banners) staff set during an incident */
  siteNotices: 'notices',
  /** batch invoicing jobs (issue 8): `_id` = job id, one per (openid, clientToken) */
  batchJobs: 'batch_jobs',
  /** a job's planned invoices, 100 to a document: `_id` = <job id>:<page> */
  batchItemPages: 'batch_item_pages',
  /** export jobs (issue 8): `_id` = job id, one per (openid, clientToken) */
  exportJobs: 'export_jobs',
  /** rate-limit counters: `_id` = caller and window start, so a window has one counter */
  rateCounters: 'rate_counters',
  /** reminders before a request window closes: `_id` = <openid>:<threshold>:<deadline day>, the never-twice key */
  reminders: 'invoice_reminders',
  /** the phone a person opted in with for SMS notices: `_id` = openid */
  smsContacts: 'sms_contacts',
  /** a typed number's verification code (hashed): `_id` = openid */
  smsCodes: 'sms_codes',
  /** SMS notices: `_id` = issued:<invoice> or reminder:<key>, the never-twice key */
  smsOutbox: 'sms_outbox',
} as const

export type WxCollectionName = (typeof WX_COLLECTIONS)[keyof typeof WX_COLLECTIONS]

export interface WxIndexSpec {
  collection: WxCollectionName
  name: string
  fields: { field: string; order: 'asc' | 'desc' }[]
  unique: boolean
  /** why the index exists: the query it serves or the rule it enforces */
  purpose: string
}

const asc = (field: string) => ({ field, order: 'asc' as const })
const desc = (field: string) => ({ field, order: 'desc' as const })

/** `_id` is unique in every collection already and is not listed. */
export const WX_INDEXES: readonly WxIndexSpec[] = [
  {
    collection: 'cards',
    name: 'uniq_openid_cardNo',
    fields: [asc('openid'), asc('cardNo')],
    unique: true,
    purpose: 'one binding of a card per user; a twin insert fails -> DuplicateKeyError(cardNo)',
  },
  {
    collection: 'cards',
    name: 'openid_createdAt',
    fields: [asc('openid'), asc('createdAt')],
    unique: false,
    purpose: "listByOwner / countByOwner: a user's cards, oldest first",
  },
  {
    collection: 'topup_orders',
    name: 'uniq_openid_clientToken',
    fields: [asc('openid'), asc('clientToken')],
    unique: true,
    purpose: 'createOrder idempotency: a repeated tap gets the same order -> DuplicateKeyError(clientToken)',
  },
  {
    collection: 'topup_orders',
    name: 'openid_createdAt',
    fields: [asc('openid'), desc('createdAt')],
    unique: false,
    purpose: "listByOwner: a user's orders, newest first, paged by (createdAt, _id)",
  },
  {
    collection: 'topup_orders',
    name: 'status_createdAt',
    fields: [asc('status'), asc('createdAt')],
    unique: false,
    purpose: 'listUnsettled: the reconcile timer scans orders still created',
  },
  {
    collection: 'topup_orders',
    name: 'openid_status_paidAt',
    fields: [asc('openid'), asc('status'), desc('paidAt')],
    unique: false,
    purpose: "listUninvoiced: a user's paid orders without invoiceId, newest first, paged by (paidAt, _id)",
  },
  {
    collection: 'topup_orders',
    name: 'status_paidAt',
    fields: [asc('status'), asc('paidAt')],
    unique: false,
    purpose: 'listAutoInvoicePending: the invoice worker scans paid orders that asked for an automatic invoice; listUninvoicedPaidBetween: the reminders timer',
  },
  {
    collection: 'topup_order_events',
    name: 'orderId_seq',
    fields: [asc('orderId'), asc('seq')],
    unique: false,
    purpose: "events(): an order's history in write order (the _id <order>:paid etc. keeps each transition single)",
  },
  {
    collection: 'pay_notifications',
    name: 'outTradeNo',
    fields: [asc('outTradeNo')],
    unique: false,
    purpose: 'staff lookups: every callback delivery of an order',
  },
  {
    collection: 'invoice_titles',
    name: 'uniq_defaultSlot',
    fields: [asc('defaultSlot')],
    unique: true,
    purpose: 'one default title per user: defaultSlot is default:<openid> on the default, title:<_id> on the others',
  },
  {
    collection: 'invoice_titles',
    name: 'openid_createdAt',
    fields: [asc('openid'), asc('createdAt')],
    unique: false,
    purpose: "listByOwner / countByOwner: a user's titles",
  },
  {
    collection: 'invoices',
    name: 'uniq_openid_clientToken',
    fields: [asc('openid'), asc('clientToken')],
    unique: true,
    purpose: 'requestInvoice idempotency: a repeated tap gets the same invoice -> DuplicateKeyError(clientToken)',
  },
  {
    collection: 'invoices',
    name: 'openid_requestedAt',
    fields: [asc('openid'), desc('requestedAt')],
    unique: false,
    purpose: "list: a user's invoices, newest first, paged by (requestedAt, _id)",
  },
  {
    collection: 'invoices',
    name: 'openid_status_requestedAt',
    fields: [asc('openid'), asc('status'), desc('requestedAt')],
    unique: false,
    purpose: 'list filtered by status',
  },
  {
    collection: 'invoices',
    name: 'openid_cardNos_requestedAt',
    fields: [asc('openid'), asc('cardNos'), desc('requestedAt')],
    unique: false,
    purpose: 'list filtered by card (cardNos is an array: a multikey index)',
  },
  {
    collection: 'invoices',
    name: 'status_requestedAt',
    fields: [asc('status'), asc('requestedAt')],
    unique: false,
    purpose: 'due(): the invoice worker scans requested / issuing / failed invoices',
  },
  {
    collection: 'invoices',
    name: 'phase_requestedAt',
    fields: [asc('phase'), asc('requestedAt')],
    unique: false,
    purpose: 'due(): finds creations that never finished claiming their orders, to roll them back',
  },
  {
    collection: 'invoices',
    name: 'status_issuedAt',
    fields: [asc('status'), asc('issuedAt')],
    unique: false,
    purpose: 'issuedWithoutFirstMail(): the worker sweeps recently issued invoices whose first e-mail was never queued',
  },
  {
    collection: 'invoice_events',
    name: 'invoiceId_seq',
    fields: [asc('invoiceId'), asc('seq')],
    unique: false,
    purpose: "events(): an invoice's history in write order",
  },
  {
    collection: 'mail_outbox',
    name: 'itemId',
    fields: [asc('itemId')],
    unique: false,
    purpose: 'claim / markSent / markRetry by outbox item id (the first delivery is unique by its _id <invoiceId>:issued)',
  },
  {
    collection: 'mail_outbox',
    name: 'status_nextAttemptAt',
    fields: [asc('status'), asc('nextAttemptAt')],
    unique: false,
    purpose: 'due(): pending e-mails whose next attempt has come',
  },
  {
    collection: 'mail_outbox',
    name: 'invoiceId_createdAt',
    fields: [asc('invoiceId'), desc('createdAt')],
    unique: false,
    purpose: "latestFor(): an invoice's latest e-mail (resend cooldown)",
  },
  // --- corrections (换开) ---
  {
    collection: 'invoice_corrections',
    name: 'uniq_activeKey',
    fields: [asc('activeKey')],
    unique: true,
    purpose: 'one correction in progress per invoice: activeKey = the blue invoice id while active, the correction id once ended',
  },
  {
    collection: 'invoice_corrections',
    name: 'uniq_openid_clientToken',
    fields: [asc('openid'), asc('clientToken')],
    unique: true,
    purpose: 'correct idempotency: the same clientToken finds the first correction -> DuplicateKeyError(clientToken)',
  },
  {
    collection: 'invoice_corrections',
    name: 'invoiceId_requestedAt',
    fields: [asc('invoiceId'), desc('requestedAt')],
    unique: false,
    purpose: "listForInvoice(): an invoice's corrections, newest first",
  },
  {
    collection: 'invoice_corrections',
    name: 'status_nextCheckAt',
    fields: [asc('status'), asc('nextCheckAt')],
    unique: false,
    purpose: 'due(): active corrections the invoice worker advances',
  },
  {
    collection: 'invoice_corrections',
    name: 'status_requestedAt',
    fields: [asc('status'), desc('requestedAt')],
    unique: false,
    purpose: 'listByStatus(): the staff queue of corrections, newest first',
  },
  {
    collection: 'provider_sandbox_red_confirmations',
    name: 'confirmationNo',
    fields: [asc('confirmationNo')],
    unique: true,
    purpose: 'provider sandbox: a red invoice names its confirmation by number; numbers come from a sequence and never repeat',
  },
  // --- applications, paper requests, tickets, notices ---
  {
    collection: 'aftersales_applications',
    name: 'uniq_openid_clientToken',
    fields: [asc('openid'), asc('clientToken')],
    unique: true,
    purpose: 'apply idempotency: a repeated submit gets the same application -> DuplicateKeyError(clientToken)',
  },
  {
    collection: 'aftersales_applications',
    name: 'openid_createdAt',
    fields: [asc('openid'), desc('createdAt')],
    unique: false,
    purpose: "listApplications / summary: a person's applications, newest first, paged by (createdAt, _id)",
  },
  {
    collection: 'aftersales_applications',
    name: 'queue_status_createdAt',
    fields: [asc('status'), asc('createdAt')],
    unique: false,
    purpose: 'staff queue and the sweep: applications by status, oldest first',
  },
  {
    collection: 'paper_requests',
    name: 'uniq_openid_clientToken',
    fields: [asc('openid'), asc('clientToken')],
    unique: true,
    purpose: 'requestPaper idempotency -> DuplicateKeyError(clientToken)',
  },
  {
    collection: 'paper_requests',
    name: 'uniq_activeKey',
    fields: [asc('activeKey')],
    unique: true,
    purpose: 'one active paper request per invoice: activeKey is the invoice id while active, the request id once ended',
  },
  {
    collection: 'paper_requests',
    name: 'openid_createdAt',
    fields: [asc('openid'), desc('createdAt')],
    unique: false,
    purpose: "listPaper / summary: a person's paper requests, newest first",
  },
  {
    collection: 'paper_requests',
    name: 'queue_status_createdAt',
    fields: [asc('status'), asc('createdAt')],
    unique: false,
    purpose: 'staff queue: paper requests by status, oldest first',
  },
  {
    collection: 'tickets',
    name: 'uniq_openid_clientToken',
    fields: [asc('openid'), asc('clientToken')],
    unique: true,
    purpose: 'openTicket idempotency -> DuplicateKeyError(clientToken)',
  },
  {
    collection: 'tickets',
    name: 'openid_createdAt',
    fields: [asc('openid'), desc('createdAt')],
    unique: false,
    purpose: "listTickets / summary: a person's tickets, newest first",
  },
  {
    collection: 'tickets',
    name: 'queue_status_createdAt',
    fields: [asc('status'), asc('createdAt')],
    unique: false,
    purpose: 'staff queue: tickets by status, oldest first',
  },
  {
    collection: 'notice_outbox',
    name: 'status_nextAttemptAt',
    fields: [asc('status'), asc('nextAttemptAt')],
    unique: false,
    purpose: 'the sweep: pending notice e-mails whose next attempt has come (the _id makes each notice unique)',
  },
  // --- staff and audit ---
  {
    collection: 'staff_audit',
    name: 'seq',
    fields: [desc('seq')],
    unique: false,
    purpose: 'audit: the trail newest first, keyset-paged by seq (the chain itself is kept linear by _id = AUD<seq>)',
  },
  {
    collection: 'staff_audit',
    name: 'target_seq',
    fields: [asc('target'), desc('seq')],
    unique: false,
    purpose: 'audit filtered by target (application:APP..., invoice:INV...), newest first',
  },
  {
    collection: 'topup_orders',
    name: 'anomaly_createdAt',
    fields: [asc('anomaly'), desc('createdAt')],
    unique: false,
    purpose: 'staff queue: top-ups flagged with a payment anomaly, newest first',
  },
  {
    collection: 'notices',
    name: 'endedAt_until',
    fields: [asc('endedAt'), asc('until')],
    unique: false,
    purpose: 'profile.notices: the emergency notices in force now (not ended, until after now)',
  },
  {
    collection: 'invoices',
    name: 'invoiceNo',
    fields: [asc('invoiceNo')],
    unique: false,
    purpose: 'staff find: the invoice carrying an invoice number',
  },
  {
    collection: 'topup_orders',
    name: 'cardNo_createdAt',
    fields: [asc('cardNo'), desc('createdAt')],
    unique: false,
    purpose: "staff find: a card's top-ups, whoever owns them, newest first",
  },
  {
    collection: 'mail_outbox',
    name: 'status_createdAt',
    fields: [asc('status'), asc('createdAt')],
    unique: false,
    purpose: 'staff health: the invoice e-mails not yet sent, oldest first',
  },
  {
    collection: 'invoice_reminders',
    name: 'openid_createdAt',
    fields: [asc('openid'), desc('createdAt')],
    unique: false,
    purpose: "listByOwner: a person's reminders, newest first (the never-twice key is the _id)",
  },
  {
    collection: 'export_jobs',
    name: 'openid_clientToken',
    fields: [asc('openid'), asc('clientToken')],
    unique: true,
    purpose: 'ledger.createExport: one export per confirmation (a retry finds the first job)',
  },
  {
    collection: 'export_jobs',
    name: 'openid_createdAt',
    fields: [asc('openid'), desc('createdAt')],
    unique: false,
    purpose: "ledger.listExports: a person's exports, newest first",
  },
  {
    collection: 'invoices',
    name: 'pdfSha256',
    fields: [asc('pdfSha256')],
    unique: false,
    purpose: '验真: the invoice a PDF belongs to, by its SHA-256',
  },
  {
    collection: 'invoices',
    name: 'xmlSha256',
    fields: [asc('xmlSha256')],
    unique: false,
    purpose: '验真: the invoice an XML belongs to, by its SHA-256',
  },
  {
    collection: 'invoices',
    name: 'ofdSha256',
    fields: [asc('ofdSha256')],
    unique: false,
    purpose: '验真: the invoice an OFD belongs to, by its SHA-256',
  },
  {
    collection: 'batch_jobs',
    name: 'uniq_openid_clientToken',
    fields: [asc('openid'), asc('clientToken')],
    unique: true,
    purpose: 'one batch job per confirmation: a repeated create finds the first job -> DuplicateKeyError(clientToken)',
  },
  {
    collection: 'batch_jobs',
    name: 'openid_createdAt',
    fields: [asc('openid'), desc('createdAt')],
    unique: false,
    purpose: "listByOwner: a person's batch jobs, newest first",
  },
  {
    collection: 'batch_jobs',
    name: 'status_createdAt',
    fields: [asc('status'), asc('createdAt')],
    unique: false,
    purpose: 'runnable: running jobs the batch timer resumes, oldest first',
  },
  {
    collection: 'batch_jobs',
    name: 'updatedAt',
    fields: [asc('updatedAt')],
    unique: false,
    purpose: 'staff health: failed planned invoices of the batch jobs touched in the last 24 hours',
  },
  {
    collection: 'export_jobs',
    name: 'status_finishedAt',
    fields: [asc('status'), asc('finishedAt')],
    unique: false,
    purpose: 'staff health: exports queued or running, and those failed in the last 24 hours',
  },
  {
    collection: 'subscribe_failures',
    name: 'hour',
    fields: [asc('hour')],
    unique: false,
    purpose: 'staff health: failed subscribe sends of the last 24 hours (one document per template, errcode and hour; _id makes each unique)',
  },
]

export function indexesOf(collection: WxCollectionName): WxIndexSpec[] {
  return WX_INDEXES.filter((i) => i.collection === collection)
}

/** An index as the deploy check reads it back from the environment. */
export interface ExistingIndex {
  collection: string
  fields: { field: string; order: 'asc' | 'desc' }[]
  unique: boolean
}

/**
 * The declared indexes the environment lacks. Matched on collection, fields (in order, with
 * direction) and uniqueness, not on name: consoles name indexes their own way. An existing
 * non-unique index does not satisfy a unique one.
 */
export function missingIndexes(existing: readonly ExistingIndex[], declared: readonly WxIndexSpec[] = WX_INDEXES): WxIndexSpec[] {
  const key = (i: { collection: string; fields: { field: string; order: string }[] }) =>
    `${i.collection}|${i.fields.map((f) => `${f.field}:${f.order}`).join(',')}`
  return declared.filter((d) => !existing.some((e) => key(e) === key(d) && (e.unique || !d.unique)))
}

/** A Markdown table of the declared indexes, for docs/api.md and the deploy guide. */
export function indexTableMarkdown(declared: readonly WxIndexSpec[] = WX_INDEXES): string {
  const rows = declared.map(
    (i) => `| ${i.collection} | ${i.name} | ${i.fields.map((f) => `${f.field} ${f.order}`).join(', ')} | ${i.unique ? 'yes' : 'no'} | ${i.purpose} |`,
  )
  return ['| collection | index | fields | unique | purpose |', '| --- | --- | --- | --- | --- |', ...rows].join('\n')
}
