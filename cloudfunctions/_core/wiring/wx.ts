import crypto from 'node:crypto'
import type { WxCloudLike, WxContextLike } from '../adapters/wx/wx-cloud.types'
import { wxCardRepo } from '../adapters/wx/wx.card.repo'
import { wxInvoiceRepo, wxOutboxRepo } from '../adapters/wx/wx.invoice.repo'
import { wxCorrectionRepo } from '../adapters/wx/wx.correction.repo'
import { wxOrderRepo } from '../adapters/wx/wx.order.repo'
import { wxPay } from '../adapters/wx/wx.pay'
import { wxSettingsRepo, wxTitleRepo } from '../adapters/wx/wx.profile.repo'
import { WxProviderSandbox } from '../adapters/wx/wx.provider-sandbox'
import { wxQuotaRepo } from '../adapters/wx/wx.quota.repo'
import { wxSubscribeFailureRepo } from '../adapters/wx/wx.subscribe-failures.repo'
import { countingSubscribeSender } from '../app/subscribe-health.service'
import { wxApplicationRepo, wxNoticeOutboxRepo, wxPaperRepo, wxTicketRepo } from '../adapters/wx/wx.aftersales.repo'
import { wxAuditRepo, wxStaffQueryRepo, wxStaffRepo } from '../adapters/wx/wx.staff.repo'
import { wxSiteNoticeRepo } from '../adapters/wx/wx.notice.repo'
import { wxBatchRepo } from '../adapters/wx/wx.batch.repo'
import { wxLedgerRepo } from '../adapters/wx/wx.ledger.repo'
import { wxStorage } from '../adapters/wx/wx.storage'
import { wxInvoker } from '../adapters/wx/wx.invoke'
import { wxReminderRepo } from '../adapters/wx/wx.reminder.repo'
import { wxSmsRepo } from '../adapters/wx/wx.sms.repo'
import { wxAccountDataRepo } from '../adapters/wx/wx.account.repo'
import { wxPhoneNumbers, type WxPhoneOpenApi } from '../adapters/wx/wx.phone'
import { tencentSmsSender } from '../adapters/sms/tencent.sms'
import { chooseWxProvider, sampleRenderer } from './wx-provider'
import { wxSubscribeSender, type MiniprogramState } from '../adapters/wx/wx.subscribe'
import { loadConfig } from '../config'
import type { DocumentRenderer } from '../ports/document.port'
import type { Mailer } from '../ports/mailer.port'
import type { StoragePort } from '../ports/storage.port'
import type { CallContext, CallSource } from '../runtime/context'
import type { Deps } from '../runtime/deps'
import { jsonLogger } from '../runtime/logger'
import { MISCONFIGURED, configProblems, startupCheck, verdictLine } from '../runtime/startup-check'
import type { FunctionName } from '../config'

type Env = Record<string, string | undefined>

const newId = () => crypto.randomUUID().replace(/-/g, '')

const MINIPROGRAM_STATES: readonly MiniprogramState[] = ['formal', 'trial', 'developer']

function miniprogramState(raw: string): MiniprogramState {
  if (!MINIPROGRAM_STATES.includes(raw as MiniprogramState)) throw new Error('config SUBSCRIBE_STATE must be formal, trial or developer')
  return raw as MiniprogramState
}

/**
 * What only the invoice-issuing functions carry: the PDF renderer (pdfkit and a 10 MB font)
 * and the SMTP mailer. Their entries pass `invoiceDocuments` (wiring/wx-documents.ts); the other
 * functions (card, topup, profile) stay small bundles and fail loudly if they ever reach these.
 */
export interface InvoiceDocuments {
  /** storage: where the fallback fonts for rare characters are fetched from (font.ts) */
  renderer(ctx?: { env: Env; storage: StoragePort }): DocumentRenderer
  mailer(env: Env): Mailer
}

const WITHOUT_DOCUMENTS: InvoiceDocuments = {
  renderer: () => {
    throw new Error('this cloud function is deployed without the invoice renderer: pass invoiceDocuments to wxMain')
  },
  mailer: () => ({
    send: async () => {
      throw new Error('this cloud function is deployed without the mailer: pass invoiceDocuments to wxMain')
    },
  }),
}

/**
 * The one wiring place of WeChat cloud: the ports bound to wx-server-sdk. Takes the SDK as
 * WxCloudLike so tests can build the same Deps over the in-memory fake.
 */
export function buildWxDeps(cloud: WxCloudLike, env: Env, documents: InvoiceDocuments = WITHOUT_DOCUMENTS): Deps {
  const loaded = loadConfig(env)
  // The pay callback lives in the environment this function runs in; WeChat tells us which
  // (TCB_ENV), so an unset CLOUD_ENV_ID is not fatal.
  const config = { ...loaded, pay: { ...loaded.pay, envId: loaded.pay.envId || env.TCB_ENV || env.SCF_NAMESPACE || '' } }
  const log = jsonLogger()
  const db = cloud.database()
  const state = miniprogramState(config.subscribe.state)
  // No licensed e-invoice provider is contracted yet: the sandbox stands in, in the database.
  const provider = new WxProviderSandbox(db, {
    // PROVIDER_SANDBOX_*, validated by the config schema (the buyer who must confirm a red-letter
    // form waits unless told: it lapses after 72 h)
    ...config.provider.sandbox,
    redConfirmHours: config.afterSales.redConfirmHours,
  })
  // INVOICE_PROVIDER: 诺诺, or the sandbox only when explicitly allowed (its documents marked 测试样张)
  const issuing = chooseWxProvider(config, () => provider, log)
  // The font (about 10 MB) is read on the first invoice rendered, once per container.
  let renderer: DocumentRenderer | null = null
  const mailer = documents.mailer(env)
  const subscribeFailures = wxSubscribeFailureRepo(db)
  return {
    config,
    cards: wxCardRepo(db),
    orders: wxOrderRepo(db, { log }),
    // cloud.cloudPay is a Proxy whose every property is callable, `then` included: pass it
    // along, never await it or return it from an async function.
    pay: wxPay(cloud.cloudPay, { subMchId: config.pay.subMchId, envId: config.pay.envId }),
    storage: wxStorage(cloud),
    clock: { now: () => new Date() },
    random: { bytes: (n) => crypto.randomBytes(n), id: newId },
    log,
    titles: wxTitleRepo(db),
    settings: wxSettingsRepo(db),
    invoices: wxInvoiceRepo(db, { log }),
    outbox: wxOutboxRepo(db),
    provider: issuing.provider,
    renderer: () => {
      const ctx = { env, storage: wxStorage(cloud) }
      return (renderer ??= issuing.sample ? sampleRenderer(documents.renderer(ctx)) : documents.renderer(ctx))
    },
    mailer,
    // cloud.openapi is a Proxy like cloudPay: passed along, never awaited.
    // every failed send counted for staff health
    subscribe: countingSubscribeSender(wxSubscribeSender(cloud.openapi, { miniprogramState: state }), subscribeFailures, { now: () => new Date(), log }),
    quota: wxQuotaRepo(db),
    subscribeFailures,
    corrections: wxCorrectionRepo(db),
    staff: wxStaffRepo(db),
    audit: wxAuditRepo(db),
    staffQueries: wxStaffQueryRepo(db),
    applications: wxApplicationRepo(db),
    paper: wxPaperRepo(db),
    tickets: wxTicketRepo(db),
    notices: wxNoticeOutboxRepo(db),
    siteNotices: wxSiteNoticeRepo(db),
    batches: wxBatchRepo(db),
    ledger: wxLedgerRepo(db),
    // payNotify / reconcile start invoiceWorker for the invoice a payment requested (cloud.callFunction)
    invoke: wxInvoker(cloud, { handOffMs: config.invoice.handOffMs, log }),
    reminders: wxReminderRepo(db),
    // SMS_PROVIDER=tencent: Tencent Cloud SMS (TC3-signed HTTPS); off: no SMS, the opt-in is not offered
    sms:
      config.sms.provider === 'tencent'
        ? tencentSmsSender({
            secretId: config.sms.secretId,
            secretKey: config.sms.secretKey,
            sdkAppId: config.sms.sdkAppId,
            signName: config.sms.signName,
            region: config.sms.region,
          })
        : null,
    smsRepo: wxSmsRepo(db),
    // cloud.openapi is a Proxy: its phonenumber member is read per call, never awaited
    phone: wxPhoneNumbers(cloud.openapi as unknown as WxPhoneOpenApi),
    account: wxAccountDataRepo(db),
    // the function's own environment (the console can change it after a deploy): checked on each ask
    configCheck: (fn) => configProblems(env, fn),
  }
}

const SOURCES: readonly CallSource[] = ['wx_client', 'wx_trigger', 'wx_paycallback', 'wx_http', 'scf', 'wx_devtools']

/**
 * The immediate caller. SOURCE is the whole call chain ("wx_client,scf" when a client called
 * function A and A called us), and authorisation must go by the last hop: a function that a
 * client reached through another function is not being called by the client.
 *
 * - a wx_ value we do not know (wx_unknown, wx_crawler, wx_localdebug, a new one) becomes
 *   'scf', which no handler accepts as a user, a timer or the pay callback;
 * - a last hop without the wx_ prefix (other than scf), and a SOURCE that is missing or empty,
 *   become 'external': only a holder of the environment's credentials can invoke a function
 *   without WeChat setting SOURCE (the cloud console's test panel, the CLI, an SDK or a
 *   Tencent Cloud API call). Only the `staff` function accepts 'external', and then only with
 *   no OPENID and a named operator; every other handler refuses it.
 */
function sourceOf(raw: unknown): CallSource {
  const whole = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : ''
  if (whole === '') return 'external'
  const last = whole.split(',').pop()!.trim()
  if (SOURCES.includes(last as CallSource)) return last as CallSource
  return last === '' || last.startsWith('wx_') ? 'scf' : 'external'
}

const nonEmpty = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null)

/**
 * Maps getWXContext() and the SCF context to our CallContext. OPENID is the only identity we
 * trust: it is set by WeChat for a client call and absent otherwise (a timer, the pay
 * callback). Pure, apart from minting a request id when SCF gave none.
 */
export function toCallContext(wx: WxContextLike, context: unknown, fallbackId: () => string = newId): CallContext {
  const requestId = nonEmpty((context as { request_id?: unknown } | null | undefined)?.request_id) ?? fallbackId()
  return {
    openid: nonEmpty(wx.OPENID),
    source: sourceOf(wx.SOURCE),
    requestId,
    // cloudPay's spbillCreateIp takes IPv4 or IPv6; 127.0.0.1 is what WeChat's own samples
    // send when there is no client (a timer never creates a payment anyway).
    clientIp: nonEmpty(wx.CLIENTIP) ?? nonEmpty(wx.CLIENTIPV6) ?? '127.0.0.1',
  }
}

/**
 * Loaded on first call, not at import: bundles keep wx-server-sdk external (the function's
 * own package.json installs it), and tests that import this file never load it.
 */
function requireSdk(): WxCloudLike {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first call, never at import (see above)
  return require('wx-server-sdk') as WxCloudLike
}

export interface WxMainOptions {
  /** for tests; production always uses the real SDK */
  load?: () => WxCloudLike
  /** the renderer and mailer, for the functions that issue invoices */
  documents?: InvoiceDocuments
  /**
   * Check the function's configuration when its container starts (runtime/startup-check.ts) and
   * log one line naming every problem. 'refuse': with an error the function runs nothing and
   * answers every call COMMON.MISCONFIGURED. 'report': it logs and runs anyway, for the functions
   * whose refusal would do more harm than the problem (payNotify must still record payments,
   * reconcile settle them, staff show what is wrong).
   */
  guard?: { fn: FunctionName; mode: 'refuse' | 'report' }
}

/**
 * A cloud function's exports.main. The SDK is initialised and the Deps are built once per
 * container, on the first call (the container is reused between calls; getWXContext only
 * works inside a call anyway). If that first setup throws, the next call tries again.
 */
export function wxMain<R>(
  create: (deps: Deps) => (event: unknown, ctx: CallContext) => Promise<R>,
  { load = requireSdk, documents, guard }: WxMainOptions = {},
): (event: unknown, context: unknown) => Promise<R> {
  let ready: { cloud: WxCloudLike; handler: (event: unknown, ctx: CallContext) => Promise<R> } | null = null
  return async (event, context) => {
    if (!ready) {
      const cloud = load()
      cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
      const verdict = guard ? startupCheck(process.env, guard.fn) : null
      if (verdict && (verdict.errors.length || verdict.warnings.length)) {
        const log = jsonLogger()
        const fields = { fn: verdict.fn, keys: [...verdict.errors, ...verdict.warnings].map((p) => p.key) }
        if (verdict.errors.length) log.error(verdictLine(verdict), fields)
        else log.warn(verdictLine(verdict), fields)
      }
      if (verdict?.errors.length && guard?.mode === 'refuse') {
        const refusal = { ok: false, error: { ...MISCONFIGURED } } as unknown as R
        ready = { cloud, handler: async () => refusal }
      } else ready = { cloud, handler: create(buildWxDeps(cloud, process.env, documents)) }
    }
    return ready.handler(event, toCallContext(ready.cloud.getWXContext(), context))
  }
}
