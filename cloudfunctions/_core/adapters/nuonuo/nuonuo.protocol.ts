import crypto from 'node:crypto'
import type { IssueRequest, ProviderFiles, ProviderStatus, RedConfirmationRequest, RedConfirmationStatus } from '../../ports/provider.port'

/**
 * The 诺税通 SaaS (数电) part of 诺诺开放平台 we use: method names, answer codes, status codes,
 * and the mapping between our port and Nuonuo's JSON. Pure: no I/O, no clock of its own.
 *
 * Sources (public): the API pages of open.nuonuo.com as quoted by the SDKs and clients
 * ZUOXIANGE/NuoNuoSdk (OrderDto.cs, QueryInvoiceResultResponse.cs: status codes and fields),
 * qbhy/nuonuo-php-sdk (ElectronInvoice.php: order fields and lengths), the 诺税通saas pages of
 * saveInvoiceRedConfirm / queryInvoiceRedConfirm / fastInvoiceRed, and the tax bureau's
 * 红字确认单 states (01..10). Items marked (check) are to be confirmed in 联调 with a Nuonuo account.
 */

export const METHODS = {
  /** 请求开具发票 (2.0): the order, with OUR request number as orderNo (the idempotency key) */
  issue: 'nuonuo.OpeMplatform.requestBillingNew',
  /** 开票结果查询: by orderNos (at most 50) */
  query: 'nuonuo.OpeMplatform.queryInvoiceResult',
  /** 签章失败 (24) -> re-sign the same invoice, never a second one */
  reInvoice: 'nuonuo.OpeMplatform.reInvoice',
  /** 红字确认单申请 (数电), billId = our correction id */
  redApply: 'nuonuo.OpeMplatform.saveInvoiceRedConfirm',
  redQuery: 'nuonuo.OpeMplatform.queryInvoiceRedConfirm',
  /** 快捷冲红: the red invoice against a confirmed form (or the one the bureau issued for it) */
  redIssue: 'nuonuo.OpeMplatform.fastInvoiceRed',
} as const

export const CODES = {
  ok: 'E0000',
  /** 订单编号或流水号不能重复: the orderNo was used before -> query it instead */
  duplicateOrder: 'E9106',
  /** no invoice for the orderNo (yet) */
  notFound: 'E9500',
  /** 同一流水号单日重试次数超限 (reInvoice) */
  retryLimit: 'E9613',
} as const

/**
 * Gateway codes that mean the app's credentials (appKey, appSecret, token, signature) are
 * wrong, not the request: 0701xx and 0703xx (070101 appKey invalid, 070304/070305 bad
 * credentials or signature, 070306 token call limit, 070307 wrong app type). (check)
 */
export const isCredentialCode = (code: string) => /^070[13]\d\d$/.test(code)

/** 开票结果查询 status: 20 开票中, 21 开票成功签章中, 2 开票完成, 22 开票失败, 24 签章失败, 3 已作废, 31 作废中 */
export const INVOICE_STATUS = {
  issuing: '20',
  signing: '21',
  done: '2',
  failed: '22',
  signFailed: '24',
  voided: '3',
  voiding: '31',
} as const

/**
 * 红字确认单 states as the bureau names them (hzqrxxztDm), plus Nuonuo's own 15/16:
 * 01 无需确认, 02 销方录入待购方确认, 03 购方录入待销方确认, 04 购销双方已确认,
 * 05 作废（销方录入购方否认）, 06 作废（购方录入销方否认）, 07 作废（超72小时未确认）,
 * 08 作废（发起方已撤销）, 09 作废（确认后撤销）, 10 作废（异常凭证）, 15 申请中, 16 申请失败.
 */
export const RED_STATES = {
  noConfirmNeeded: '01',
  awaitingBuyer: '02',
  awaitingSeller: '03',
  bothConfirmed: '04',
  buyerRefused: '05',
  sellerRefused: '06',
  lapsed: '07',
  withdrawn: '08',
  withdrawnAfterConfirm: '09',
  abnormal: '10',
  applying: '15',
  applyFailed: '16',
} as const

const RED_STATE_LABEL: Record<string, string> = {
  '05': '购买方已否认红字确认单',
  '06': '销售方已否认红字确认单',
  '08': '红字确认单已撤销',
  '09': '红字确认单确认后已撤销',
  '10': '红字确认单因异常凭证作废',
  '16': '税务局未受理红字确认单申请',
}

/** our reason codes (the bureau's: 01 开票有误 ...) -> Nuonuo's redReason (1 销货退回, 2 开票有误, 3 服务中止, 4 销售折让) */
export const RED_REASON: Record<RedConfirmationRequest['reasonCode'], string> = { '01': '2', '02': '1', '03': '3', '04': '4' }

/** 数电票 kinds: pc 电子发票（普通发票）, bs 电子发票（增值税专用发票）. Top-ups only ever get pc. */
export const INVOICE_LINE = 'pc'

/**
 * 不征税 lines (预付卡销售和充值, 601): rate 0, zeroRateFlag 2 (不征税), and the 数电 two-digit
 * 增值税特殊管理 code 04 不征税 with its name. (check with 联调: some accounts want favouredPolicyFlag 0)
 */
export const UNTAXED = { taxRate: '0', zeroRateFlag: '2', favouredPolicyFlag: '04', favouredPolicyName: '不征税' } as const

export interface Envelope<T = unknown> {
  code: string
  describe?: string
  result?: T
}

export interface NuonuoSeller {
  taxNum: string
  name: string
  address: string
  phone: string
  bankName: string
  bankAccount: string
  clerk: string
  extensionNumber: string
}

/** fen -> "12.30" / "-12.30" (exact, no floating point) */
export function yuanString(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new Error(`amount must be integer fen, got ${fen}`)
  const abs = Math.abs(fen)
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** "12.30" / "-0.05" / 12.3 -> fen, or null when it is not an amount */
export function fenOf(v: unknown): number | null {
  const s = typeof v === 'number' ? v.toFixed(2) : typeof v === 'string' ? v.trim() : ''
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(s)
  if (!m) return null
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'))
  return m[1] ? -fen : fen
}

/** Date -> "yyyy-MM-dd HH:mm:ss" in China time (UTC+8), the format of invoiceDate / orderTime */
export function chinaDateTime(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString()
  return `${t.slice(0, 10)} ${t.slice(11, 19)}`
}

/** "yyyy-MM-dd HH:mm:ss" (China time), or epoch milliseconds / seconds as number or string -> Date */
export function parseNuonuoTime(v: unknown): Date | null {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d{10,13}$/.test(v.trim()))) {
    const n = Number(v)
    return new Date(n < 1e12 ? n * 1000 : n)
  }
  if (typeof v !== 'string') return null
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(v.trim())
  if (!m) return null
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - 8 * 3600_000)
  return Number.isNaN(d.getTime()) ? null : d
}

/**
 * Nuonuo prints the 简称 of the tax code itself (*预付卡销售和充值*): the goods name goes
 * without it, or the invoice would read the category twice. (check)
 */
export const goodsName = (name: string) => name.replace(/^\*[^*]+\*/, '') || name

/**
 * Nuonuo's orderNo is at most 20 characters (billId 32), letters and digits; our request
 * numbers (INV…-<attempt>, 23 characters) are longer. The mapping must be deterministic (the
 * same request number must hit E9106 on a retry) and collision-free: a short enough plain
 * number goes as it is, anything else as the first characters of its SHA-256 (80 bits for 20
 * hex characters). The submit log line records both, for finding an order in Nuonuo's console.
 */
export function nuonuoKey(requestNo: string, max = 20): string {
  if (requestNo.length <= max && /^[0-9A-Za-z]+$/.test(requestNo)) return requestNo
  return crypto.createHash('sha256').update(requestNo).digest('hex').slice(0, max).toUpperCase()
}

const joinNonEmpty = (...parts: (string | null | undefined)[]) => parts.filter((p) => p && p.trim()).join(' ')

/** The order of 请求开具发票 for a blue 数电普票. */
export function issueOrder(req: IssueRequest, seller: NuonuoSeller, now: Date): Record<string, unknown> {
  const b = req.buyer
  return {
    order: {
      buyerName: b.name,
      buyerTaxNum: b.taxId ?? '',
      buyerTel: b.phone ?? '',
      buyerAddress: b.address ?? '',
      buyerAccount: joinNonEmpty(b.bankName, b.bankAccount),
      // 自然人 buyer (no taxpayer ID): the 数电 platform treats the buyer as a person
      naturalPersonFlag: b.taxId ? '0' : '1',
      salerTaxNum: seller.taxNum,
      salerTel: seller.phone,
      salerAddress: seller.address,
      salerAccount: joinNonEmpty(seller.bankName, seller.bankAccount),
      orderNo: nuonuoKey(req.requestNo),
      invoiceDate: chinaDateTime(now),
      clerk: seller.clerk,
      invoiceType: '1',
      invoiceLine: INVOICE_LINE,
      extensionNumber: seller.extensionNumber,
      // we deliver ourselves (mini-program, our e-mail): Nuonuo must not send SMS or mail
      pushMode: '-1',
      remark: req.remarks,
      invoiceDetail: req.items.map((it) => ({
        goodsName: goodsName(it.name),
        goodsCode: it.taxCode,
        specType: it.spec,
        unit: it.unit,
        num: String(it.quantity),
        price: yuanString(it.unitPriceFen),
        withTaxFlag: '1',
        taxIncludedAmount: yuanString(it.amountFen + it.taxFen),
        taxExcludedAmount: yuanString(it.amountFen),
        tax: yuanString(it.taxFen),
        invoiceLineProperty: '0',
        ...UNTAXED,
      })),
    },
  }
}

/** 快捷冲红 of a confirmed red-letter form: the red invoice, under our request number. */
export function redIssueRequest(req: IssueRequest & { red: NonNullable<IssueRequest['red']> }, seller: NuonuoSeller, now: Date) {
  return {
    orderNo: nuonuoKey(req.requestNo),
    orderTime: chinaDateTime(now),
    taxNum: seller.taxNum,
    elecInvoiceNumber: req.red.blueInvoiceNo,
    billNo: req.red.confirmationNo,
    invoiceLine: INVOICE_LINE,
    extensionNumber: seller.extensionNumber,
  }
}

/** 红字确认单申请 for a full reversal (全额: no detail lines), applied by the seller. */
export function redApplyRequest(req: RedConfirmationRequest, seller: NuonuoSeller) {
  return {
    billId: nuonuoKey(req.requestNo, 32),
    blueInvoiceLine: INVOICE_LINE,
    applySource: '0',
    blueElecInvoiceNumber: req.blueInvoiceNo,
    sellerTaxNo: seller.taxNum,
    sellerName: seller.name,
    buyerTaxNo: req.buyer.taxId ?? '',
    buyerName: req.buyer.name,
    redReason: RED_REASON[req.reasonCode],
    // 入账状态: an enterprise that booked the invoice must confirm within 72 h; others need not
    accountStatus: req.buyerMustConfirm ? '1' : '0',
    extensionNumber: seller.extensionNumber,
    autoInvoice: '0',
  }
}

export const redQueryRequest = (requestNo: string) => ({ identity: '0', billId: nuonuoKey(requestNo, 32) })
export const invoiceQueryRequest = (requestNo: string) => ({ orderNos: [nuonuoKey(requestNo)], isOfferInvoiceDetail: '0' })

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '')
const url = (v: unknown) => {
  const s = str(v).trim()
  return /^https?:\/\//i.test(s) ? s : undefined
}

/**
 * One item of 开票结果查询 -> our ProviderStatus. 24 (issued, signing failed) is NOT a failure
 * for us: the number exists, so a new attempt under a new order number would make a second
 * invoice; the caller re-signs (reInvoice) and keeps waiting.
 */
export function toProviderStatus(item: Record<string, unknown>): ProviderStatus | { state: 'sign_failed'; serialNo: string; reason: string } {
  const status = str(item.status)
  switch (status) {
    case INVOICE_STATUS.issuing:
    case INVOICE_STATUS.signing:
      return { state: 'issuing' }
    case INVOICE_STATUS.done: {
      const invoiceNo = str(item.allElectronicInvoiceNumber) || str(item.invoiceNo)
      const issuedAt = parseNuonuoTime(item.invoiceTime)
      if (!/^\d{20}$/.test(invoiceNo) || !issuedAt) {
        // 开票完成 without a 20-digit number or a time: not something we can record as issued
        throw new Error(`诺诺开票结果不完整（订单 ${str(item.orderNo)}）`)
      }
      const files: ProviderFiles = {}
      const pdf = url(item.pdfUrl)
      const ofd = url(item.ofdUrl)
      const xml = url(item.xmlUrl)
      if (pdf) files.pdfUrl = pdf
      if (ofd) files.ofdUrl = ofd
      if (xml) files.xmlUrl = xml
      // the QR content the platform printed (01,32,,<no>,<amount>,<YYYYMMDD>,,<check>): its check
      // goes into our own XML / previews, so they carry the same QR as the original
      const qr = str(item.qrCode).split(',')
      const checkCode = qr.length === 8 && qr[3] === invoiceNo && /^[0-9A-Fa-f]{4}$/.test(qr[7]) ? qr[7].toUpperCase() : undefined
      return { state: 'issued', invoiceNo, issuedAt: issuedAt.toISOString(), ...(pdf || ofd || xml ? { files } : {}), ...(checkCode ? { checkCode } : {}) }
    }
    case INVOICE_STATUS.failed:
      return { state: 'failed', reason: `开票失败：${str(item.failCause) || str(item.statusMsg) || '诺诺未给出原因'}` }
    case INVOICE_STATUS.signFailed:
      return { state: 'sign_failed', serialNo: str(item.serialNo), reason: str(item.failCause) || str(item.statusMsg) }
    case INVOICE_STATUS.voided:
    case INVOICE_STATUS.voiding:
      return { state: 'failed', reason: '该次开具的发票已作废' }
    default:
      throw new Error(`诺诺返回了未知的发票状态 ${status || '(空)'}`)
  }
}

/**
 * One 红字确认单 -> our RedConfirmationStatus. A pending form's deadline is its filing time
 * (billTime) plus the confirmation window; 15 申请中 has no answer yet (null: ask again later).
 */
export function toRedStatus(item: Record<string, unknown>, confirmHours: number, now: Date): RedConfirmationStatus | null {
  const state = str(item.billStatus)
  const confirmationNo = str(item.billNo)
  switch (state) {
    case RED_STATES.noConfirmNeeded:
    case RED_STATES.bothConfirmed:
      return confirmationNo ? { state: 'confirmed', confirmationNo } : null
    case RED_STATES.awaitingBuyer:
    case RED_STATES.awaitingSeller: {
      const filed = parseNuonuoTime(item.billTime) ?? now
      return { state: 'pending_buyer', confirmationNo, deadline: new Date(filed.getTime() + confirmHours * 3600_000).toISOString() }
    }
    case RED_STATES.lapsed:
      return { state: 'lapsed', confirmationNo }
    case RED_STATES.applying:
      return null
    case RED_STATES.buyerRefused:
    case RED_STATES.sellerRefused:
    case RED_STATES.withdrawn:
    case RED_STATES.withdrawnAfterConfirm:
    case RED_STATES.abnormal:
    case RED_STATES.applyFailed: {
      const detail = str(item.billMessage)
      return { state: 'refused', confirmationNo, reason: `${RED_STATE_LABEL[state]}${detail ? `：${detail}` : ''}` }
    }
    default:
      // later bureau states (11 纳税人状态异常阻断, 12 自然人拒收, 13 ...) are all 作废
      if (/^1[1-9]$/.test(state)) return { state: 'refused', confirmationNo, reason: `红字确认单已作废（状态 ${state}）` }
      throw new Error(`诺诺返回了未知的红字确认单状态 ${state || '(空)'}`)
  }
}
