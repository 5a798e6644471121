import { maskCardNo } from '../domain/card'
import type { OutgoingMail } from '../ports/mailer.port'
import { oneLine } from '../../../types/text-rules'

/**
 * What the invoice mail needs; an InvoiceSummary (or InvoiceDetail) fits as it is.
 * invoiceNo is optional here because the files carry it; when present it must match them.
 */
export interface InvoiceMailInput {
  title: { name: string; kind?: string; taxId?: string | null }
  amountFen: number
  invoiceNo?: string | null
  issuedAt: string | null
  email: string | null
  orderCount?: number
  cards?: { cardNo: string; nickname: string }[]
  /** a red invoice (红字发票) of a correction: said so in the subject, amounts shown negative */
  color?: 'blue' | 'red'
}

export interface InvoiceMailFiles {
  pdf: Buffer
  xml: Buffer
  invoiceNo: string
}

export interface InvoiceMailOptions {
  /** another address than the invoice's own (a resend to a new address) */
  to?: string
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
/** header-safe: no line breaks or control characters can reach the Subject */

function yuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new Error('invoiceMail: amountFen must be a non-negative integer')
  // thousands separators by hand: toLocaleString starts ICU on first use (about 100 ms of a cold
  // function's first invoice, measured by bench/cold.bench.ts)
  const digits = String(Math.floor(fen / 100))
  let int = ''
  for (let i = 0; i < digits.length; i++) int += (i > 0 && (digits.length - i) % 3 === 0 ? ',' : '') + digits[i]
  return `¥${int}.${String(fen % 100).padStart(2, '0')}`
}

/** 2026年11月28日, in UTC+8 */
function issueDate(iso: string): string {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) throw new Error('invoiceMail: issuedAt is not a date')
  const t = new Date(ms + 8 * 3600_000)
  return `${t.getUTCFullYear()}年${String(t.getUTCMonth() + 1).padStart(2, '0')}月${String(t.getUTCDate()).padStart(2, '0')}日`
}

export const INVOICE_MAIL_HINTS = {
  files: 'PDF 为版式文件，XML 为电子发票原件，请一并妥善保存。',
  // the path as the app shows it (app.config.ts: title 武汉通充值, tab 发票, segment 已开票)
  app: '也可在微信「武汉通充值」小程序，点底部「发票」→「已开票」，随时查看、下载或重新发送到邮箱。',
  spam: '没收到邮件？请查看垃圾邮件箱，并将本发件地址加入通讯录。',
  noReply: '本邮件由系统自动发送，请勿直接回复。',
} as const

/**
 * The e-mail that delivers an issued invoice: a Chinese subject with the number and amount,
 * a plain-text and a simple HTML body, and both files — <invoiceNo>.pdf (the layout copy people
 * print) and <invoiceNo>.xml (the structured original that must be kept). Pure: no I/O.
 */
export function invoiceMail(inv: InvoiceMailInput, files: InvoiceMailFiles, opts: InvoiceMailOptions = {}): OutgoingMail {
  const invoiceNo = files.invoiceNo
  // the number names the attachments: keep it a plain token
  if (!/^[0-9A-Za-z]{8,32}$/.test(invoiceNo)) throw new Error('invoiceMail: invoiceNo must be 8-32 letters or digits')
  if (inv.invoiceNo && inv.invoiceNo !== invoiceNo) throw new Error('invoiceMail: files belong to another invoice')
  if (!inv.issuedAt) throw new Error('invoiceMail: the invoice is not issued yet')
  const to = (opts.to ?? inv.email ?? '').trim()
  if (!to || /[\s,;<>]/.test(to) || !to.includes('@')) throw new Error('invoiceMail: no valid recipient')
  // a wrong or empty file must not go out as an invoice
  if (files.pdf.subarray(0, 4).toString('latin1') !== '%PDF') throw new Error('invoiceMail: pdf is not a PDF')
  if (!/^(\uFEFF)?\s*</.test(files.xml.subarray(0, 64).toString('utf8'))) throw new Error('invoiceMail: xml is not XML')

  const red = inv.color === 'red'
  const amount = (red ? '-' : '') + yuan(inv.amountFen)
  const kindLabel = red ? '红字发票' : '电子发票'
  const intro = red ? '您申请的发票换开已红冲原发票，红字电子发票见附件；换开后的新发票将另行发送。' : '您申请的武汉通充值电子发票已开具，发票文件见附件。'
  const date = issueDate(inv.issuedAt)
  const title = oneLine(inv.title.name)
  const rows: [string, string][] = [
    ['发票号码', invoiceNo],
    ['开票日期', date],
    ['发票抬头', title],
  ]
  if (inv.title.taxId) rows.push(['纳税人识别号', oneLine(inv.title.taxId)])
  rows.push(['金额', `${amount}（${red ? '红冲，' : ''}预付卡充值，不征税）`])
  if (inv.orderCount && inv.orderCount > 1) rows.push(['合并充值', `${inv.orderCount} 笔`])
  if (inv.cards && inv.cards.length > 0) {
    const cards = inv.cards.slice(0, 10).map((c) => `${oneLine(c.nickname)}（${maskCardNo(c.cardNo)}）`)
    rows.push(['武汉通卡', cards.join('、') + (inv.cards.length > 10 ? ` 等 ${inv.cards.length} 张` : '')])
  }

  const text = [
    '您好！',
    '',
    intro,
    '',
    ...rows.map(([k, v]) => `${k}：${v}`),
    '',
    `附件：${invoiceNo}.pdf、${invoiceNo}.xml`,
    INVOICE_MAIL_HINTS.files,
    INVOICE_MAIL_HINTS.app,
    INVOICE_MAIL_HINTS.spam,
    '',
    INVOICE_MAIL_HINTS.noReply,
    '',
  ].join('\n')

  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(`${kindLabel} ${invoiceNo}`)}</title></head>
<body style="margin:0;padding:16px;background:#f4f4f5;font:15px/1.7 -apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#18181b">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:20px">
<p style="margin:0 0 12px">您好！</p>
<p style="margin:0 0 16px">${esc(intro)}</p>
<table style="border-collapse:collapse;width:100%;margin:0 0 16px">
${rows.map(([k, v]) => `<tr><td style="width:1%;padding:6px 16px 6px 0;color:#52525b;white-space:nowrap;vertical-align:top">${esc(k)}</td><td style="padding:6px 0">${esc(v)}</td></tr>`).join('\n')}
</table>
<p style="margin:0 0 8px">附件：${esc(invoiceNo)}.pdf、${esc(invoiceNo)}.xml</p>
<p style="margin:0 0 8px"><b>${esc(INVOICE_MAIL_HINTS.files)}</b></p>
<p style="margin:0 0 8px">${esc(INVOICE_MAIL_HINTS.app)}</p>
<p style="margin:0 0 16px">${esc(INVOICE_MAIL_HINTS.spam)}</p>
<p style="margin:0;color:#71717a;font-size:13px">${esc(INVOICE_MAIL_HINTS.noReply)}</p>
</div></body></html>`

  return {
    to,
    subject: `【武汉通】${kindLabel} ${invoiceNo} ${amount}`,
    text,
    html,
    attachments: [
      { filename: `${invoiceNo}.pdf`, content: files.pdf, contentType: 'application/pdf' },
      { filename: `${invoiceNo}.xml`, content: files.xml, contentType: 'application/xml' },
    ],
  }
}
