import type { InvoiceCaps, TemplateKey, TopupConfig } from '../../types/domain'
import type { SellerConfig } from './domain/invoice'
import {
  AFTER_SALES_UPDATE_KEYS,
  INVOICE_FAILED_KEYS,
  INVOICE_ISSUED_KEYS,
  INVOICE_REMINDER_KEYS,
  type InvoiceReminderKeys,
  type AfterSalesUpdateKeys,
  type InvoiceFailedKeys,
  type InvoiceIssuedKeys,
} from './domain/subscribe'

/**
 * The configuration: ONE schema (CONFIG_SCHEMA below) that names every key once, with its type,
 * default, validation, the cloud functions that need it, whether it is secret, and a one-line
 * description. Everything else derives from it:
 *   - loadConfig() reads and validates the environment through it (AppConfig is the typed view);
 *   - .env.example and cloudbaserc.json's env lists are generated from it (`npm run config:gen`,
 *     scripts/deploy/config-gen.ts), and tests/deploy/config-schema.test.ts fails when they drift;
 *   - deploymentProblems() says what keeps a function from running in WeChat cloud (placeholders,
 *     missing secrets), which `npm run deploy` checks before it calls anything.
 * A key that is unset or empty takes its default. Pure: no fs, no SDK (it is bundled everywhere).
 */
export interface AppConfig {
  topup: TopupConfig
  /** orders still unpaid this long after creation get queried by the reconcile timer */
  reconcileGraceSeconds: number
  pay: {
    /** the function cloudPay calls back */
    notifyFunction: string
    subMchId: string
    envId: string
    body: string
  }
  invoice: {
    caps: InvoiceCaps
    seller: SellerConfig
    maxTitlesPerUser: number
    /** how long a request waits inline for the provider before leaving it to the worker */
    inlineWaitMs: number
    /**
     * how long payNotify / reconcile wait for the start of the invoice worker to be handed to the
     * platform before answering (the worker then runs on its own; see adapters/wx/wx.invoke.ts)
     */
    handOffMs: number
    /** lifetime of the PDF/XML links minted for the owner */
    linkTtlSeconds: number
    resendCooldownSeconds: number
    /** re-sends of one invoice per day (China time), whatever the addresses: no mail bombing through us */
    resendMaxPerInvoicePerDay: number
    /** re-sends by one person per day (China time) across all their invoices */
    resendMaxPerUserPerDay: number
    /** e-mail send attempts before an outbox item is marked failed */
    mailMaxAttempts: number
  }
  /** which licensed e-invoice provider issues (the sandbox stands in for development) */
  provider: {
    kind: 'sandbox' | 'nuonuo'
    /** WeChat cloud refuses to issue with the sandbox unless this is set (test environments) */
    allowSandboxInCloud: boolean
    nuonuo: {
      /** the open platform's gateway, e.g. https://sdk.nuonuo.com/open/v1/services (sandbox: https://sandbox.nuonuocs.cn/open/v1/services) */
      baseUrl: string
      appKey: string
      appSecret: string
      /** the access token of the 自用型 app (or one obtained by the merchant authorisation) */
      accessToken: string
      /** the seller's tax number the token belongs to (userTax header); defaults to SELLER_TAX_ID */
      userTaxNum: string
      /** 开票员 as registered at the tax bureau */
      clerk: string
      /** 分机号 of the tax device / 数电 account, '' when none */
      extensionNumber: string
      /** milliseconds before a request to the gateway is abandoned (then retried by the worker) */
      timeoutMs: number
    }
    /** the sandbox provider's behaviour (development and test environments only) */
    sandbox: {
      latencyMs: number
      /** 0..1: the share of issue requests the sandbox fails */
      failureRate: number
      /** what the sandbox's enterprise buyer does with a red-letter form it must confirm */
      buyerDecision: 'wait' | 'confirm' | 'refuse'
    }
  }
  afterSales: {
    /** self-service 换开 per invoice chain (beyond: an application reviewed by staff) */
    correctionMaxPerInvoice: number
    /** self-service 换开 within this many days of the original's issue date */
    correctionWindowDays: number
    /** an enterprise buyer's red-letter confirmation lapses after this many hours */
    redConfirmHours: number
    /** photos per application or ticket message, and the size of each */
    maxPhotos: number
    photoMaxBytes: number
    /** applications a person may have open at once */
    maxOpenApplications: number
  }
  /** companies: cards of many employees, batch invoicing (issue 8) */
  enterprise: {
    /** the card limit of a person who keeps an enterprise title (others: topup.maxCardsPerUser) */
    maxCardsPerUser: number
    batch: {
      /** planned invoices one run of the batch worker requests before it looks at cancel and lease again */
      chunkInvoices: number
      /** a run stops starting new chunks after this long (well under the function timeout) */
      runBudgetMs: number
      /** invoices of a chunk issued at once (provider, PDF, storage, mail) */
      issueConcurrency: number
      /** top-ups one batch may cover at most */
      maxOrders: number
    }
  }
  /** exports (ZIP + ledger), the year statement and the authenticity check 验真 (issue 8) */
  ledger: {
    /** invoices one export may hold */
    exportMaxInvoices: number
    /** a ZIP up to this size is attached to the e-mail; a bigger one is sent as a link */
    exportAttachMaxBytes: number
    /** lifetime of the ZIP's download link (in the app and in the e-mail) */
    exportLinkTtlSeconds: number
    /** 验真 checks one caller may make per window */
    verifyMaxPerWindow: number
    verifyWindowSeconds: number
  }
  /** 联系客服 as the app shows it (关于, 帮助与客服): a phone people can call and when someone answers */
  support: {
    phone: string
    hours: string
  }
  subscribe: {
    templates: Record<TemplateKey, string>
    /** miniprogramState of subscribeMessage.send: formal | trial | developer */
    state: string
    /**
     * Which keyword of the template chosen in the console carries which of our fields
     * (thing1, amount2...: they differ per template). Validated by type: a title only ever
     * goes to a thing field, an amount to an amount field, so WeChat's field limits hold.
     */
    fields: {
      invoiceIssued: InvoiceIssuedKeys
      invoiceFailed: InvoiceFailedKeys
      afterSalesUpdate: AfterSalesUpdateKeys
      invoiceReminder: InvoiceReminderKeys
    }
  }
  /** the SMS channel (issue 9): off, Tencent Cloud SMS, or (local cloud) the capture page */
  sms: {
    provider: 'off' | 'tencent'
    secretId: string
    secretKey: string
    sdkAppId: string
    signName: string
    region: string
    /** template ids (console: 正文模板) */
    templates: { code: string; invoiceIssued: string; invoiceReminder: string }
  }
}

// ---------------------------------------------------------------------------------------
// The schema

/** Every cloud function, as deployed (a test checks this against cloudfunctions/<name>/src). */
export const FUNCTION_NAMES = [
  'card',
  'topup',
  'payNotify',
  'reconcile',
  'profile',
  'invoice',
  'invoiceWorker',
  'aftersales',
  'staff',
  'batch',
  'ledger',
  'reminders',
] as const
export type FunctionName = (typeof FUNCTION_NAMES)[number]

/** The functions that issue invoices (provider, renderer, mailer, subscribe messages, after-sales rules). */
export const ISSUING_FUNCTIONS: readonly FunctionName[] = ['payNotify', 'reconcile', 'invoice', 'invoiceWorker', 'aftersales', 'staff', 'batch', 'reminders']
const ALL: readonly FunctionName[] = FUNCTION_NAMES
const ISSUING = ISSUING_FUNCTIONS
/** ledger (exports, statement, 验真) issues nothing but mails exports and names the seller and the window */
const MAILING: readonly FunctionName[] = [...ISSUING, 'ledger']
/** functions that talk to cloudPay: topup creates orders, reconcile queries and closes them */
const PAYING: readonly FunctionName[] = ['topup', 'reconcile']
/**
 * the top-up limits: topup and card use them, and so do the after-sales rules (an off-platform
 * top-up named in an application must lie within them): every function carries them, one set
 */
const TOPUP: readonly FunctionName[] = ALL
/** functions that hand template ids to the client (profile) or send subscribe messages */
const SUBSCRIBING: readonly FunctionName[] = ['profile', ...ISSUING]
/** functions that send SMS: profile (verification codes), the issuing ones (issued notice) and reminders */
const SMS_FUNCTIONS: readonly FunctionName[] = SUBSCRIBING

export type ConfigType =
  | { type: 'string'; pattern?: RegExp; hint?: string }
  | { type: 'int'; min: number; max?: number }
  | { type: 'number'; min: number; max: number }
  | { type: 'bool' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'intList'; min: number }
  | { type: 'url' }
  /** a subscribe template's keyword mapping: role=keyword pairs, the keyword's type fixed per role */
  | { type: 'fields'; roles: Readonly<Record<string, string>> }

export interface ConfigKey {
  key: string
  /** heading in .env.example */
  section: string
  /** the default as written in .env ('' = unset); secrets never have one */
  default: string
  spec: ConfigType
  /** the cloud functions whose environment carries this key ([] = not a function env var) */
  functions: readonly FunctionName[]
  /** cloud: a function env var (and the local cloud); local: the local cloud or tests only; deploy: `npm run deploy` */
  scope: 'cloud' | 'local' | 'deploy'
  secret?: boolean
  /** the default is an example, not real data: WeChat cloud refuses to start until it is set to another value */
  placeholder?: boolean
  /** WeChat cloud refuses to start until it is set (explicitly, even where the default is right) */
  required?: boolean
  /** one line, Chinese or English */
  description: string
}

const str = (pattern?: RegExp, hint?: string): ConfigType => ({ type: 'string', pattern, hint })
const int = (min: number, max?: number): ConfigType => ({ type: 'int', min, max })
const bool: ConfigType = { type: 'bool' }
const oneOf = (...values: string[]): ConfigType => ({ type: 'enum', values })
const url: ConfigType = { type: 'url' }

/** role -> keyword type, taken from the default mapping (title: thing, amount: amount...). */
const rolesOf = (keys: object): Record<string, string> =>
  Object.fromEntries(Object.entries(keys as Record<string, string>).map(([role, kw]) => [role, kw.replace(/\d+$/, '')]))
const fieldsDefault = (keys: object) =>
  Object.entries(keys as Record<string, string>)
    .map(([role, kw]) => `${role}=${kw}`)
    .join(',')

/** WeChat template ids: 43 URL-safe characters today; allow a little more, nothing else. */
const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,64}$/
const TAX_ID = /^[0-9A-Z]{15,20}$/
const TAX_CLASS_CODE = /^\d{19}$/

type KeyDef = Omit<ConfigKey, 'key' | 'section' | 'scope'> & { scope?: ConfigKey['scope'] }

function section(name: string, keys: Record<string, KeyDef>): ConfigKey[] {
  return Object.entries(keys).map(([key, d]) => ({ key, section: name, scope: 'cloud', ...d }))
}

export const CONFIG_SCHEMA: readonly ConfigKey[] = [
  ...section('WeChat cloud', {
    CLOUD_ENV_ID: {
      default: '',
      spec: str(/^[a-z0-9][a-z0-9-]{2,63}$/, 'a cloud environment id'),
      functions: ALL,
      description: '云开发环境 ID (WeChat cloud); unset in a function: the environment it runs in. Locally it only names fileIDs.',
    },
    PAY_SUB_MCH_ID: {
      default: '',
      spec: str(/^\d{8,12}$/, 'a WeChat Pay merchant id (digits)'),
      functions: PAYING,
      required: true,
      description: '绑定到云环境的子商户号 (cloudPay sub-merchant id, required in WeChat cloud).',
    },
    PAY_NOTIFY_FUNCTION: {
      default: 'payNotify',
      spec: str(/^[A-Za-z][A-Za-z0-9_-]{0,59}$/, 'a cloud function name'),
      functions: PAYING,
      description: 'The function cloudPay calls back.',
    },
    PAY_BODY: { default: '武汉通-充值', spec: str(/^.{1,40}$/u, '1 to 40 characters'), functions: PAYING, description: '商品描述 the payer sees.' },
  }),
  ...section('Top-up rules (money in integer fen)', {
    TOPUP_MIN_FEN: { default: '1000', spec: int(1), functions: TOPUP, description: 'Smallest top-up, in fen.' },
    TOPUP_MAX_FEN: { default: '50000', spec: int(1), functions: TOPUP, description: 'Largest top-up, in fen (>= TOPUP_MIN_FEN).' },
    TOPUP_PRESETS_FEN: {
      default: '2000,5000,10000,20000',
      spec: { type: 'intList', min: 1 },
      functions: TOPUP,
      description: 'Preset amounts offered, in fen, comma-separated, within the limits.',
    },
    ORDER_TTL_MINUTES: { default: '30', spec: int(1, 24 * 60), functions: TOPUP, description: 'An unpaid order is closed this many minutes after creation.' },
    MAX_CARDS_PER_USER: { default: '10', spec: int(1, 100), functions: TOPUP, description: 'Cards one person may bind.' },
    RECONCILE_GRACE_SECONDS: {
      default: '60',
      spec: int(0, 3600),
      functions: ['reconcile'],
      description: 'The reconcile timer queries orders still unpaid this long after creation.',
    },
  }),
  ...section('Invoices', {
    INVOICE_MAX_ORDERS: { default: '10', spec: int(1, 100), functions: ISSUING, description: 'Top-ups merged into one invoice at most.' },
    INVOICE_MAX_TOTAL_FEN: { default: '1000000', spec: int(1), functions: ISSUING, description: 'Largest invoice total, in fen.' },
    INVOICE_WINDOW_DAYS: {
      default: '365',
      spec: int(1, 3660),
      functions: [...ISSUING, 'topup', 'ledger'],
      description: 'A top-up can be invoiced within this many days of payment (topup shows the days left in 充值记录).',
    },
    MAX_TITLES_PER_USER: { default: '20', spec: int(1, 200), functions: ['profile'], description: 'Invoice titles (抬头) one person may keep.' },
    INVOICE_INLINE_WAIT_MS: {
      default: '5000',
      spec: int(0, 20000),
      functions: ISSUING,
      description: 'A request waits this long inline for the provider before leaving it to the invoiceWorker (keep well under the function timeout).',
    },
    INVOICE_HANDOFF_MS: {
      default: '100',
      spec: int(10, 5000),
      functions: ['payNotify', 'reconcile'],
      description: 'payNotify / reconcile wait this long for the invoice worker start to be handed to the platform before answering.',
    },
    INVOICE_LINK_TTL_SECONDS: { default: '600', spec: int(30, 86400), functions: ISSUING, description: 'Lifetime of the PDF/XML download links.' },
    INVOICE_RESEND_COOLDOWN_SECONDS: {
      default: '60',
      spec: int(0, 86400),
      functions: ISSUING,
      description: 'Minimum time between two e-mails of one invoice.',
    },
    INVOICE_RESEND_MAX_PER_INVOICE_PER_DAY: {
      default: '10',
      spec: int(1, 1000),
      functions: ISSUING,
      description: 'Re-sends of one invoice per day (China time), to any addresses; more are refused with INVOICE.RESEND_LIMIT.',
    },
    INVOICE_RESEND_MAX_PER_USER_PER_DAY: {
      default: '50',
      spec: int(1, 10000),
      functions: ISSUING,
      description: 'Re-sends by one person per day (China time) across all their invoices; more are refused with INVOICE.RESEND_LIMIT.',
    },
    MAIL_MAX_ATTEMPTS: { default: '10', spec: int(1, 100), functions: ISSUING, description: 'E-mail attempts before an outbox item is marked failed.' },
    INVOICE_FONT_PATH: {
      default: '',
      spec: str(),
      functions: ISSUING,
      description: 'Font for the PDF (default: the shipped Noto Sans SC subset, fonts/NotoSansSC-common.ttf.br).',
    },
    INVOICE_FALLBACK_FONT_PATH: {
      default: '',
      spec: str(),
      functions: ISSUING,
      description: 'Local file of the fallback font for rare characters (CJK Ext. B and beyond) in names (HanaMinB.ttf; local cloud: Debian fonts-hanazono).',
    },
    INVOICE_FALLBACK_FONT_FILE_IDS: {
      default: '',
      spec: str(/^(cloud:\/\/\S+(\s*,\s*cloud:\/\/\S+)*)?$/, 'comma-separated cloud:// fileIDs'),
      functions: ISSUING,
      description:
        'Cloud-storage fileIDs (comma-separated, in order) of the fallback fonts NotoSansSC-Regular.ttf and HanaMinB.ttf for names outside the shipped 通用规范汉字表 subset; downloaded on the first such name. Leave empty: npm run deploy uploads both and sets it (docs/deploy.md).',
    },
  }),
  ...section('Seller on every invoice (from the tax registration; WeChat cloud refuses the example values)', {
    SELLER_NAME: {
      default: '武汉城市一卡通有限公司',
      spec: str(/^.{2,100}$/u, '2 to 100 characters'),
      functions: MAILING,
      required: true,
      description: '销售方名称 exactly as registered (must be set in WeChat cloud).',
    },
    SELLER_TAX_ID: {
      default: '91420100MA4K0000XJ',
      spec: str(TAX_ID, '15 to 20 digits or capital letters'),
      functions: ISSUING,
      placeholder: true,
      description: '销售方纳税人识别号 (统一社会信用代码).',
    },
    SELLER_ADDRESS: { default: '武汉市江汉区建设大道 568 号', spec: str(/^.{2,100}$/u), functions: ISSUING, placeholder: true, description: '销售方地址.' },
    SELLER_PHONE: {
      default: '027-85000000',
      spec: str(/^[0-9+\-() ]{5,20}$/, 'a phone number'),
      functions: ISSUING,
      placeholder: true,
      description: '销售方电话.',
    },
    SELLER_BANK_NAME: { default: '中国工商银行武汉江汉支行', spec: str(/^.{2,100}$/u), functions: ISSUING, placeholder: true, description: '销售方开户行.' },
    SELLER_BANK_ACCOUNT: {
      default: '3202000000000000000',
      spec: str(/^[0-9 ]{6,40}$/, 'digits'),
      functions: ISSUING,
      placeholder: true,
      description: '销售方银行账号.',
    },
    INVOICE_ISSUER: { default: '系统', spec: str(/^.{1,20}$/u), functions: ISSUING, description: '开票人 printed on the invoice.' },
    INVOICE_TAX_CODE: {
      default: '6010000000000000000',
      spec: str(TAX_CLASS_CODE, '19 digits'),
      functions: ISSUING,
      description: '税收分类编码 of 预付卡销售和充值 (check with the provider).',
    },
    INVOICE_ITEM_NAME: {
      default: '*预付卡销售和充值*武汉通卡充值',
      spec: str(/^.{2,100}$/u),
      functions: ISSUING,
      description: '项目名称 of the invoice line.',
    },
    INVOICE_VERIFY_URL: { default: 'https://inv-veri.chinatax.gov.cn', spec: url, functions: ISSUING, description: '查验 site named on the invoice.' },
  }),
  ...section('E-invoice provider', {
    INVOICE_PROVIDER: {
      default: 'sandbox',
      spec: oneOf('sandbox', 'nuonuo'),
      functions: ISSUING,
      description: 'sandbox (development; in WeChat cloud only with INVOICE_ALLOW_SANDBOX=true, every document marked 测试样张) or nuonuo (诺诺开放平台).',
    },
    INVOICE_ALLOW_SANDBOX: {
      default: 'false',
      spec: bool,
      functions: ISSUING,
      description: 'Allow the sandbox provider in WeChat cloud (test environments only).',
    },
    NUONUO_BASE_URL: {
      default: 'https://sdk.nuonuo.com/open/v1/services',
      spec: url,
      functions: ISSUING,
      description: '诺诺 gateway (sandbox: https://sandbox.nuonuocs.cn/open/v1/services).',
    },
    NUONUO_APP_KEY: { default: '', spec: str(/^\S{1,64}$/), functions: ISSUING, description: '诺诺 appKey (required with INVOICE_PROVIDER=nuonuo).' },
    NUONUO_APP_SECRET: { default: '', spec: str(/^\S{1,128}$/), functions: ISSUING, secret: true, description: '诺诺 appSecret (signs every request).' },
    NUONUO_ACCESS_TOKEN: {
      default: '',
      spec: str(/^\S{1,256}$/),
      functions: ISSUING,
      secret: true,
      description: '诺诺 accessToken of the 自用型 app or the merchant authorisation.',
    },
    NUONUO_USER_TAX_NUM: {
      default: '',
      spec: str(TAX_ID),
      functions: ISSUING,
      description: "The seller's tax number the token belongs to (default: SELLER_TAX_ID).",
    },
    NUONUO_CLERK: {
      default: '',
      spec: str(/^.{1,20}$/u),
      functions: ISSUING,
      description: '开票员 as registered at the tax bureau (default: INVOICE_ISSUER).',
    },
    NUONUO_EXTENSION_NUMBER: {
      default: '',
      spec: str(/^\d{0,10}$/, 'digits'),
      functions: ISSUING,
      description: '分机号 of the tax device / 数电 account, empty when none.',
    },
    NUONUO_TIMEOUT_MS: {
      default: '8000',
      spec: int(100, 55000),
      functions: ISSUING,
      description: 'A request to the gateway is abandoned after this long (then retried by the worker).',
    },
    PROVIDER_SANDBOX_LATENCY_MS: {
      default: '800',
      spec: int(0, 60000),
      functions: ISSUING,
      description: 'Sandbox provider: time until an issue request completes.',
    },
    PROVIDER_SANDBOX_FAILURE_RATE: {
      default: '0',
      spec: { type: 'number', min: 0, max: 1 },
      functions: ISSUING,
      description: 'Sandbox provider: share of issue requests that fail (0 to 1).',
    },
    PROVIDER_SANDBOX_BUYER_DECISION: {
      default: 'wait',
      spec: oneOf('wait', 'confirm', 'refuse'),
      functions: ISSUING,
      description: 'Sandbox provider: what an enterprise buyer does with a red-letter form it must confirm.',
    },
  }),
  ...section('E-mail (WeChat cloud: your SMTP service; locally the capture server is used)', {
    SMTP_HOST: {
      default: '',
      spec: str(/^[A-Za-z0-9.-]{1,253}$/, 'a host name'),
      functions: MAILING,
      required: true,
      description: 'SMTP server (required in WeChat cloud: outbound port must be reachable).',
    },
    SMTP_PORT: { default: '', spec: int(1, 65535), functions: MAILING, description: 'SMTP port (default 465 when SMTP_SECURE, else 587).' },
    SMTP_SECURE: { default: '', spec: bool, functions: MAILING, description: 'Implicit TLS (default: true when the port is 465; else STARTTLS).' },
    SMTP_USER: { default: '', spec: str(), functions: MAILING, description: 'SMTP user name.' },
    SMTP_PASS: { default: '', spec: str(), functions: MAILING, secret: true, description: 'SMTP password or authorisation code.' },
    MAIL_FROM: {
      default: '武汉通电子发票 <invoice@wuhantong.local>',
      spec: str(/@[^@\s>]+\.?[^@\s>]*>?\s*$/, 'an e-mail address'),
      functions: MAILING,
      description: 'Sender of invoice and notice e-mails (use a domain your SMTP service may send for).',
    },
  }),
  ...section('Subscribe messages (template ids and keyword mapping from the mini-program console)', {
    SUBSCRIBE_TEMPLATE_INVOICE_ISSUED: {
      default: '',
      spec: str(TEMPLATE_ID, 'a template id'),
      functions: SUBSCRIBING,
      description: '发票开具成功通知 template id.',
    },
    SUBSCRIBE_TEMPLATE_INVOICE_FAILED: {
      default: '',
      spec: str(TEMPLATE_ID, 'a template id'),
      functions: SUBSCRIBING,
      description: '发票开具失败通知 template id.',
    },
    SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE: {
      default: '',
      spec: str(TEMPLATE_ID, 'a template id'),
      functions: SUBSCRIBING,
      description: '售后进度通知 template id.',
    },
    SUBSCRIBE_TEMPLATE_INVOICE_REMINDER: {
      default: '',
      spec: str(TEMPLATE_ID, 'a template id'),
      functions: SUBSCRIBING,
      description: '开票提醒 template id (the reminders timer: un-invoiced top-ups 30 and 7 days before the window closes).',
    },
    SUBSCRIBE_FIELDS_INVOICE_ISSUED: {
      default: fieldsDefault(INVOICE_ISSUED_KEYS),
      spec: { type: 'fields', roles: rolesOf(INVOICE_ISSUED_KEYS) },
      functions: ISSUING,
      description:
        '发票开具成功通知 keywords: our field=the template keyword (title a thing, amount an amount, invoiceNo a character_string, issuedAt a time, hint a thing).',
    },
    SUBSCRIBE_FIELDS_INVOICE_FAILED: {
      default: fieldsDefault(INVOICE_FAILED_KEYS),
      spec: { type: 'fields', roles: rolesOf(INVOICE_FAILED_KEYS) },
      functions: ISSUING,
      description: '发票开具失败通知 keywords (title thing, amount amount, status phrase, requestedAt time, reason thing).',
    },
    SUBSCRIBE_FIELDS_AFTERSALES_UPDATE: {
      default: fieldsDefault(AFTER_SALES_UPDATE_KEYS),
      spec: { type: 'fields', roles: rolesOf(AFTER_SALES_UPDATE_KEYS) },
      functions: ISSUING,
      description: '售后进度通知 keywords (kind thing, status phrase, updatedAt time, text thing).',
    },
    SUBSCRIBE_FIELDS_INVOICE_REMINDER: {
      default: fieldsDefault(INVOICE_REMINDER_KEYS),
      spec: { type: 'fields', roles: rolesOf(INVOICE_REMINDER_KEYS) },
      functions: ISSUING,
      description: '开票提醒 keywords (what thing, amount amount, deadline time, hint thing).',
    },
    SUBSCRIBE_STATE: {
      default: 'formal',
      spec: oneOf('formal', 'trial', 'developer'),
      functions: ISSUING,
      description: 'miniprogramState of subscribeMessage.send.',
    },
  }),
  ...section('SMS (短信: notices for people without e-mail, phone verification)', {
    SMS_PROVIDER: {
      default: 'off',
      spec: oneOf('off', 'tencent'),
      functions: SMS_FUNCTIONS,
      description: 'off: no SMS (the opt-in is hidden); tencent: Tencent Cloud SMS. The local cloud captures SMS on /dev/sms whatever this says.',
    },
    TENCENT_SMS_SECRET_ID: {
      default: '',
      spec: str(/^[A-Za-z0-9]{8,64}$/, 'a SecretId'),
      functions: SMS_FUNCTIONS,
      description: 'Tencent Cloud API SecretId (a sub-account allowed only sms:SendSms).',
    },
    TENCENT_SMS_SECRET_KEY: {
      default: '',
      spec: str(),
      functions: SMS_FUNCTIONS,
      secret: true,
      description: 'Tencent Cloud API SecretKey.',
    },
    TENCENT_SMS_SDK_APP_ID: {
      default: '',
      spec: str(/^\d{6,12}$/, 'an SmsSdkAppId (digits)'),
      functions: SMS_FUNCTIONS,
      description: 'SmsSdkAppId of the SMS application.',
    },
    TENCENT_SMS_SIGN_NAME: {
      default: '武汉通',
      spec: str(/^.{2,12}$/u, '2-12 characters'),
      functions: SMS_FUNCTIONS,
      description: '短信签名 approved in the console.',
    },
    TENCENT_SMS_REGION: {
      default: 'ap-guangzhou',
      spec: oneOf('ap-guangzhou', 'ap-beijing', 'ap-nanjing'),
      functions: SMS_FUNCTIONS,
      description: 'X-TC-Region of SendSms.',
    },
    SMS_TEMPLATE_CODE: {
      default: '',
      spec: str(/^\d{1,12}$/, 'a template id (digits)'),
      functions: SMS_FUNCTIONS,
      description: '验证码 template: {1} the 6-digit code, {2} minutes valid.',
    },
    SMS_TEMPLATE_INVOICE_ISSUED: {
      default: '',
      spec: str(/^\d{1,12}$/, 'a template id (digits)'),
      functions: SMS_FUNCTIONS,
      description: '发票已开具 template: {1} invoice number, {2} amount.',
    },
    SMS_TEMPLATE_INVOICE_REMINDER: {
      default: '',
      spec: str(/^\d{1,12}$/, 'a template id (digits)'),
      functions: SMS_FUNCTIONS,
      description: '开票提醒 template: {1} count, {2} days left.',
    },
  }),
  ...section('Customer service (shown to citizens in 关于 and 帮助与客服)', {
    SUPPORT_PHONE: {
      default: '027-85000000',
      spec: str(/^[0-9+\-() ]{5,20}$/, 'a phone number'),
      functions: ['profile'],
      description: '客服电话 shown in the app (关于, 帮助与客服); tap to call. Set your own before going live.',
    },
    SUPPORT_HOURS: {
      default: '工作日 9:00-18:00',
      spec: str(/^[^<>\n]{2,40}$/u, '2 to 40 characters, plain text'),
      functions: ['profile'],
      description: '客服服务时间 shown next to the phone.',
    },
  }),
  ...section('After-sales (换开, applications, paper copies, tickets)', {
    CORRECTION_MAX_PER_INVOICE: {
      default: '1',
      spec: int(0, 10),
      functions: ISSUING,
      description: 'Self-service 换开 per invoice chain; beyond it the person applies and staff review.',
    },
    CORRECTION_WINDOW_DAYS: {
      default: '365',
      spec: int(1, 3660),
      functions: ISSUING,
      description: "Self-service 换开 within this many days of the original's issue date.",
    },
    RED_CONFIRM_HOURS: {
      default: '72',
      spec: int(1, 720),
      functions: ISSUING,
      description: 'An enterprise buyer must confirm a red-letter form within this many hours.',
    },
    AFTERSALES_MAX_PHOTOS: { default: '3', spec: int(0, 9), functions: ISSUING, description: 'Photos per application or ticket message.' },
    AFTERSALES_PHOTO_MAX_BYTES: { default: '5242880', spec: int(1024, 20 * 1024 * 1024), functions: ISSUING, description: 'Bytes per photo.' },
    AFTERSALES_MAX_OPEN_APPLICATIONS: { default: '10', spec: int(1, 100), functions: ISSUING, description: 'Open applications per person.' },
  }),
  ...section('Enterprises and batch invoicing (企业批量开票)', {
    ENTERPRISE_MAX_CARDS: {
      default: '200',
      spec: int(1, 1000),
      functions: ['card'],
      description: 'Cards a person who keeps an enterprise title (抬头 with a taxpayer ID) may bind; others: MAX_CARDS_PER_USER.',
    },
    BATCH_CHUNK_INVOICES: {
      default: '20',
      spec: int(1, 200),
      functions: ['batch'],
      description: 'Invoices a batch job requests per chunk; a cancel takes effect before the next chunk.',
    },
    BATCH_RUN_BUDGET_MS: {
      default: '30000',
      spec: int(1000, 55000),
      functions: ['batch'],
      description:
        'A run of the batch worker starts no new chunk after this long; a chunk may take BATCH_CHUNK_INVOICES / BATCH_ISSUE_CONCURRENCY x INVOICE_INLINE_WAIT_MS more, so keep the sum under the 60 s function timeout.',
    },
    BATCH_ISSUE_CONCURRENCY: { default: '4', spec: int(1, 16), functions: ['batch'], description: 'Invoices of a chunk issued at the same time.' },
    BATCH_MAX_ORDERS: { default: '20000', spec: int(1, 100000), functions: ['batch'], description: 'Top-ups one batch may cover at most.' },
  }),
  ...section('Exports, statement and 验真', {
    EXPORT_MAX_INVOICES: { default: '2000', spec: int(1, 20000), functions: ['ledger'], description: 'Invoices one export (ZIP + ledger) may hold.' },
    EXPORT_ATTACH_MAX_BYTES: {
      default: '10485760',
      spec: int(0, 50 * 1024 * 1024),
      functions: ['ledger'],
      description: 'An export ZIP up to this size is attached to the e-mail; a bigger one is e-mailed as a download link.',
    },
    EXPORT_LINK_TTL_SECONDS: { default: '3600', spec: int(60, 86400), functions: ['ledger'], description: 'Lifetime of the export download link.' },
    VERIFY_MAX_PER_WINDOW: { default: '30', spec: int(1, 10000), functions: ['ledger'], description: '验真 checks one person may make per window.' },
    VERIFY_WINDOW_SECONDS: { default: '3600', spec: int(60, 86400), functions: ['ledger'], description: 'The 验真 rate-limit window, in seconds.' },
  }),
  ...section('Local cloud and tests only (never deployed)', {
    LOCAL_SMTP_PORT: { default: '0', spec: int(0, 65535), functions: [], scope: 'local', description: 'Port of the SMTP capture server (0: any free port).' },
    LOCAL_CLOUD_HOST: { default: '127.0.0.1', spec: str(), functions: [], scope: 'local', description: 'Address the local cloud listens on.' },
    LOCAL_CLOUD_PORT: { default: '8787', spec: int(0, 65535), functions: [], scope: 'local', description: 'Port of the local cloud.' },
    LOCAL_CLOUD_DATA_DIR: {
      default: '.data',
      spec: str(),
      functions: [],
      scope: 'local',
      description: 'Where the local cloud keeps its SQLite files and storage.',
    },
    LOCAL_SESSION_TTL_HOURS: {
      default: '168',
      spec: int(1, 24 * 365 * 20),
      functions: [],
      scope: 'local',
      description: 'A local sign-in (the stand-in for the WeChat identity) lasts this many hours; POST /auth/logout ends it at once.',
    },
    LOCAL_CLOUD_ALLOW_DEV_REMOTE: {
      default: 'false',
      spec: bool,
      functions: [],
      scope: 'local',
      description:
        'Serve /dev/* and /sandbox/* even when LOCAL_CLOUD_HOST is not a loopback address (otherwise 403): they let anyone pay and sign in as anyone.',
    },
    PAY_SANDBOX_DELIVERY: {
      default: 'once',
      spec: oneOf('once', 'twice', 'late', 'never'),
      functions: [],
      scope: 'local',
      description: 'How the cloud-pay sandbox delivers the callback.',
    },
    PAY_SANDBOX_LATE_MS: { default: '5000', spec: int(0, 600000), functions: [], scope: 'local', description: 'Delay of a late callback.' },
    LOCAL_NUONUO_STUB: {
      default: 'false',
      spec: bool,
      functions: [],
      scope: 'local',
      description: 'Run a local stand-in of 诺诺开放平台 beside the local cloud (with INVOICE_PROVIDER=nuonuo).',
    },
    LOCAL_NUONUO_STUB_PORT: { default: '0', spec: int(0, 65535), functions: [], scope: 'local', description: 'Port of the 诺诺 stub (0: any free port).' },
    LOCAL_NUONUO_STUB_ISSUING_MS: {
      default: '800',
      spec: int(0, 600000),
      functions: [],
      scope: 'local',
      description: '诺诺 stub: time an invoice stays 开票中 (20).',
    },
    LOCAL_NUONUO_STUB_SIGNING_MS: {
      default: '400',
      spec: int(0, 600000),
      functions: [],
      scope: 'local',
      description: '诺诺 stub: time an invoice stays 签章中 (21).',
    },
    LOCAL_BACKUP_CRON: {
      default: '0 30 3 * * * *',
      spec: str(/^(off|\S+( \S+){6})$/, "a 7-field cron (second minute hour day month week year, UTC+8) or 'off'"),
      functions: [],
      scope: 'local',
      description:
        "When the local cloud (npm start / npm run dev) snapshots its data dir like npm run backup: a 7-field cron in UTC+8 (default daily 03:30), or 'off'.",
    },
    LOCAL_BACKUP_DIR: {
      default: '.backups',
      spec: str(),
      functions: [],
      scope: 'local',
      description: "Where the local cloud's daily backup writes its snapshots (relative to the repository).",
    },
    LOCAL_BACKUP_KEEP: {
      default: '7',
      spec: int(1, 365),
      functions: [],
      scope: 'local',
      description: 'How many of the daily snapshots in LOCAL_BACKUP_DIR are kept (older ones are removed after each backup).',
    },
    LOG_FILE: {
      default: '',
      spec: str(),
      functions: [],
      scope: 'local',
      description: 'Write the JSON log lines to this file instead of standard output (the test run sets it).',
    },
  }),
  ...section('Deploy (`npm run deploy`, `npm run deploy:check`; never sent to a function)', {
    TENCENTCLOUD_SECRETID: {
      default: '',
      spec: str(/^\S+$/),
      functions: [],
      scope: 'deploy',
      secret: true,
      description: 'API key id of a sub-account allowed to manage the environment (CAM).',
    },
    TENCENTCLOUD_SECRETKEY: {
      default: '',
      spec: str(/^\S+$/),
      functions: [],
      scope: 'deploy',
      secret: true,
      description: 'API key secret of that sub-account.',
    },
    TENCENTCLOUD_SESSIONTOKEN: {
      default: '',
      spec: str(/^\S+$/),
      functions: [],
      scope: 'deploy',
      secret: true,
      description: 'Session token, when the key is temporary (STS).',
    },
    STAFF_OPERATOR: {
      default: '',
      spec: str(),
      functions: [],
      scope: 'deploy',
      description: 'Who runs `npm run staff` (the operator the audit trail names; --operator overrides it). Required by the staff CLI.',
    },
    LOCAL_CLOUD_URL: {
      default: 'http://127.0.0.1:8787',
      spec: str(/^https?:\/\/\S+$/, 'an http(s) URL'),
      functions: [],
      scope: 'deploy',
      description: 'The local cloud `npm run staff` talks to (without --cloud).',
    },
    WX_APP_ID: {
      default: '',
      spec: str(/^wx[0-9a-f]{16}$/, 'a mini-program AppID (wx + 16 hex)'),
      functions: [],
      scope: 'deploy',
      description: "The mini-program's AppID (WeChat cloud environments need it to read and write database security rules).",
    },
  }),
]

// ---------------------------------------------------------------------------------------
// Reading

type Env = Record<string, string | undefined>

const BY_KEY = new Map(CONFIG_SCHEMA.map((k) => [k.key, k]))

export function configKey(key: string): ConfigKey {
  const spec = BY_KEY.get(key)
  if (!spec) throw new Error(`config ${key} is not in the schema`)
  return spec
}

const TRUE = ['true', '1', 'yes']
const FALSE = ['false', '0', 'no']

/**
 * Checks one raw value against its key's rule; null when it is fine, else why not. An empty
 * value is always fine (it means "the default").
 */
export function checkValue(k: ConfigKey, raw: string): string | null {
  const v = raw.trim()
  if (v === '') return null
  const s = k.spec
  switch (s.type) {
    case 'string':
      return s.pattern && !s.pattern.test(v) ? `must be ${s.hint ?? `like ${String(s.pattern)}`}` : null
    case 'int': {
      const n = Number(v)
      if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < s.min || (s.max !== undefined && n > s.max))
        return `must be an integer >= ${s.min}${s.max !== undefined ? ` and <= ${s.max}` : ''}`
      return null
    }
    case 'number': {
      const n = Number(v)
      return Number.isFinite(n) && n >= s.min && n <= s.max ? null : `must be a number from ${s.min} to ${s.max}`
    }
    case 'bool':
      return TRUE.includes(v.toLowerCase()) || FALSE.includes(v.toLowerCase()) ? null : 'must be true or false'
    case 'enum':
      return s.values.includes(v) ? null : `must be ${s.values.slice(0, -1).join(', ')} or ${s.values[s.values.length - 1]}`
    case 'intList': {
      const list = v.split(',').map((p) => p.trim())
      return list.every((p) => /^\d+$/.test(p) && Number.isSafeInteger(Number(p)) && Number(p) >= s.min) ? null : 'must be a list of positive integers'
    }
    case 'url':
      try {
        const u = new URL(v)
        return u.protocol === 'https:' || u.protocol === 'http:' ? null : 'must be an http(s) URL'
      } catch {
        return 'must be an http(s) URL'
      }
    case 'fields':
      return checkFields(s.roles, v)
  }
}

const KEYWORD = /^([a-z_]+?)(\d{1,2})$/

/** "title=thing1,amount=amount2": every role once, each keyword of the role's type, none twice. */
function checkFields(roles: Readonly<Record<string, string>>, v: string): string | null {
  const seenRoles = new Set<string>()
  const seenKeywords = new Set<string>()
  for (const pair of v.split(',')) {
    const [role, keyword, extra] = pair.split('=').map((p) => p.trim())
    if (!role || !keyword || extra !== undefined) return 'must be role=keyword pairs separated by commas'
    if (!Object.prototype.hasOwnProperty.call(roles, role)) return `names an unknown field ${role} (known: ${Object.keys(roles).join(', ')})`
    const m = KEYWORD.exec(keyword)
    if (!m || m[1] !== roles[role]) return `maps ${role} to ${keyword}: it must be a ${roles[role]} keyword (${roles[role]}1, ${roles[role]}2...)`
    if (seenRoles.has(role)) return `names ${role} twice`
    if (seenKeywords.has(keyword)) return `uses ${keyword} twice`
    seenRoles.add(role)
    seenKeywords.add(keyword)
  }
  const missing = Object.keys(roles).filter((r) => !seenRoles.has(r))
  return missing.length ? `misses ${missing.join(', ')}` : null
}

/** The raw value of a key: the environment's, or the default when unset or empty; validated. */
function raw(env: Env, key: string): string {
  const k = configKey(key)
  const v = (env[key] ?? '').trim()
  if (v === '') return k.default
  const problem = checkValue(k, v)
  if (problem) throw new Error(`config ${key} ${problem}`)
  return v
}

const readStr = (env: Env, key: string) => raw(env, key)
const readInt = (env: Env, key: string) => Number(raw(env, key))
const readNum = (env: Env, key: string) => Number(raw(env, key))
const readBool = (env: Env, key: string) => TRUE.includes(raw(env, key).toLowerCase())
const readList = (env: Env, key: string) =>
  raw(env, key)
    .split(',')
    .map((p) => Number(p.trim()))
function readFields<T>(env: Env, key: string): T {
  return Object.fromEntries(
    raw(env, key)
      .split(',')
      .map((p) => p.split('=').map((s) => s.trim())),
  ) as T
}

/**
 * Reads and validates the whole configuration. Throws `config <KEY> ...` on the first bad
 * value: a function that cannot read its configuration must not start.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  // every key of the schema that is set is validated, also those read elsewhere (SMTP_*, LOCAL_*)
  for (const k of CONFIG_SCHEMA) if (k.scope !== 'deploy') raw(env, k.key)
  const minFen = readInt(env, 'TOPUP_MIN_FEN')
  const maxFen = readInt(env, 'TOPUP_MAX_FEN')
  if (maxFen < minFen) throw new Error('config TOPUP_MAX_FEN must be >= TOPUP_MIN_FEN')
  const presetsFen = readList(env, 'TOPUP_PRESETS_FEN')
  if (presetsFen.some((p) => p < minFen || p > maxFen)) throw new Error('config TOPUP_PRESETS_FEN must lie within the limits')
  const sellerTaxId = readStr(env, 'SELLER_TAX_ID')
  const issuer = readStr(env, 'INVOICE_ISSUER')
  return {
    topup: {
      presetsFen,
      minFen,
      maxFen,
      orderTtlMinutes: readInt(env, 'ORDER_TTL_MINUTES'),
      maxCardsPerUser: readInt(env, 'MAX_CARDS_PER_USER'),
    },
    reconcileGraceSeconds: readInt(env, 'RECONCILE_GRACE_SECONDS'),
    ledger: {
      exportMaxInvoices: readInt(env, 'EXPORT_MAX_INVOICES'),
      exportAttachMaxBytes: readInt(env, 'EXPORT_ATTACH_MAX_BYTES'),
      exportLinkTtlSeconds: readInt(env, 'EXPORT_LINK_TTL_SECONDS'),
      verifyMaxPerWindow: readInt(env, 'VERIFY_MAX_PER_WINDOW'),
      verifyWindowSeconds: readInt(env, 'VERIFY_WINDOW_SECONDS'),
    },
    enterprise: {
      maxCardsPerUser: readInt(env, 'ENTERPRISE_MAX_CARDS'),
      batch: {
        chunkInvoices: readInt(env, 'BATCH_CHUNK_INVOICES'),
        runBudgetMs: readInt(env, 'BATCH_RUN_BUDGET_MS'),
        issueConcurrency: readInt(env, 'BATCH_ISSUE_CONCURRENCY'),
        maxOrders: readInt(env, 'BATCH_MAX_ORDERS'),
      },
    },
    pay: {
      notifyFunction: readStr(env, 'PAY_NOTIFY_FUNCTION'),
      subMchId: readStr(env, 'PAY_SUB_MCH_ID'),
      envId: readStr(env, 'CLOUD_ENV_ID'),
      body: readStr(env, 'PAY_BODY'),
    },
    invoice: {
      caps: {
        maxOrders: readInt(env, 'INVOICE_MAX_ORDERS'),
        maxTotalFen: readInt(env, 'INVOICE_MAX_TOTAL_FEN'),
        windowDays: readInt(env, 'INVOICE_WINDOW_DAYS'),
      },
      seller: {
        name: readStr(env, 'SELLER_NAME'),
        taxId: sellerTaxId,
        address: readStr(env, 'SELLER_ADDRESS'),
        phone: readStr(env, 'SELLER_PHONE'),
        bankName: readStr(env, 'SELLER_BANK_NAME'),
        bankAccount: readStr(env, 'SELLER_BANK_ACCOUNT'),
        issuer,
        taxCode: readStr(env, 'INVOICE_TAX_CODE'),
        itemName: readStr(env, 'INVOICE_ITEM_NAME'),
        verifyBaseUrl: readStr(env, 'INVOICE_VERIFY_URL'),
      },
      maxTitlesPerUser: readInt(env, 'MAX_TITLES_PER_USER'),
      inlineWaitMs: readInt(env, 'INVOICE_INLINE_WAIT_MS'),
      handOffMs: readInt(env, 'INVOICE_HANDOFF_MS'),
      linkTtlSeconds: readInt(env, 'INVOICE_LINK_TTL_SECONDS'),
      resendCooldownSeconds: readInt(env, 'INVOICE_RESEND_COOLDOWN_SECONDS'),
      resendMaxPerInvoicePerDay: readInt(env, 'INVOICE_RESEND_MAX_PER_INVOICE_PER_DAY'),
      resendMaxPerUserPerDay: readInt(env, 'INVOICE_RESEND_MAX_PER_USER_PER_DAY'),
      mailMaxAttempts: readInt(env, 'MAIL_MAX_ATTEMPTS'),
    },
    provider: {
      kind: readStr(env, 'INVOICE_PROVIDER') as 'sandbox' | 'nuonuo',
      allowSandboxInCloud: readBool(env, 'INVOICE_ALLOW_SANDBOX'),
      nuonuo: {
        baseUrl: readStr(env, 'NUONUO_BASE_URL'),
        appKey: readStr(env, 'NUONUO_APP_KEY'),
        appSecret: readStr(env, 'NUONUO_APP_SECRET'),
        accessToken: readStr(env, 'NUONUO_ACCESS_TOKEN'),
        userTaxNum: readStr(env, 'NUONUO_USER_TAX_NUM') || sellerTaxId,
        clerk: readStr(env, 'NUONUO_CLERK') || issuer,
        extensionNumber: readStr(env, 'NUONUO_EXTENSION_NUMBER'),
        timeoutMs: readInt(env, 'NUONUO_TIMEOUT_MS'),
      },
      sandbox: {
        latencyMs: readInt(env, 'PROVIDER_SANDBOX_LATENCY_MS'),
        failureRate: readNum(env, 'PROVIDER_SANDBOX_FAILURE_RATE'),
        buyerDecision: readStr(env, 'PROVIDER_SANDBOX_BUYER_DECISION') as 'wait' | 'confirm' | 'refuse',
      },
    },
    support: {
      phone: readStr(env, 'SUPPORT_PHONE'),
      hours: readStr(env, 'SUPPORT_HOURS'),
    },
    afterSales: {
      correctionMaxPerInvoice: readInt(env, 'CORRECTION_MAX_PER_INVOICE'),
      correctionWindowDays: readInt(env, 'CORRECTION_WINDOW_DAYS'),
      redConfirmHours: readInt(env, 'RED_CONFIRM_HOURS'),
      maxPhotos: readInt(env, 'AFTERSALES_MAX_PHOTOS'),
      photoMaxBytes: readInt(env, 'AFTERSALES_PHOTO_MAX_BYTES'),
      maxOpenApplications: readInt(env, 'AFTERSALES_MAX_OPEN_APPLICATIONS'),
    },
    subscribe: {
      templates: {
        invoiceIssued: readStr(env, 'SUBSCRIBE_TEMPLATE_INVOICE_ISSUED'),
        invoiceFailed: readStr(env, 'SUBSCRIBE_TEMPLATE_INVOICE_FAILED'),
        afterSalesUpdate: readStr(env, 'SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE'),
        invoiceReminder: readStr(env, 'SUBSCRIBE_TEMPLATE_INVOICE_REMINDER'),
      },
      state: readStr(env, 'SUBSCRIBE_STATE'),
      fields: {
        invoiceIssued: readFields<InvoiceIssuedKeys>(env, 'SUBSCRIBE_FIELDS_INVOICE_ISSUED'),
        invoiceFailed: readFields<InvoiceFailedKeys>(env, 'SUBSCRIBE_FIELDS_INVOICE_FAILED'),
        afterSalesUpdate: readFields<AfterSalesUpdateKeys>(env, 'SUBSCRIBE_FIELDS_AFTERSALES_UPDATE'),
        invoiceReminder: readFields<InvoiceReminderKeys>(env, 'SUBSCRIBE_FIELDS_INVOICE_REMINDER'),
      },
    },
    sms: {
      provider: readStr(env, 'SMS_PROVIDER') === 'tencent' ? 'tencent' : 'off',
      secretId: readStr(env, 'TENCENT_SMS_SECRET_ID'),
      secretKey: readStr(env, 'TENCENT_SMS_SECRET_KEY'),
      sdkAppId: readStr(env, 'TENCENT_SMS_SDK_APP_ID'),
      signName: readStr(env, 'TENCENT_SMS_SIGN_NAME'),
      region: readStr(env, 'TENCENT_SMS_REGION'),
      templates: {
        code: readStr(env, 'SMS_TEMPLATE_CODE'),
        invoiceIssued: readStr(env, 'SMS_TEMPLATE_INVOICE_ISSUED'),
        invoiceReminder: readStr(env, 'SMS_TEMPLATE_INVOICE_REMINDER'),
      },
    },
  }
}

// ---------------------------------------------------------------------------------------
// Readiness for WeChat cloud

export interface ConfigProblem {
  key: string
  /** error: the function must not run so; warning: it runs, with a feature off */
  level: 'error' | 'warning'
  message: string
}

const isSet = (env: Env, key: string) => (env[key] ?? '').trim() !== ''

/**
 * What keeps `fn` from running correctly in WeChat cloud with this environment: invalid values,
 * seller data still the example values, a provider without its credentials, the sandbox without
 * the explicit allowance, no SMTP server, no sub-merchant. Only keys `fn` carries are judged.
 * Used by `npm run deploy` before it deploys anything, and by a function at start.
 */
export function deploymentProblems(env: Env, fn: FunctionName): ConfigProblem[] {
  const out: ConfigProblem[] = []
  const mine = CONFIG_SCHEMA.filter((k) => k.functions.includes(fn))
  const has = (key: string) => mine.some((k) => k.key === key)
  let invalid = false
  for (const k of mine) {
    const problem = checkValue(k, env[k.key] ?? '')
    if (problem) {
      invalid = true
      out.push({ key: k.key, level: 'error', message: `${k.key} ${problem}` })
    } else if (k.placeholder && (!isSet(env, k.key) || (env[k.key] ?? '').trim() === k.default))
      out.push({ key: k.key, level: 'error', message: `${k.key} is still the example value: set the registered data` })
    else if (k.required && !isSet(env, k.key)) out.push({ key: k.key, level: 'error', message: `${k.key} is required in WeChat cloud: ${k.description}` })
  }
  // an invalid value is reported once, above; the cross-key rules need valid values
  if (invalid) return out
  try {
    loadConfig(env)
  } catch (e) {
    return [...out, { key: /config (\w+)/.exec((e as Error).message)?.[1] ?? '', level: 'error', message: (e as Error).message }]
  }
  const provider = (env.INVOICE_PROVIDER ?? '').trim() || 'sandbox'
  if (has('INVOICE_PROVIDER')) {
    if (provider === 'sandbox' && !readBool(env, 'INVOICE_ALLOW_SANDBOX'))
      out.push({
        key: 'INVOICE_PROVIDER',
        level: 'error',
        message: 'INVOICE_PROVIDER is sandbox: set nuonuo, or INVOICE_ALLOW_SANDBOX=true for a test environment',
      })
    if (provider === 'nuonuo')
      for (const key of ['NUONUO_APP_KEY', 'NUONUO_APP_SECRET', 'NUONUO_ACCESS_TOKEN'])
        if (!isSet(env, key)) out.push({ key, level: 'error', message: `${key} is required with INVOICE_PROVIDER=nuonuo` })
  }
  if (has('SMS_PROVIDER') && (env.SMS_PROVIDER ?? '').trim() === 'tencent')
    for (const key of [
      'TENCENT_SMS_SECRET_ID',
      'TENCENT_SMS_SECRET_KEY',
      'TENCENT_SMS_SDK_APP_ID',
      'SMS_TEMPLATE_CODE',
      'SMS_TEMPLATE_INVOICE_ISSUED',
      'SMS_TEMPLATE_INVOICE_REMINDER',
    ])
      if (!isSet(env, key)) out.push({ key, level: 'error', message: `${key} is required with SMS_PROVIDER=tencent` })
  if (has('SMTP_USER') && isSet(env, 'SMTP_USER') && !isSet(env, 'SMTP_PASS'))
    out.push({ key: 'SMTP_PASS', level: 'error', message: 'SMTP_PASS is required with SMTP_USER' })
  for (const key of [
    'SUBSCRIBE_TEMPLATE_INVOICE_ISSUED',
    'SUBSCRIBE_TEMPLATE_INVOICE_FAILED',
    'SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE',
    'SUBSCRIBE_TEMPLATE_INVOICE_REMINDER',
  ])
    if (has(key) && !isSet(env, key)) out.push({ key, level: 'warning', message: `${key} is not set: that notice is never sent` })
  // the bundles ship the 通用规范汉字表 subset only (adapters/documents/font.ts)
  if (has('INVOICE_FALLBACK_FONT_FILE_IDS') && !isSet(env, 'INVOICE_FALLBACK_FONT_FILE_IDS') && !isSet(env, 'INVOICE_FALLBACK_FONT_PATH'))
    out.push({
      key: 'INVOICE_FALLBACK_FONT_FILE_IDS',
      level: 'warning',
      message: 'INVOICE_FALLBACK_FONT_FILE_IDS is not set: an invoice for a name outside 通用规范汉字表 (生僻字) fails to render (docs/deploy.md)',
    })
  return out
}

/** The keys a function's environment carries, in schema order. */
export function functionKeys(fn: FunctionName): ConfigKey[] {
  return CONFIG_SCHEMA.filter((k) => k.scope === 'cloud' && k.functions.includes(fn))
}
