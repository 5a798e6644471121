import type { AppConfig } from '../../config'
import type { SellerConfig } from '../../domain/invoice'
import {
  ProviderUnavailableError,
  type InvoiceProvider,
  type IssueRequest,
  type ProviderStatus,
  type RedConfirmationRequest,
  type RedConfirmationStatus,
  type SubmitResult,
} from '../../ports/provider.port'
import type { Logger } from '../../ports/runtime.port'
import {
  CODES,
  METHODS,
  invoiceQueryRequest,
  isCredentialCode,
  issueOrder,
  nuonuoKey,
  redApplyRequest,
  redIssueRequest,
  redQueryRequest,
  toProviderStatus,
  toRedStatus,
  type Envelope,
  type NuonuoSeller,
} from './nuonuo.protocol'
import { nuonuoSign, requestNonces } from './nuonuo.sign'

export interface NuonuoProviderOptions {
  nuonuo: AppConfig['provider']['nuonuo']
  seller: SellerConfig
  /** an unconfirmed red-letter form lapses after this many hours (the pending deadline) */
  redConfirmHours: number
  log: Logger
  now?: () => Date
  /** the HTTP client (tests may wrap it); defaults to the global fetch of Node 18+ */
  fetch?: typeof fetch
  /** a red-letter form still 申请中 right after applying: look again this many times, this far apart */
  applyPolls?: number
  applyPollMs?: number
}

/** Files larger than this are not an invoice (a PDF is ~30-100 KB, an OFD/XML less). */
const MAX_FILE_BYTES = 20 * 1024 * 1024

/**
 * The InvoiceProvider port over 诺诺开放平台 (诺税通 SaaS, 数电票). Every call is one signed POST
 * to the gateway (see nuonuo.sign.ts); the mapping of fields and states is in nuonuo.protocol.ts.
 *
 * Idempotency is Nuonuo's: our request number is the orderNo, and a reused one is refused with
 * E9106, which we answer as 'duplicate' (the pipeline then queries). Anything that leaves the
 * outcome unknown (timeout, dropped connection, non-JSON, HTTP error, rejected credentials)
 * throws ProviderUnavailableError, so the pipeline asks again under the SAME number instead of
 * starting a new attempt. Neither the app secret nor the token is ever logged; log lines carry
 * the method, the code and Nuonuo's description (the logger masks tax IDs and phone numbers).
 */
export class NuonuoProvider implements InvoiceProvider {
  private readonly seller: NuonuoSeller
  private readonly fetchImpl: typeof fetch

  constructor(private readonly opts: NuonuoProviderOptions) {
    const s = opts.seller
    this.seller = {
      taxNum: opts.nuonuo.userTaxNum || s.taxId,
      name: s.name,
      address: s.address,
      phone: s.phone,
      bankName: s.bankName,
      bankAccount: s.bankAccount,
      clerk: opts.nuonuo.clerk || s.issuer,
      extensionNumber: opts.nuonuo.extensionNumber,
    }
    this.fetchImpl = opts.fetch ?? fetch
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date()
  }

  /** One signed call; answers the decoded envelope, whatever its business code. */
  async call<T = unknown>(method: string, content: unknown): Promise<Envelope<T>> {
    const n = this.opts.nuonuo
    const body = JSON.stringify(content)
    const { senid, nonce } = requestNonces()
    const timestamp = String(Math.floor(this.now().getTime() / 1000))
    const url = new URL(n.baseUrl)
    url.searchParams.set('senid', senid)
    url.searchParams.set('nonce', nonce)
    url.searchParams.set('timestamp', timestamp)
    url.searchParams.set('appkey', n.appKey)
    const sign = nuonuoSign({ path: url.pathname, appKey: n.appKey, appSecret: n.appSecret, senid, nonce, timestamp, body })
    let text: string
    try {
      const res = await this.fetchImpl(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=UTF-8',
          'X-Nuonuo-Sign': sign,
          accessToken: n.accessToken,
          userTax: this.seller.taxNum,
          method,
        },
        body,
        signal: AbortSignal.timeout(n.timeoutMs),
      })
      text = await res.text()
      if (!res.ok) throw new ProviderUnavailableError(`诺诺开放平台返回 HTTP ${res.status}（${method}）`)
    } catch (e) {
      if (e instanceof ProviderUnavailableError) throw e
      // the abort reason is a DOMException, not always an `instanceof Error` (another realm)
      const name = (e as { name?: unknown } | null)?.name
      const timedOut = name === 'TimeoutError' || name === 'AbortError'
      throw new ProviderUnavailableError(
        timedOut ? `诺诺开放平台 ${n.timeoutMs} ms 内未应答（${method}）` : `无法连接诺诺开放平台（${method}：${e instanceof Error ? e.message : String(e)}）`,
      )
    }
    let env: Envelope<T>
    try {
      env = JSON.parse(text) as Envelope<T>
    } catch {
      throw new ProviderUnavailableError(`诺诺开放平台的应答不是 JSON（${method}）`)
    }
    if (!env || typeof env !== 'object' || (typeof env.code !== 'string' && typeof env.code !== 'number')) {
      throw new ProviderUnavailableError(`诺诺开放平台的应答缺少 code（${method}）`)
    }
    env.code = String(env.code)
    if (isCredentialCode(env.code)) {
      this.opts.log.error('nuonuo rejected the app credentials: check NUONUO_APP_KEY, NUONUO_APP_SECRET, NUONUO_ACCESS_TOKEN', {
        method,
        code: env.code,
        describe: env.describe ?? null,
      })
      throw new ProviderUnavailableError(`诺诺开放平台拒绝了应用凭证（${env.code}）`)
    }
    return env
  }

  async submit(req: IssueRequest): Promise<SubmitResult> {
    const now = this.now()
    const red = req.red
    const method = red ? METHODS.redIssue : METHODS.issue
    const env = red ? await this.call(method, redIssueRequest({ ...req, red }, this.seller, now)) : await this.call(method, issueOrder(req, this.seller, now))
    this.opts.log.info('nuonuo submit', { method, requestNo: req.requestNo, orderNo: nuonuoKey(req.requestNo), code: env.code })
    if (env.code === CODES.ok) return 'accepted'
    if (env.code === CODES.duplicateOrder) return 'duplicate'
    this.opts.log.warn('nuonuo refused an issue request', { method, requestNo: req.requestNo, code: env.code, describe: env.describe ?? null })
    throw new Error(`${red ? '诺诺拒绝红冲' : '诺诺拒绝开票'}（${env.code}）：${env.describe ?? ''}`)
  }

  async query(requestNo: string): Promise<ProviderStatus> {
    const env = await this.call<unknown>(METHODS.query, invoiceQueryRequest(requestNo))
    if (env.code === CODES.notFound) return { state: 'not_found' }
    if (env.code !== CODES.ok) throw new ProviderUnavailableError(`诺诺开票结果查询失败（${env.code}）：${env.describe ?? ''}`)
    const list = (Array.isArray(env.result) ? env.result : env.result ? [env.result] : []) as Record<string, unknown>[]
    const orderNo = nuonuoKey(requestNo)
    // exact match; an item without orderNo can only be the one asked for
    const item = list.find((x) => x && (x.orderNo === orderNo || x.orderNo === undefined))
    if (!item) return { state: 'not_found' }
    const status = toProviderStatus(item)
    if (status.state !== 'sign_failed') return status
    // 开票成功签章失败: the invoice exists; have it signed again, never issue a second one.
    const again = await this.call(METHODS.reInvoice, { fpqqlsh: status.serialNo, orderno: orderNo })
    this.opts.log.warn('nuonuo: invoice issued but its signature failed; re-signing', {
      requestNo,
      reason: status.reason,
      code: again.code,
      retryLimit: again.code === CODES.retryLimit,
    })
    return { state: 'issuing' }
  }

  async applyRedConfirmation(req: RedConfirmationRequest): Promise<RedConfirmationStatus> {
    const env = await this.call(METHODS.redApply, redApplyRequest(req, this.seller))
    // A billId applied before is refused as a duplicate: the form exists, so read it back.
    const found = await this.findRedForm(req.requestNo)
    if (!found) {
      if (env.code === CODES.ok) throw new ProviderUnavailableError('红字确认单已申请，诺诺尚未能查询到，稍后再查')
      this.opts.log.warn('nuonuo refused a red-letter form', { requestNo: req.requestNo, code: env.code, describe: env.describe ?? null })
      return { state: 'refused', confirmationNo: '', reason: `红字确认单申请未被受理（${env.code}）：${env.describe ?? ''}` }
    }
    let status = toRedStatus(found, this.opts.redConfirmHours, this.now())
    for (let i = 0; !status && i < (this.opts.applyPolls ?? 3); i++) {
      await new Promise((r) => setTimeout(r, this.opts.applyPollMs ?? 1000))
      const again = await this.findRedForm(req.requestNo)
      status = again ? toRedStatus(again, this.opts.redConfirmHours, this.now()) : null
    }
    if (!status) throw new ProviderUnavailableError('红字确认单仍在申请中，稍后再查')
    return status
  }

  async queryRedConfirmation(requestNo: string): Promise<RedConfirmationStatus> {
    const found = await this.findRedForm(requestNo)
    if (!found) return { state: 'not_found' }
    const status = toRedStatus(found, this.opts.redConfirmHours, this.now())
    if (!status) throw new ProviderUnavailableError('红字确认单仍在申请中，稍后再查')
    return status
  }

  private async findRedForm(requestNo: string): Promise<Record<string, unknown> | null> {
    const env = await this.call<unknown>(METHODS.redQuery, redQueryRequest(requestNo))
    if (env.code !== CODES.ok) throw new ProviderUnavailableError(`诺诺红字确认单查询失败（${env.code}）：${env.describe ?? ''}`)
    const r = env.result as { list?: unknown } | unknown[] | undefined
    const list = (Array.isArray(r) ? r : Array.isArray(r?.list) ? r.list : []) as Record<string, unknown>[]
    const billId = nuonuoKey(requestNo, 32)
    return list.find((x) => x && (x.billId === billId || x.billId === undefined)) ?? null
  }

  /** The provider's original file (PDF, OFD, XML) behind a URL of an issued status. */
  async fetchFile(url: string): Promise<Buffer> {
    if (!/^https?:\/\//i.test(url)) throw new Error('invoice file URL must be http(s)')
    try {
      const res = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.opts.nuonuo.timeoutMs) })
      if (!res.ok) throw new ProviderUnavailableError(`发票文件下载失败：HTTP ${res.status}`)
      const buf = Buffer.from(await res.arrayBuffer())
      if (buf.length === 0) throw new ProviderUnavailableError('发票文件为空')
      if (buf.length > MAX_FILE_BYTES) throw new Error(`invoice file too large: ${buf.length} bytes`)
      return buf
    } catch (e) {
      if (e instanceof ProviderUnavailableError || (e instanceof Error && e.message.startsWith('invoice file'))) throw e
      throw new ProviderUnavailableError(`发票文件下载失败（${e instanceof Error ? e.message : String(e)}）`)
    }
  }
}
