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
  UserSettings,
} from './domain'

export interface Page<T> {
  items: T[]
  /** pass back as `cursor` for the next page; null when there is none */
  nextCursor: string | null
}

export interface Api {
  card: {
    list: { in: Record<string, never>; out: { cards: Card[] } }
    bind: { in: { cardNo: string; nickname?: string }; out: { card: Card } }
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
    listOrders: { in: { cursor?: string; limit?: number }; out: Page<TopupOrder> }
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
  }
  invoice: {
    caps: { in: Record<string, never>; out: InvoiceCaps }
    /** paid top-ups without a live invoice, within the request window, newest first */
    listUninvoiced: { in: { cursor?: string; limit?: number }; out: Page<TopupOrder> }
    /**
     * One invoice for one or several paid orders. kind 'special' (专票) is refused.
     * Idempotent per clientToken, and an order can never be in two live invoices.
     */
    request: {
      in: { orderIds: string[]; titleId: string; email?: string | null; kind?: 'normal' | 'special'; clientToken: string }
      out: { invoice: InvoiceDetail }
    }
    list: {
      in: { cursor?: string; limit?: number; status?: InvoiceStatus; month?: string; cardNo?: string }
      out: Page<InvoiceSummary>
    }
    get: { in: { invoiceId: string }; out: { invoice: InvoiceDetail } }
    /** short-lived links to the PDF and the XML, minted for the owner only */
    files: { in: { invoiceId: string }; out: { pdfUrl: string; xmlUrl: string; expiresAt: string } }
    /** 补发: e-mail the same invoice again (never a second invoice) */
    resend: { in: { invoiceId: string; email?: string | null }; out: { queued: true; email: string } }
    /** the invoice of one order (for the pay-result page), or null */
    forOrder: { in: { orderId: string }; out: { invoice: InvoiceSummary | null } }
  }
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
