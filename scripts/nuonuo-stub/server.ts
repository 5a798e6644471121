import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { InvoiceDocument } from '../../types/domain'
import { totalInCapitals } from '../../cloudfunctions/_core/domain/capitals'
import { createDocumentRenderer, defaultFontPath } from '../../cloudfunctions/_core/adapters/documents/pdf.renderer'
import { renderInvoiceXml } from '../../cloudfunctions/_core/adapters/documents/xml.renderer'
import { CODES, METHODS, RED_STATES, chinaDateTime, fenOf } from '../../cloudfunctions/_core/adapters/nuonuo/nuonuo.protocol'
import { nuonuoSign, sameSign } from '../../cloudfunctions/_core/adapters/nuonuo/nuonuo.sign'

/**
 * A local stand-in for 诺诺开放平台 (诺税通 SaaS, 数电) that speaks the protocol our adapter
 * speaks: one POST gateway at /open/v1/services, the X-Nuonuo-Sign signature checked over the
 * exact body (a wrong one is answered with a credential error, like the gateway), the method in
 * a header, answers as { code, describe, result }. Orders are kept by orderNo (E9106 on reuse) and
 * move 20 开票中 -> 21 签章中 -> 2 开票完成 as time passes; it can be told to fail (22, 24), to
 * answer slowly, to drop the connection after doing the work, or to answer garbage. It serves the
 * issued invoice's PDF (rendered with our renderer), OFD and XML at file URLs, and runs the 数电
 * red-letter flow (确认单 apply/query, the buyer's decision, 快捷冲红).
 *
 * Used by the adapter's tests and, with LOCAL_NUONUO_STUB=1, by `npm start` (scripts/local-cloud/main.ts).
 * Codes the public material does not pin down (the gateway's credential code, the generic
 * business refusal) are this stub's choice: CREDENTIAL_CODE and REFUSED_CODE below.
 */

export const CREDENTIAL_CODE = '070305'
export const REFUSED_CODE = 'E9999'
const SERVICES_PATH = '/open/v1/services'

export interface NuonuoStubOptions {
  appKey: string
  appSecret: string
  accessToken: string
  /** the seller's tax number the token belongs to (userTax header, salerTaxNum) */
  userTax: string
  sellerName?: string
  host?: string
  port?: number
  /** time in 20 开票中 and then in 21 签章中 */
  issuingMs?: number
  signingMs?: number
  /** an unconfirmed red-letter form lapses (07) after this many hours */
  redConfirmHours?: number
  now?: () => Date
}

export interface StubBehaviour {
  issuingMs: number
  signingMs: number
  /** the next `count` new invoices end in 22 (开票失败) or 24 (签章失败) */
  failNext: { status: '22' | '24'; count: number; cause?: string } | null
  /** every answer waits this long (the work is done at once: a client that gives up finds it done) */
  delayMs: number
  /** the next N calls do their work, then the connection is dropped without an answer */
  dropNext: number
  /** the next N calls are answered with HTML instead of JSON (a proxy error page) */
  garbleNext: number
  /** what a buyer who must confirm a red-letter form does */
  buyerDecision: 'wait' | 'confirm' | 'refuse'
}

export interface StubOrder {
  serialNo: string
  /** order numbers that name this invoice (a red one may gain one through 快捷冲红) */
  orderNos: string[]
  color: 'blue' | 'red'
  order: Record<string, unknown>
  createdAt: number
  outcome: '2' | '22' | '24'
  failCause: string | null
  invoiceNo: string
  blueInvoiceNo: string | null
  billNo: string | null
  voided: boolean
  reInvoiced: number
}

interface StubRedForm {
  billId: string
  billNo: string
  billStatus: string
  billTime: number
  blueElecInvoiceNumber: string
  buyerName: string
  buyerTaxNo: string
  redReason: string
  /** the red invoice the bureau issued for it (数电电票: automatically once confirmed) */
  redSerialNo: string | null
}

export interface StubCall {
  method: string
  signatureOk: boolean
  body: unknown
}

export interface NuonuoStub {
  /** http://host:port */
  url: string
  /** the gateway URL (NUONUO_BASE_URL) */
  servicesUrl: string
  behaviour: StubBehaviour
  calls: StubCall[]
  orders(): StubOrder[]
  order(orderNo: string): StubOrder | undefined
  redForm(billId: string): StubRedForm | undefined
  /** the buyer (or time) acts on a pending red-letter form; answers its state afterwards */
  decideRed(billId: string, decision: 'confirm' | 'refuse' | 'lapse'): string | null
  /** the status code an order has now (20, 21, 2, 22, 24, 3) */
  statusOf(orderNo: string): string | null
  /** the file bytes the stub serves for an order (what the platform must store, byte for byte) */
  file(orderNo: string, kind: 'pdf' | 'ofd' | 'xml'): Promise<Buffer | null>
  /** renders one PDF so the fonts are loaded before the first file is asked for (tests with short timeouts) */
  warmUp(): Promise<void>
  close(): Promise<void>
}

/** a JSON value as text: strings and numbers as they are, anything else empty */
const txt = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '')

type Answer = { code: string; describe: string; result?: unknown }
const ok = (result?: unknown): Answer => ({ code: CODES.ok, describe: '成功', result })
const refused = (describe: string): Answer => ({ code: REFUSED_CODE, describe })

export async function startNuonuoStub(o: NuonuoStubOptions): Promise<NuonuoStub> {
  const now = () => (o.now?.() ?? new Date()).getTime()
  const behaviour: StubBehaviour = {
    issuingMs: o.issuingMs ?? 300,
    signingMs: o.signingMs ?? 300,
    failNext: null,
    delayMs: 0,
    dropNext: 0,
    garbleNext: 0,
    buyerDecision: 'wait',
  }
  const calls: StubCall[] = []
  const orders = new Map<string, StubOrder>() // by serialNo
  const byOrderNo = new Map<string, StubOrder>()
  const forms = new Map<string, StubRedForm>() // by billId
  const files = new Map<string, Buffer>() // `${serialNo}.${kind}`
  let counter = 0
  let renderer: ReturnType<typeof createDocumentRenderer> | null = null

  /** 20-digit numbers: yy + 42 (Hubei) + channel + 15 digits from the clock and a counter, unique across restarts */
  const number = (channel: string) => {
    const yy = String(new Date(now() + 8 * 3600_000).getUTCFullYear() % 100).padStart(2, '0')
    const seq = `${Date.now()}${String(counter++ % 100).padStart(2, '0')}`.slice(-15)
    return `${yy}42${channel}${seq}`
  }

  const statusOf = (x: StubOrder): string => {
    if (x.voided) return '3'
    const t = now() - x.createdAt
    if (t < behaviour.issuingMs) return '20'
    if (x.outcome === '22') return '22'
    if (t < behaviour.issuingMs + behaviour.signingMs) return '21'
    return x.outcome
  }

  const newOrder = (color: 'blue' | 'red', order: Record<string, unknown>, extra: Partial<StubOrder> = {}): StubOrder => {
    let outcome: StubOrder['outcome'] = '2'
    let failCause: string | null = null
    if (behaviour.failNext && behaviour.failNext.count > 0) {
      outcome = behaviour.failNext.status
      failCause = behaviour.failNext.cause ?? (outcome === '22' ? '税局校验未通过（模拟）' : '签章服务失败（模拟）')
      if (--behaviour.failNext.count <= 0) behaviour.failNext = null
    }
    const x: StubOrder = {
      serialNo: `${Date.now()}${crypto.randomBytes(4).toString('hex')}`,
      orderNos: [],
      color,
      order,
      createdAt: now(),
      outcome,
      failCause,
      invoiceNo: number('3'),
      blueInvoiceNo: null,
      billNo: null,
      voided: false,
      reInvoiced: 0,
      ...extra,
    }
    orders.set(x.serialNo, x)
    return x
  }

  const fileUrl = (x: StubOrder, kind: string) => `${stub.url}/files/${x.serialNo}.${kind}`

  const resultItem = (x: StubOrder) => {
    const status = statusOf(x)
    const done = status === '2'
    const detail = (x.order.invoiceDetail ?? []) as Record<string, unknown>[]
    const total = detail.reduce((s, d) => s + (fenOf(d.taxIncludedAmount) ?? 0), 0) * (x.color === 'red' ? -1 : 1)
    return {
      serialNo: x.serialNo,
      orderNo: x.orderNos[x.orderNos.length - 1] ?? '',
      status,
      statusMsg: { '20': '开票中', '21': '开票成功签章中', '2': '开票完成', '22': '开票失败', '24': '开票成功签章失败', '3': '发票已作废' }[status],
      failCause: status === '22' || status === '24' ? x.failCause : '',
      pdfUrl: done ? fileUrl(x, 'pdf') : '',
      ofdUrl: done ? fileUrl(x, 'ofd') : '',
      xmlUrl: done ? fileUrl(x, 'xml') : '',
      invoiceTime: status === '20' || status === '22' ? null : x.createdAt + behaviour.issuingMs,
      invoiceCode: '',
      invoiceNo: status === '20' || status === '22' ? '' : x.invoiceNo,
      allElectronicInvoiceNumber: status === '20' || status === '22' ? '' : x.invoiceNo,
      orderAmount: (total / 100).toFixed(2),
      taxAmount: '0.00',
      invoiceType: x.color === 'red' ? '2' : '1',
      invoiceKind: '电子发票（普通发票）',
      oldEleInvoiceNumber: x.blueInvoiceNo ?? '',
      qrCode: done ? documentOf(x).qrPayload : '',
    }
  }

  const formItem = (f: StubRedForm) => {
    if (f.billStatus === RED_STATES.awaitingBuyer && now() >= f.billTime + (o.redConfirmHours ?? 72) * 3600_000) f.billStatus = RED_STATES.lapsed
    return {
      billId: f.billId,
      billNo: f.billNo,
      billUuid: crypto.createHash('md5').update(f.billId).digest('hex'),
      billStatus: f.billStatus,
      billTime: chinaDateTime(new Date(f.billTime)),
      blueElecInvoiceNumber: f.blueElecInvoiceNumber,
      buyerName: f.buyerName,
      buyerTaxNo: f.buyerTaxNo,
      redReason: f.redReason,
      applySource: 0,
      invoiceSerialNum: f.redSerialNo ?? '',
      redInvoiceNumber: f.redSerialNo ? orders.get(f.redSerialNo)!.invoiceNo : '',
    }
  }

  /** 数电电票: once a form needs no confirmation or both confirmed, the bureau issues the red invoice itself. */
  const confirmForm = (f: StubRedForm, state: string) => {
    f.billStatus = state
    if (f.redSerialNo) return
    const blue = [...orders.values()].find((x) => x.color === 'blue' && x.invoiceNo === f.blueElecInvoiceNumber)!
    const red = newOrder('red', blue.order, { blueInvoiceNo: blue.invoiceNo, billNo: f.billNo })
    f.redSerialNo = red.serialNo
  }

  const handlers: Record<string, (body: Record<string, unknown>, userTax: string) => Answer> = {
    [METHODS.issue]: (body, userTax) => {
      const order = body.order as Record<string, unknown> | undefined
      if (!order || typeof order !== 'object') return refused('缺少 order')
      const orderNo = txt(order.orderNo)
      if (!/^[0-9A-Za-z]{1,20}$/.test(orderNo)) return refused('订单号须为 1 到 20 位字母或数字')
      if (byOrderNo.has(orderNo)) return { code: CODES.duplicateOrder, describe: '订单编号或流水号不能重复' }
      if (order.salerTaxNum !== userTax) return refused('销方税号与授权税号不一致')
      if (!txt(order.buyerName).trim()) return refused('购方名称不能为空')
      if (order.invoiceLine !== 'pc' || order.invoiceType !== '1') return refused('仅支持数电普票蓝票（pc）')
      const detail = order.invoiceDetail
      if (!Array.isArray(detail) || detail.length === 0) return refused('发票明细不能为空')
      for (const d of detail as Record<string, unknown>[]) {
        const inc = fenOf(d.taxIncludedAmount)
        const exc = fenOf(d.taxExcludedAmount)
        const tax = fenOf(d.tax)
        if (inc === null || exc === null || tax === null || inc !== exc + tax || inc <= 0) return refused('明细金额不正确')
        if (!/^\d{19}$/.test(txt(d.goodsCode))) return refused('商品编码须为 19 位')
      }
      const x = newOrder('blue', order)
      x.orderNos.push(orderNo)
      byOrderNo.set(orderNo, x)
      return ok({ invoiceSerialNum: x.serialNo })
    },
    [METHODS.query]: (body) => {
      const nos = body.orderNos
      if (!Array.isArray(nos) || nos.length === 0 || nos.length > 50) return refused('orderNos 须为 1 到 50 个订单号')
      const found = nos.map((n) => byOrderNo.get(String(n))).filter((x): x is StubOrder => !!x)
      if (found.length === 0) return { code: CODES.notFound, describe: '未查询到发票信息' }
      return ok(found.map((x) => ({ ...resultItem(x), orderNo: x.orderNos.find((n) => nos.includes(n)) ?? '' })))
    },
    [METHODS.reInvoice]: (body) => {
      const x = orders.get(txt(body.fpqqlsh))
      if (!x) return { code: CODES.notFound, describe: '未查询到发票信息' }
      if (statusOf(x) !== '24') return refused('仅签章失败的发票可以重试')
      if (x.reInvoiced >= 20) return { code: CODES.retryLimit, describe: '同一流水号单日最多重试 20 次' }
      x.reInvoiced++
      x.outcome = '2'
      x.createdAt = now() - behaviour.issuingMs // back to 21 签章中
      return ok()
    },
    [METHODS.redApply]: (body, userTax) => {
      const billId = txt(body.billId)
      if (!/^[0-9A-Za-z]{1,32}$/.test(billId)) return refused('billId 须为 1 到 32 位字母或数字')
      if (forms.has(billId)) return { code: CODES.duplicateOrder, describe: '红字确认单申请号重复' }
      if (body.sellerTaxNo !== userTax) return refused('销方税号与授权税号不一致')
      if (body.blueInvoiceLine !== 'pc' || body.applySource !== '0') return refused('仅支持销方申请数电普票的红字确认单')
      if (!['1', '2', '3', '4'].includes(String(body.redReason))) return refused('冲红原因不正确')
      const blue = [...orders.values()].find((x) => x.color === 'blue' && x.invoiceNo === body.blueElecInvoiceNumber && statusOf(x) === '2')
      if (!blue) return refused('未找到对应的蓝字数电发票')
      const taken = [...forms.values()].some(
        (f) => f.blueElecInvoiceNumber === blue.invoiceNo && !['05', '06', '07', '08', '09', '10', '16'].includes(f.billStatus),
      )
      if (taken) return refused('该蓝字发票已有有效的红字确认单')
      const f: StubRedForm = {
        billId,
        billNo: number('9'),
        billStatus: RED_STATES.awaitingBuyer,
        billTime: now(),
        blueElecInvoiceNumber: blue.invoiceNo,
        buyerName: txt(body.buyerName),
        buyerTaxNo: txt(body.buyerTaxNo),
        redReason: String(body.redReason),
        redSerialNo: null,
      }
      forms.set(billId, f)
      // 自然人 or not booked (入账状态 0): no confirmation; booked: the buyer decides
      if (body.accountStatus !== '1') confirmForm(f, RED_STATES.noConfirmNeeded)
      else if (behaviour.buyerDecision === 'confirm') confirmForm(f, RED_STATES.bothConfirmed)
      else if (behaviour.buyerDecision === 'refuse') f.billStatus = RED_STATES.buyerRefused
      return ok(billId)
    },
    [METHODS.redQuery]: (body) => {
      if (body.identity !== '0' && body.identity !== '1') return refused('identity 须为 0 或 1')
      const f = forms.get(txt(body.billId))
      const list = f ? [formItem(f)] : []
      return ok({ total: list.length, list })
    },
    [METHODS.redIssue]: (body, userTax) => {
      const orderNo = txt(body.orderNo)
      if (!/^[0-9A-Za-z]{1,20}$/.test(orderNo)) return refused('订单号须为 1 到 20 位字母或数字')
      if (body.taxNum !== userTax) return refused('销方税号与授权税号不一致')
      const f = [...forms.values()].find((x) => x.billNo === body.billNo)
      if (!f || f.blueElecInvoiceNumber !== body.elecInvoiceNumber) return refused('红字确认单不存在或与蓝票不符')
      formItem(f) // applies a lapse
      if (f.billStatus !== RED_STATES.noConfirmNeeded && f.billStatus !== RED_STATES.bothConfirmed) return refused('红字确认单未确认，不能开具红票')
      const existing = byOrderNo.get(orderNo)
      if (existing)
        return existing.serialNo === f.redSerialNo ? { code: CODES.duplicateOrder, describe: '订单编号或流水号不能重复' } : refused('订单号已被其他发票使用')
      // the red invoice the bureau issued for the form gains our order number
      const red = orders.get(f.redSerialNo!)!
      red.orderNos.push(orderNo)
      byOrderNo.set(orderNo, red)
      return ok({ invoiceSerialNum: red.serialNo })
    },
  }

  const documentOf = (x: StubOrder): InvoiceDocument => {
    const ord = x.order
    const sign = x.color === 'red' ? -1 : 1
    const items = ((ord.invoiceDetail ?? []) as Record<string, unknown>[]).map((d) => {
      const amount = (fenOf(d.taxExcludedAmount) ?? 0) * sign
      return {
        name: `*预付卡销售和充值*${txt(d.goodsName)}`,
        taxCode: txt(d.goodsCode),
        spec: txt(d.specType),
        unit: txt(d.unit),
        quantity: Number(d.num ?? 1) * sign,
        unitPriceFen: fenOf(d.price) ?? 0,
        amountFen: amount,
        rateLabel: '不征税',
        taxFen: 0,
      }
    })
    const total = items.reduce((s, i) => s + i.amountFen, 0)
    const issuedAt = new Date(x.createdAt + behaviour.issuingMs).toISOString()
    const ymd = chinaDateTime(new Date(issuedAt)).slice(0, 10).replace(/-/g, '')
    const check = crypto.createHash('sha256').update(x.invoiceNo).digest('hex').slice(0, 4).toUpperCase()
    const s = (k: string) => txt(ord[k])
    return {
      invoiceNo: x.invoiceNo,
      issuedAt,
      typeLabel: '电子发票（普通发票）',
      buyer: {
        name: s('buyerName'),
        taxId: s('buyerTaxNum') || null,
        address: s('buyerAddress') || null,
        phone: s('buyerTel') || null,
        bankName: s('buyerAccount') || null,
        bankAccount: null,
      },
      seller: {
        name: o.sellerName ?? '武汉城市一卡通有限公司',
        taxId: s('salerTaxNum'),
        address: s('salerAddress'),
        phone: s('salerTel'),
        bankName: s('salerAccount'),
        bankAccount: '',
      },
      items,
      amountFen: total,
      taxFen: 0,
      totalFen: total,
      totalCapital: totalInCapitals(total),
      remarks: x.color === 'red' ? `被红冲蓝字数电发票号码：${x.blueInvoiceNo} 红字发票信息确认单编号：${x.billNo}` : s('remark'),
      issuer: s('clerk'),
      qrPayload: `01,32,,${x.invoiceNo},${(total / 100).toFixed(2)},${ymd},,${check}`,
    }
  }

  const fileOf = async (x: StubOrder, kind: 'pdf' | 'ofd' | 'xml'): Promise<Buffer | null> => {
    if (statusOf(x) !== '2') return null
    const key = `${x.serialNo}.${kind}`
    const cached = files.get(key)
    if (cached) return cached
    const doc = documentOf(x)
    let buf: Buffer
    if (kind === 'pdf') buf = await (renderer ??= createDocumentRenderer({ fontPath: defaultFontPath() })).renderPdf(doc)
    else if (kind === 'xml')
      buf = Buffer.from(renderInvoiceXml(doc).toString('utf8').replace('?>', '?>\n<!-- 诺诺开放平台（本地模拟）：税务平台原件的替身 -->'), 'utf8')
    // not a real OFD (a zip of OFD XML): bytes that say what they stand for
    else buf = Buffer.from(`OFD-STUB ${x.invoiceNo} ${doc.totalFen}\n`, 'utf8')
    files.set(key, buf)
    return buf
  }

  const readBody = (req: http.IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      req.on('error', reject)
    })

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stub')
      const fileMatch = /^\/files\/([0-9a-f]+)\.(pdf|ofd|xml)$/.exec(url.pathname)
      if (req.method === 'GET' && fileMatch) {
        const x = orders.get(fileMatch[1])
        const buf = x ? await fileOf(x, fileMatch[2] as 'pdf' | 'ofd' | 'xml') : null
        if (!buf) return void res.writeHead(404).end('not found')
        res.writeHead(200, { 'Content-Type': { pdf: 'application/pdf', ofd: 'application/ofd', xml: 'application/xml' }[fileMatch[2]]! })
        return void res.end(buf)
      }
      if (req.method !== 'POST' || url.pathname !== SERVICES_PATH) return void res.writeHead(404).end('not found')
      const raw = await readBody(req)
      const method = txt(req.headers.method)
      const q = (k: string) => url.searchParams.get(k) ?? ''
      const expected = nuonuoSign({
        path: url.pathname,
        appKey: o.appKey,
        appSecret: o.appSecret,
        senid: q('senid'),
        nonce: q('nonce'),
        timestamp: q('timestamp'),
        body: raw,
      })
      const signatureOk =
        q('appkey') === o.appKey && /^\d{8}$/.test(q('nonce')) && /^[0-9a-f]{32}$/i.test(q('senid')) && sameSign(txt(req.headers['x-nuonuo-sign']), expected)
      let body: unknown = null
      try {
        body = JSON.parse(raw)
      } catch {
        // answered below
      }
      calls.push({ method, signatureOk, body })
      let answer: Answer
      if (!signatureOk) answer = { code: CREDENTIAL_CODE, describe: '签名验证失败' }
      else if (req.headers.accesstoken !== o.accessToken) answer = { code: '070304', describe: 'accessToken 无效或已过期' }
      else if (!body || typeof body !== 'object') answer = refused('请求体不是 JSON 对象')
      else if (!handlers[method]) answer = refused(`不支持的方法 ${method}`)
      else answer = handlers[method](body as Record<string, unknown>, txt(req.headers.usertax))
      if (behaviour.delayMs > 0) await new Promise((r) => setTimeout(r, behaviour.delayMs))
      if (behaviour.dropNext > 0) {
        behaviour.dropNext--
        return void req.socket.destroy()
      }
      if (behaviour.garbleNext > 0) {
        behaviour.garbleNext--
        res.writeHead(502, { 'Content-Type': 'text/html' })
        return void res.end('<html><body>502 Bad Gateway</body></html>')
      }
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify(answer))
    })().catch((e: unknown) => {
      res.writeHead(500).end(String(e))
    })
  })
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve))
  const addr = server.address() as AddressInfo
  const base = `http://${o.host ?? '127.0.0.1'}:${addr.port}`

  const stub: NuonuoStub = {
    url: base,
    servicesUrl: base + SERVICES_PATH,
    behaviour,
    calls,
    orders: () => [...orders.values()],
    order: (orderNo) => byOrderNo.get(orderNo),
    redForm: (billId) => forms.get(billId),
    decideRed(billId, decision) {
      const f = forms.get(billId)
      if (!f) return null
      formItem(f)
      if (f.billStatus !== RED_STATES.awaitingBuyer) return f.billStatus
      if (decision === 'confirm') confirmForm(f, RED_STATES.bothConfirmed)
      else if (decision === 'refuse') f.billStatus = RED_STATES.buyerRefused
      else f.billStatus = RED_STATES.lapsed
      return f.billStatus
    },
    statusOf: (orderNo) => {
      const x = byOrderNo.get(orderNo)
      return x ? statusOf(x) : null
    },
    file: async (orderNo, kind) => {
      const x = byOrderNo.get(orderNo)
      return x ? fileOf(x, kind) : null
    },
    warmUp: async () => {
      const x: StubOrder = {
        serialNo: 'warmup',
        orderNos: [],
        color: 'blue',
        order: {
          buyerName: '王𪚥',
          invoiceDetail: [{ goodsName: '预热', goodsCode: '6010000000000000000', taxExcludedAmount: '1.00', price: '1.00', num: '1' }],
        },
        createdAt: now() - behaviour.issuingMs,
        outcome: '2',
        failCause: null,
        invoiceNo: number('3'),
        blueInvoiceNo: null,
        billNo: null,
        voided: false,
        reInvoiced: 0,
      }
      await (renderer ??= createDocumentRenderer({ fontPath: defaultFontPath() })).renderPdf(documentOf(x))
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return stub
}
