import crypto from 'node:crypto'
import type { CloudPayNotification } from '../../../../types/api'
import type { PaymentParams } from '../../../../types/domain'
import { formatTimeEnd } from '../../domain/order'
import type { CloseResult, PayPort, PayQueryResult, UnifiedOrderInput } from '../../ports/pay.port'
import { openDb, statementCache, type Db } from './sqlite.db'

/**
 * How the sandbox delivers the payment callback, like WeChat can: once, twice (a second
 * apart), late (after lateMs), or never (only a query finds the payment).
 */
export type DeliveryMode = 'once' | 'twice' | 'late' | 'never'

export interface SandboxPayment {
  prepayId: string
  outTradeNo: string
  totalFee: number
  body: string
  openid: string
  functionName: string
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED'
  transactionId: string | null
  timeEnd: string | null
  createdAt: string
}

export interface PaySandboxOptions {
  file: string
  appId?: string
  subMchId?: string
  delivery?: DeliveryMode
  lateMs?: number
  /** invokes the pay-callback function; resolves with its answer */
  deliver: (functionName: string, n: CloudPayNotification) => Promise<{ errcode: number }>
  now?: () => Date
}

/**
 * A stand-in for WeChat Pay behind cloudPay, with its own SQLite file (it is the payment
 * side, not our database). unifiedOrder, queryOrder and closeOrder behave like cloudPay's;
 * confirm() is what the sandbox pay page calls when the person taps 确认支付.
 */
export class PaySandbox implements PayPort {
  private readonly db: Db
  private readonly sql: ReturnType<typeof statementCache>
  private readonly key = crypto.randomBytes(16)
  private readonly timers = new Set<NodeJS.Timeout>()
  delivery: DeliveryMode
  lateMs: number
  /** every delivery attempt and its answer, for the dev page and tests */
  readonly deliveries: { outTradeNo: string; at: string; errcode: number | null; error?: string }[] = []

  constructor(private readonly opts: PaySandboxOptions) {
    this.db = openDb(opts.file)
    this.sql = statementCache(this.db)
    this.db.exec(`CREATE TABLE IF NOT EXISTS sandbox_payments (
      prepay_id TEXT PRIMARY KEY, out_trade_no TEXT NOT NULL UNIQUE, total_fee INTEGER NOT NULL, body TEXT NOT NULL,
      openid TEXT NOT NULL, function_name TEXT NOT NULL, state TEXT NOT NULL, transaction_id TEXT, time_end TEXT, created_at TEXT NOT NULL)`)
    this.delivery = opts.delivery ?? 'once'
    this.lateMs = opts.lateMs ?? 5000
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date()
  }

  private row(where: 'prepay_id' | 'out_trade_no', v: string): SandboxPayment | null {
    const r = this.sql(`SELECT * FROM sandbox_payments WHERE ${where} = ?`).get(v) as Record<string, unknown> | undefined
    if (!r) return null
    return {
      prepayId: r.prepay_id as string,
      outTradeNo: r.out_trade_no as string,
      totalFee: r.total_fee as number,
      body: r.body as string,
      openid: r.openid as string,
      functionName: r.function_name as string,
      state: r.state as SandboxPayment['state'],
      transactionId: (r.transaction_id as string) ?? null,
      timeEnd: (r.time_end as string) ?? null,
      createdAt: r.created_at as string,
    }
  }

  byPrepayId(prepayId: string): SandboxPayment | null {
    return this.row('prepay_id', prepayId)
  }

  async unifiedOrder(input: UnifiedOrderInput): Promise<PaymentParams> {
    let p = this.row('out_trade_no', input.outTradeNo)
    if (p && (p.totalFee !== input.totalFee || p.openid !== input.openid)) throw new Error('INVALID_REQUEST: 201 商户订单号重复')
    if (p && p.state !== 'NOTPAY') throw new Error(p.state === 'SUCCESS' ? 'ORDERPAID' : 'ORDERCLOSED')
    if (!p) {
      const prepayId = `wx${formatTimeEnd(this.now())}${crypto.randomBytes(8).toString('hex')}`
      this.sql(
        `INSERT INTO sandbox_payments (prepay_id, out_trade_no, total_fee, body, openid, function_name, state, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'NOTPAY', ?)`,
      ).run(prepayId, input.outTradeNo, input.totalFee, input.body, input.openid, input.functionName, this.now().toISOString())
      p = this.row('out_trade_no', input.outTradeNo)!
    }
    const timeStamp = String(Math.floor(this.now().getTime() / 1000))
    const nonceStr = crypto.randomBytes(8).toString('hex')
    const pkg = `prepay_id=${p.prepayId}`
    const paySign = crypto.createHmac('sha256', this.key).update(`${timeStamp}\n${nonceStr}\n${pkg}`).digest('hex').toUpperCase()
    return { appId: this.opts.appId ?? 'wxlocalsandbox', timeStamp, nonceStr, package: pkg, signType: 'HMAC-SHA256', paySign }
  }

  /** per order, what a query answers instead of the truth (tests of reconcile's own checks) */
  private readonly queryFaults = new Map<string, { totalFee?: number; timeEnd?: string }>()

  /** The payment side answers queries of this paid order with another amount and/or time (null: the truth again). */
  answerQueryWith(outTradeNo: string, fault: { totalFee?: number; timeEnd?: string } | null): void {
    if (fault) this.queryFaults.set(outTradeNo, fault)
    else this.queryFaults.delete(outTradeNo)
  }

  async queryOrder(outTradeNo: string): Promise<PayQueryResult> {
    const p = this.row('out_trade_no', outTradeNo)
    if (!p) return { tradeState: 'NOT_FOUND' }
    if (p.state !== 'SUCCESS') return { tradeState: p.state, totalFee: p.totalFee }
    const f = this.queryFaults.get(outTradeNo) ?? {}
    const totalFee = f.totalFee ?? p.totalFee
    return { tradeState: 'SUCCESS', transactionId: p.transactionId!, totalFee, cashFee: totalFee, timeEnd: f.timeEnd ?? p.timeEnd! }
  }

  async closeOrder(outTradeNo: string): Promise<CloseResult> {
    const p = this.row('out_trade_no', outTradeNo)
    if (!p) return 'not_found'
    if (p.state === 'SUCCESS') return 'already_paid'
    this.sql(`UPDATE sandbox_payments SET state = 'CLOSED' WHERE out_trade_no = ? AND state = 'NOTPAY'`).run(outTradeNo)
    return 'closed'
  }

  /** The person confirmed on the sandbox page: take the money, then call back as configured. */
  confirm(prepayId: string): SandboxPayment {
    const p = this.byPrepayId(prepayId)
    if (!p) throw new Error('NOT_FOUND')
    if (p.state === 'CLOSED') throw new Error('ORDERCLOSED')
    if (p.state === 'NOTPAY') {
      const now = this.now()
      const transactionId = `42000${formatTimeEnd(now).slice(0, 8)}${crypto.randomInt(10 ** 9, 10 ** 10)}${crypto.randomInt(10 ** 4, 10 ** 5)}`
      this.sql(`UPDATE sandbox_payments SET state = 'SUCCESS', transaction_id = ?, time_end = ? WHERE prepay_id = ? AND state = 'NOTPAY'`).run(
        transactionId,
        formatTimeEnd(now),
        prepayId,
      )
      this.scheduleDelivery(this.byPrepayId(prepayId)!)
    }
    return this.byPrepayId(prepayId)!
  }

  notification(p: SandboxPayment): CloudPayNotification {
    return {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      appid: this.opts.appId ?? 'wxlocalsandbox',
      mchId: '1800000000',
      subMchId: this.opts.subMchId ?? '1900000000',
      nonceStr: crypto.randomBytes(8).toString('hex'),
      openid: p.openid,
      subOpenid: p.openid,
      tradeType: 'JSAPI',
      bankType: 'OTHERS',
      feeType: 'CNY',
      totalFee: p.totalFee,
      cashFee: p.totalFee,
      transactionId: p.transactionId!,
      outTradeNo: p.outTradeNo,
      timeEnd: p.timeEnd!,
    }
  }

  /** Delivers the callback of a paid payment now, `times` times at once (tests of concurrency). */
  async deliverNow(outTradeNo: string, times = 1, override: Partial<CloudPayNotification> = {}): Promise<number[]> {
    const p = this.row('out_trade_no', outTradeNo)
    if (!p || p.state !== 'SUCCESS') throw new Error('NOT_PAID')
    const n = { ...this.notification(p), ...override }
    return Promise.all(Array.from({ length: times }, () => this.attempt(p.functionName, n)))
  }

  private async attempt(functionName: string, n: CloudPayNotification): Promise<number> {
    const at = this.now().toISOString()
    try {
      const { errcode } = await this.opts.deliver(functionName, n)
      this.deliveries.push({ outTradeNo: n.outTradeNo, at, errcode })
      return errcode
    } catch (e) {
      this.deliveries.push({ outTradeNo: n.outTradeNo, at, errcode: null, error: e instanceof Error ? e.message : String(e) })
      return -1
    }
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      fn()
    }, ms)
    this.timers.add(t)
  }

  private scheduleDelivery(p: SandboxPayment): void {
    const n = this.notification(p)
    const go = () => void this.attempt(p.functionName, n)
    switch (this.delivery) {
      case 'never':
        return
      case 'late':
        return this.later(this.lateMs, go)
      case 'twice':
        this.later(0, go)
        return this.later(1000, go)
      default:
        return this.later(0, go)
    }
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    this.db.close()
  }
}
