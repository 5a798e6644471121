import type { InvoiceCaps, TemplateKey, TopupConfig } from '../../types/domain'
import type { SellerConfig } from './domain/invoice'

/**
 * Typed configuration from the environment (.env.example documents every key). The same
 * keys are set as a function's environment variables in WeChat cloud.
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
    /** lifetime of the PDF/XML links minted for the owner */
    linkTtlSeconds: number
    resendCooldownSeconds: number
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
  subscribe: {
    templates: Record<TemplateKey, string>
    /** miniprogramState of subscribeMessage.send: formal | trial | developer */
    state: string
  }
}

type Env = Record<string, string | undefined>

function int(env: Env, key: string, fallback: number, min = 0): number {
  const raw = env[key]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`config ${key} must be an integer >= ${min}`)
  return n
}

function intList(env: Env, key: string, fallback: number[]): number[] {
  const raw = env[key]
  if (!raw) return fallback
  const list = raw.split(',').map((s) => Number(s.trim()))
  if (list.some((n) => !Number.isSafeInteger(n) || n <= 0)) throw new Error(`config ${key} must be a list of positive integers`)
  return list
}

function providerKind(raw: string | undefined): 'sandbox' | 'nuonuo' {
  const v = (raw ?? '').trim() || 'sandbox'
  if (v !== 'sandbox' && v !== 'nuonuo') throw new Error('config INVOICE_PROVIDER must be sandbox or nuonuo')
  return v
}

export function loadConfig(env: Env = process.env): AppConfig {
  const minFen = int(env, 'TOPUP_MIN_FEN', 1000, 1)
  const maxFen = int(env, 'TOPUP_MAX_FEN', 50000, 1)
  if (maxFen < minFen) throw new Error('config TOPUP_MAX_FEN must be >= TOPUP_MIN_FEN')
  const presetsFen = intList(env, 'TOPUP_PRESETS_FEN', [2000, 5000, 10000, 20000])
  if (presetsFen.some((p) => p < minFen || p > maxFen)) throw new Error('config TOPUP_PRESETS_FEN must lie within the limits')
  return {
    topup: {
      presetsFen,
      minFen,
      maxFen,
      orderTtlMinutes: int(env, 'ORDER_TTL_MINUTES', 30, 1),
      maxCardsPerUser: int(env, 'MAX_CARDS_PER_USER', 10, 1),
    },
    reconcileGraceSeconds: int(env, 'RECONCILE_GRACE_SECONDS', 60),
    pay: {
      notifyFunction: env.PAY_NOTIFY_FUNCTION || 'payNotify',
      subMchId: env.PAY_SUB_MCH_ID || '',
      envId: env.CLOUD_ENV_ID || '',
      body: env.PAY_BODY || '武汉通-充值',
    },
    invoice: {
      caps: {
        maxOrders: int(env, 'INVOICE_MAX_ORDERS', 10, 1),
        maxTotalFen: int(env, 'INVOICE_MAX_TOTAL_FEN', 1_000_000, 1),
        windowDays: int(env, 'INVOICE_WINDOW_DAYS', 365, 1),
      },
      seller: {
        // (check) the seller's registration data comes from the issuer's tax registration.
        name: env.SELLER_NAME || '武汉城市一卡通有限公司',
        taxId: env.SELLER_TAX_ID || '91420100MA4K0000XJ',
        address: env.SELLER_ADDRESS || '武汉市江汉区建设大道 568 号',
        phone: env.SELLER_PHONE || '027-85000000',
        bankName: env.SELLER_BANK_NAME || '中国工商银行武汉江汉支行',
        bankAccount: env.SELLER_BANK_ACCOUNT || '3202000000000000000',
        issuer: env.INVOICE_ISSUER || '系统',
        taxCode: env.INVOICE_TAX_CODE || '6010000000000000000',
        itemName: env.INVOICE_ITEM_NAME || '*预付卡销售和充值*武汉通卡充值',
        verifyBaseUrl: env.INVOICE_VERIFY_URL || 'https://inv-veri.chinatax.gov.cn',
      },
      maxTitlesPerUser: int(env, 'MAX_TITLES_PER_USER', 20, 1),
      inlineWaitMs: int(env, 'INVOICE_INLINE_WAIT_MS', 5000),
      linkTtlSeconds: int(env, 'INVOICE_LINK_TTL_SECONDS', 600, 30),
      resendCooldownSeconds: int(env, 'INVOICE_RESEND_COOLDOWN_SECONDS', 60),
      mailMaxAttempts: int(env, 'MAIL_MAX_ATTEMPTS', 10, 1),
    },
    provider: {
      kind: providerKind(env.INVOICE_PROVIDER),
      allowSandboxInCloud: ['1', 'true', 'yes'].includes((env.INVOICE_ALLOW_SANDBOX ?? '').trim().toLowerCase()),
      nuonuo: {
        baseUrl: (env.NUONUO_BASE_URL ?? '').trim() || 'https://sdk.nuonuo.com/open/v1/services',
        appKey: (env.NUONUO_APP_KEY ?? '').trim(),
        appSecret: (env.NUONUO_APP_SECRET ?? '').trim(),
        accessToken: (env.NUONUO_ACCESS_TOKEN ?? '').trim(),
        userTaxNum: (env.NUONUO_USER_TAX_NUM ?? '').trim() || env.SELLER_TAX_ID || '',
        clerk: (env.NUONUO_CLERK ?? '').trim() || env.INVOICE_ISSUER || '系统',
        extensionNumber: (env.NUONUO_EXTENSION_NUMBER ?? '').trim(),
        timeoutMs: int(env, 'NUONUO_TIMEOUT_MS', 8000, 100),
      },
    },
    afterSales: {
      correctionMaxPerInvoice: int(env, 'CORRECTION_MAX_PER_INVOICE', 1),
      correctionWindowDays: int(env, 'CORRECTION_WINDOW_DAYS', 365, 1),
      redConfirmHours: int(env, 'RED_CONFIRM_HOURS', 72, 1),
      maxPhotos: int(env, 'AFTERSALES_MAX_PHOTOS', 3),
      photoMaxBytes: int(env, 'AFTERSALES_PHOTO_MAX_BYTES', 5 * 1024 * 1024, 1024),
      maxOpenApplications: int(env, 'AFTERSALES_MAX_OPEN_APPLICATIONS', 10, 1),
    },
    subscribe: {
      templates: {
        invoiceIssued: env.SUBSCRIBE_TEMPLATE_INVOICE_ISSUED ?? '',
        invoiceFailed: env.SUBSCRIBE_TEMPLATE_INVOICE_FAILED ?? '',
        afterSalesUpdate: env.SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE ?? '',
      },
      state: env.SUBSCRIBE_STATE || 'formal',
    },
  }
}
