/**
 * The request/response contract of every cloud function, keyed by function and action.
 * The mini-program's cloud client and the functions' handlers both compile against it.
 */
import type {
  Card,
  InvoiceCaps,
  InvoiceDetail,
  InvoiceStatus,
  InvoiceSummary,
  InvoiceTitle,
  PaymentParams,
  SubscribeTemplates,
  TemplateKey,
  TitleInput,
  TopupConfig,
  TopupOrder,
  OrderListItem,
  SmsSettingsView,
  UninvoicedSummary,
  UserSettings,
} from './domain'
import type {
  ApplicationInput,
  ApplicationView,
  AuditRecord,
  CorrectionEligibility,
  CorrectionView,
  OffPlatformTopup,
  PaperAddress,
  PaperRequestView,
  StaffRole,
  TicketInput,
  TicketView,
} from './aftersales'
import type { BatchItemView, BatchJobView, BatchPreview, BatchSpec } from './batch'
import type { ExportInput, ExportView, StatementView, VerifyAnswer } from './ledger'

export interface Page<T> {
  items: T[]
  /** pass back as `cursor` for the next page; null when there is none */
  nextCursor: string | null
}

export interface Api {
  card: {
    /** group: only that group's cards ('' = cards without a group) */
    list: { in: { group?: string }; out: { cards: Card[] } }
    bind: { in: { cardNo: string; nickname?: string }; out: { card: Card } }
    /** 分组: set, rename, or clear (null or blank) the group label of one of my cards */
    setGroup: { in: { cardId: string; group: string | null }; out: { card: Card } }
    remove: { in: { cardId: string }; out: { removed: true } }
  }
  topup: {
    config: { in: Record<string, never>; out: TopupConfig }
    createOrder: {
      in: { cardId: string; amountFen: number; clientToken: string }
      out: { order: TopupOrder; payment: PaymentParams }
    }
    repay: { in: { orderId: string }; out: { order: TopupOrder; payment: PaymentParams } }
    getOrder: { in: { orderId: string }; out: { order: TopupOrder } }
    /** each paid order carries its invoice state (未开票 with days left / 开具中 / 已开票) */
    listOrders: { in: { cursor?: string; limit?: number }; out: Page<OrderListItem> }
    /** un-invoiced paid top-ups still in the request window: the 发票 tab badge and the home line */
    uninvoicedSummary: { in: Record<string, never>; out: UninvoicedSummary }
  }
  profile: {
    listTitles: { in: Record<string, never>; out: { titles: InvoiceTitle[] } }
    /** create (no id) or update (id); the first title becomes the default */
    saveTitle: { in: TitleInput & { id?: string }; out: { title: InvoiceTitle } }
    removeTitle: { in: { titleId: string }; out: { removed: true } }
    setDefaultTitle: { in: { titleId: string }; out: { title: InvoiceTitle } }
    /** the inline check of the title form */
    checkTaxId: { in: { taxId: string }; out: { formatOk: boolean; checksumOk: boolean | null; message: string } }
    getSettings: {
      in: Record<string, never>
      out: { settings: UserSettings; defaultTitle: InvoiceTitle | null; templates: SubscribeTemplates }
    }
    updateSettings: { in: { autoInvoice?: boolean; defaultEmail?: string | null }; out: { settings: UserSettings } }
    /** what wx.requestSubscribeMessage answered: each accepted template adds one message of quota */
    recordSubscriptions: {
      in: { results: Partial<Record<TemplateKey, string>> }
      out: { quota: Record<TemplateKey, number> }
    }
    /** the emergency notices in force now (staff set them), for one page or for all */
    notices: { in: { page?: NoticePage }; out: { notices: ActiveNotice[] } }
    /** 联系客服 as configured (SUPPORT_PHONE, SUPPORT_HOURS): shown in 关于 and 帮助与客服 */
    support: { in: Record<string, never>; out: { phone: string; hours: string } }
    /** SMS notices for people without e-mail (issue 9): the phone only ever masked */
    smsSettings: { in: Record<string, never>; out: SmsSettingsView }
    /** H5: a 6-digit code to the typed number (1 a minute, 5 a day; valid 10 minutes) */
    smsSendCode: { in: { phone: string }; out: { sentTo: string; expiresInSeconds: number } }
    smsVerify: { in: { phone: string; code: string }; out: SmsSettingsView }
    /** mini-program: the code of <button open-type="getPhoneNumber"> */
    smsBindWechat: { in: { code: string }; out: SmsSettingsView }
    /** off, and the number forgotten */
    smsOptOut: { in: Record<string, never>; out: SmsSettingsView }
    /**
     * 设置 → 删除个人数据: `confirm` must be ACCOUNT_DELETE_PHRASE, typed by the person. Deletes cards,
     * titles, settings, the SMS contact and codes, subscribe quota, reminder records; keeps invoices,
     * the orders they cover and the audit trail. Refused (PROFILE.DELETE_BUSY) while work is in flight.
     */
    deleteAccountData: { in: { confirm: string }; out: AccountDeletionView }
  }
  invoice: {
    caps: { in: Record<string, never>; out: InvoiceCaps }
    /** paid top-ups without a live invoice, within the request window, newest first */
    /** group: only the top-ups of that group of my cards ('' = cards without a group) */
    listUninvoiced: { in: { cursor?: string; limit?: number; group?: string }; out: Page<TopupOrder> }
    /**
     * One invoice for one or several paid orders. kind 'special' (专票) is refused.
     * Idempotent per clientToken, and an order can never be in two live invoices.
     */
    request: {
      in: { orderIds: string[]; titleId: string; email?: string | null; kind?: 'normal' | 'special'; clientToken: string }
      out: { invoice: InvoiceDetail }
    }
    list: {
      /** titleId: made out to that title of mine; group: on a card of that group ('' = no group) */
      in: { cursor?: string; limit?: number; status?: InvoiceStatus; month?: string; cardNo?: string; titleId?: string; group?: string }
      out: Page<InvoiceSummary>
    }
    get: { in: { invoiceId: string }; out: { invoice: InvoiceDetail } }
    /** short-lived links to the PDF and the XML, minted for the owner only */
    /** ofdUrl only when the provider handed out an OFD original (never from the sandbox) */
    files: { in: { invoiceId: string }; out: { pdfUrl: string; xmlUrl: string; ofdUrl?: string; expiresAt: string } }
    /** 补发: e-mail the same invoice again (never a second invoice) */
    resend: { in: { invoiceId: string; email?: string | null }; out: { queued: true; email: string } }
    /** the invoice of one order (for the pay-result page), or null */
    forOrder: { in: { orderId: string }; out: { invoice: InvoiceSummary | null } }
    /** whether the invoice can be corrected by the person (换开), and the correction in progress */
    correctionOptions: { in: { invoiceId: string }; out: CorrectionEligibility }
    /**
     * 换开: red-letter the invoice and issue a new blue one with another title, exactly once per
     * clientToken (and one correction in progress per invoice whatever the taps or retries).
     * buyerBooked: an enterprise buyer that already booked the invoice must confirm (72 h).
     */
    correct: {
      in: { invoiceId: string; titleId: string; buyerBooked?: boolean; email?: string | null; clientToken: string }
      out: { correction: CorrectionView }
    }
    getCorrection: { in: { correctionId: string }; out: { correction: CorrectionView } }
  }
  /** after-sales for the person: applications (补开), paper copies by post, tickets */
  aftersales: {
    /** where the person may upload a photo (their own folder); the client uploads, then passes the fileID */
    uploadTarget: {
      in: { purpose: 'application' | 'ticket'; ext: 'jpg' | 'png' }
      out: { cloudPath: string; maxBytes: number }
    }
    apply: { in: ApplicationInput; out: { application: ApplicationView } }
    listApplications: { in: { cursor?: string; limit?: number }; out: Page<ApplicationView> }
    getApplication: { in: { applicationId: string }; out: { application: ApplicationView } }
    /** only while submitted or in review */
    withdrawApplication: { in: { applicationId: string }; out: { application: ApplicationView } }
    /** one active request per invoice; idempotent per clientToken */
    requestPaper: { in: { invoiceId: string; address: PaperAddress; clientToken: string }; out: { paper: PaperRequestView } }
    listPaper: { in: { cursor?: string; limit?: number }; out: Page<PaperRequestView> }
    getPaper: { in: { paperId: string }; out: { paper: PaperRequestView } }
    /** only before printed */
    cancelPaper: { in: { paperId: string }; out: { paper: PaperRequestView } }
    openTicket: { in: TicketInput; out: { ticket: TicketView } }
    listTickets: { in: { cursor?: string; limit?: number }; out: Page<TicketView> }
    getTicket: { in: { ticketId: string }; out: { ticket: TicketView } }
    replyTicket: { in: { ticketId: string; text: string; photoFileIds?: string[] }; out: { ticket: TicketView } }
    /** close (rating 1-5 optional); a closed ticket can still be rated once */
    closeTicket: { in: { ticketId: string; rating?: number }; out: { ticket: TicketView } }
    /** counts for badges on 我的 */
    summary: { in: Record<string, never>; out: { applicationsActive: number; paperActive: number; ticketsAnswered: number } }
  }
  /**
   * Staff work (cloud console, CLI, SDK: a non-wx_ SOURCE without OPENID naming an `operator`;
   * or a mini-program user whose openid holds a staff role). Every action that changes
   * something takes a reason where it says so and writes an audit record.
   */
  /** batch invoicing (企业批量开票, issue 8; docs/api.md "batch"): a background job per confirmation */
  batch: {
    /** how many top-ups, the total and the planned invoices (nothing is written) */
    preview: { in: BatchSpec; out: BatchPreview }
    /** records the job (idempotent per clientToken: the same job again) and starts it */
    create: { in: BatchSpec & { clientToken: string }; out: { job: BatchJobView } }
    /** progress and a page of the planned invoices (from: 1-based index of the first) */
    get: { in: { jobId: string; from?: number; limit?: number }; out: { job: BatchJobView; items: BatchItemView[] } }
    /** my batch jobs, newest first (resume from any device) */
    list: { in: { cursor?: string; limit?: number }; out: Page<BatchJobView> }
    /** stops the job before its next chunk; invoices already requested are kept and issued */
    cancel: { in: { jobId: string }; out: { job: BatchJobView } }
  }
  /** exports (ZIP + ledger), the year statement, 验真 (issue 8; docs/api.md "ledger") */
  ledger: {
    /** starts (or, same clientToken, finds and resumes) an export and runs it; poll getExport for progress */
    createExport: { in: ExportInput; out: { export: ExportView } }
    getExport: { in: { exportId: string }; out: { export: ExportView } }
    listExports: { in: Record<string, never>; out: { exports: ExportView[] } }
    statement: { in: { year: number }; out: StatementView }
    /** by the file's SHA-256 (computed on the device) and the invoice numbers found in it */
    verifyFile: { in: { sha256: string; numbers?: string[] }; out: VerifyAnswer }
    verifyNumber: { in: { invoiceNo: string; amountFen: number; issueDate: string }; out: VerifyAnswer }
  }
  staff: {
    whoami: { in: StaffIn; out: { operator: string; role: StaffRole; via: 'console' | 'miniprogram' } }
    /** config: the staff function's own deployment problems (runtime/startup-check.ts), so a misconfiguration shows where staff look */
    queues: {
      in: StaffIn & { queue?: StaffQueue; limit?: number }
      out: { counts: Record<StaffQueue, number>; items: StaffQueueItem[]; config?: { problems: ConfigProblemView[] } }
    }
    /** full context of one case; personal data masked unless a reason is given (audited) */
    case: { in: StaffIn & { kind: StaffCaseKind; id: string; reason?: string }; out: { case: StaffCase } }
    startReview: { in: StaffIn & { applicationId: string }; out: { application: ApplicationView } }
    /** link our orders, or record off-platform top-ups, then issue through the normal pipeline */
    approve: {
      in: StaffIn & { applicationId: string; orderIds?: string[]; offPlatform?: OffPlatformTopup[]; reason?: string }
      out: { application: ApplicationView }
    }
    reject: { in: StaffIn & { applicationId: string; reason: string }; out: { application: ApplicationView } }
    /** 换开 on the person's behalf (no self-service limits); reason required */
    correct: {
      in: StaffIn & { invoiceId: string; titleId?: string; title?: TitleInput; buyerBooked?: boolean; reason: string; clientToken: string }
      out: { correction: CorrectionView }
    }
    reply: { in: StaffIn & { ticketId: string; text: string }; out: { ticket: TicketView } }
    closeTicket: { in: StaffIn & { ticketId: string; reason: string }; out: { ticket: TicketView } }
    paperPrinted: { in: StaffIn & { paperId: string }; out: { paper: PaperRequestView } }
    paperMailed: { in: StaffIn & { paperId: string; carrier: string; trackingNo: string }; out: { paper: PaperRequestView } }
    paperDelivered: { in: StaffIn & { paperId: string }; out: { paper: PaperRequestView } }
    paperReturned: { in: StaffIn & { paperId: string; reason: string }; out: { paper: PaperRequestView } }
    retryInvoice: { in: StaffIn & { invoiceId: string; reason: string }; out: { invoice: InvoiceDetail } }
    resendInvoice: { in: StaffIn & { invoiceId: string; email?: string | null; reason: string }; out: { queued: true; email: string } }
    /** admin: grant, change or revoke (role null) a staff role */
    grant: {
      in: StaffIn & { openid: string; name: string; role: StaffRole | null; reason: string }
      out: { staff: { openid: string; name: string; role: StaffRole } | null }
    }
    /** an emergency notice shown as a banner on the given pages from `from` (default now) until `until` */
    setNotice: {
      in: StaffIn & { level: NoticeLevel; text: string; from?: string; until: string; pages: NoticePageInput | NoticePageInput[]; reason: string }
      out: { notice: StaffNotice }
    }
    /** end a notice now (it stays on record) */
    endNotice: { in: StaffIn & { noticeId: string; reason: string }; out: { notice: StaffNotice } }
    /** viewer+: the notices in force now, as staff see them (who set them, the window) */
    listNotices: { in: StaffIn; out: { notices: StaffNotice[] } }
    /** viewer+: cases by order id, invoice id or number, or card number (the CLI's `find`); masked like queue items */
    find: { in: StaffIn & { by: StaffFindBy; value: string }; out: { items: StaffQueueItem[] } }
    /** viewer+: queue depths, the oldest stuck invoice, the mail backlog (the CLI's `health`) */
    health: { in: StaffIn; out: StaffHealth }
    /** admin: the append-only audit trail, newest first */
    audit: { in: StaffIn & { cursor?: string; limit?: number; target?: string }; out: Page<AuditRecord> }
    /** admin: walks the whole audit chain and reports whether any record was edited, removed or slipped in */
    auditVerify: { in: StaffIn; out: StaffAuditVerify }
  }
}

/** Calls from outside WeChat name the operator; a staff member in the mini-program is known by openid. */
export interface StaffIn {
  operator?: string
}

export type StaffQueue = 'applications' | 'tickets' | 'paper' | 'invoices' | 'payments' | 'corrections'
export type StaffCaseKind = 'application' | 'ticket' | 'paper' | 'invoice' | 'order' | 'correction'
/** order: an order id; invoice: an invoice id or invoice number; card: a card number (any owner) */
export type StaffFindBy = 'order' | 'invoice' | 'card'

export interface StaffHealth {
  at: string
  /** the staff queues' depths (as `queues` counts them) */
  queues: Record<StaffQueue, number>
  /** the oldest invoice failed or stuck in requested/issuing for 10 minutes, or null */
  oldestStuckInvoice: { id: string; status: string; requestedAt: string; ageMinutes: number; lastError: string | null } | null
  /** invoice e-mails not yet sent */
  mail: { pending: number; oldestCreatedAt: string | null; oldestAgeMinutes: number | null }
  /** failed subscribe-message sends in the last 24 hours (quota used up or refused, other errors) */
  subscribe: StaffSubscribeHealth
  /** enterprise batch invoicing jobs and invoice exports (long jobs nobody may be working on) */
  jobs: StaffJobsHealth
}

/** staff health: the long-running jobs (批量开票 and 发票导出) */
export interface StaffJobsHealth {
  batch: {
    /** batch jobs still running */
    running: number
    /** createdAt of the oldest running job, or null */
    oldestRunningSince: string | null
    /** running jobs with no lease or an expired one: no worker is on them (the timer resumes them) */
    unheldRunning: number
    /** planned invoices that failed, over the jobs touched in the last 24 hours */
    failedItemsLast24h: number
  }
  exports: {
    queued: number
    running: number
    /** exports that ended failed in the last 24 hours */
    failedLast24h: number
  }
}

/** staff health: failed subscribe sends, counted by the hour */
export interface StaffSubscribeHealth {
  /** the start of the window: the current hour and the 23 before it */
  since: string
  /** all failures in the window */
  failures: number
  /** the newest failure in the window, or null */
  lastErrorAt: string | null
  /** per template, most failures first */
  templates: {
    templateKey: TemplateKey
    failures: number
    /** errcode 43101: the person has no quota (refused, or used up) */
    noQuota: number
    /** failures per WeChat errcode ("-1": the call itself failed) */
    byErrcode: Record<string, number>
    lastAt: string
    lastErrcode: number
    lastErrmsg: string
  }[]
}

/** staff auditVerify: the audit chain walked oldest first */
export interface StaffAuditVerify {
  ok: boolean
  /** records walked */
  checked: number
  /** where the first break shows: an edited record itself, or the record after a removed one */
  firstBadSeq?: number
  /** the newest record walked: compare with the last report (removing the newest records leaves a valid shorter chain) */
  head: { seq: number; id: string; hash: string } | null
  problemCount: number
  /** the first problems (at most 20) */
  problems: { seq: number; id: string; kind: 'hash' | 'link' | 'gap' | 'order' | 'id'; detail: string }[]
}

export interface StaffQueueItem {
  queue: StaffQueue
  kind: StaffCaseKind
  id: string
  status: string
  /** one line for the list, personal data masked */
  summary: string
  openidMasked: string
  createdAt: string
  updatedAt: string
}

/**
 * One problem of a function's configuration for WeChat cloud (the startup check's rule): the key
 * to fix and why, never a value. error: the function would refuse to start (or, like staff, runs
 * regardless); warning: it runs with something off.
 */
export interface ConfigProblemView {
  /** the environment variable to fix; absent when the problem is not one key's */
  key?: string
  level: 'error' | 'warning'
  message: string
}

export interface StaffCase {
  kind: StaffCaseKind
  id: string
  /** the ApplicationView / TicketView / PaperRequestView / InvoiceDetail / TopupOrder / CorrectionView */
  subject: unknown
  person: {
    openid: string
    orders: TopupOrder[]
    invoices: InvoiceSummary[]
    email: string | null
  }
  /** true when a reason was given and the personal data is shown in full */
  unmasked: boolean
}

export type FunctionName = keyof Api
export type ActionName<F extends FunctionName> = keyof Api[F] & string
export type ActionIn<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { in: infer I } ? I : never
export type ActionOut<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { out: infer O } ? O : never

/** The event a client sends: `{ action, ...input }`. */
export type ActionEvent<F extends FunctionName, A extends ActionName<F>> = { action: A } & ActionIn<F, A>

/** The payload cloudPay delivers to the pay-callback function (fields we use; WeChat sends more). */
export interface CloudPayNotification {
  returnCode: string
  resultCode: string
  outTradeNo: string
  transactionId: string
  totalFee: number
  cashFee?: number
  timeEnd: string // yyyyMMddHHmmss, UTC+8
  subOpenid?: string
  openid?: string
  subMchId?: string
  appid?: string
  mchId?: string
  nonceStr?: string
  tradeType?: string
  feeType?: string
  bankType?: string
}

/** What the pay-callback function must answer: errcode 0 once recorded, anything else to get a retry. */
export interface CloudPayAck {
  errcode: number
  errmsg?: string
}

// ---------------------------------------------------------------------------------------
// Emergency notices (banners staff set during an incident)

export type NoticeLevel = 'info' | 'warning' | 'critical'
/** where a banner shows: 首页, or the invoice pages (list and detail) */
export type NoticePage = 'home' | 'invoice'
/** what staff name: one page, or 'all' */
export type NoticePageInput = NoticePage | 'all'

/** What the mini-program shows. */
export interface ActiveNotice {
  id: string
  level: NoticeLevel
  /** plain text, at most 120 characters */
  text: string
  pages: NoticePage[]
}

/** A notice as staff see it. */
export interface StaffNotice extends ActiveNotice {
  from: string
  until: string
  /** when staff ended it early, else null */
  endedAt: string | null
  createdBy: string
  createdAt: string
}

/** The phrase a person types to confirm 删除个人数据 (profile.deleteAccountData). */
export const ACCOUNT_DELETE_PHRASE = '删除个人数据'

/** What profile.deleteAccountData removed (0 everywhere on a repeated call) and what it kept by law. */
export interface AccountDeletionView {
  deleted: { cards: number; titles: number; settings: number; smsContacts: number; smsCodes: number; subscribeQuota: number; reminders: number }
  /** invoices kept (and downloadable): the law requires keeping them and the orders they cover */
  keptInvoices: number
}
