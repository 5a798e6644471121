import { invoiceMail } from '../../cloudfunctions/_core/app/invoice-mail'
import { DEFAULT_MAIL_FROM, mailConfigFromEnv } from '../../cloudfunctions/_core/adapters/mail/nodemailer.mailer'
import type { InvoiceSummary } from '../../types/domain'

const pdf = Buffer.from('%PDF-1.7\n发票\n%%EOF')
const xml = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><EInvoice><No>26421000000000000123</No></EInvoice>')
const summary: InvoiceSummary = {
  id: 'inv1',
  status: 'issued',
  color: 'blue',
  chain: { originalId: null, reversedById: null, replacedById: null, correctionId: null, correctionCount: 0 },
  source: 'single',
  invoiceNo: '26421000000000000123',
  title: { kind: 'enterprise', name: '武汉某某科技有限公司<b>', taxId: '91420100MA4KXXXX1X', address: null, phone: null, bankName: null, bankAccount: null },
  amountFen: 5000,
  orderCount: 1,
  cards: [{ cardNo: '3104100012345678', nickname: '通勤卡' }],
  requestedAt: '2026-11-28T04:00:00Z',
  issuedAt: '2026-11-28T16:30:00Z',
  email: 'finance@example.com',
}
const files = { pdf, xml, invoiceNo: '26421000000000000123' }

describe('the invoice e-mail', () => {
  it('takes an InvoiceSummary as it is and addresses its e-mail', () => {
    const m = invoiceMail(summary, files)
    expect(m.to).toBe('finance@example.com')
    expect(m.subject).toBe('【武汉通】电子发票 26421000000000000123 ¥50.00')
  })

  it('writes amount, issue date (UTC+8), title and the hints in the text body', () => {
    const { text } = invoiceMail(summary, files)
    expect(text).toContain('金额：¥50.00')
    expect(text).toContain('开票日期：2026年11月29日')
    expect(text).toContain('发票抬头：武汉某某科技有限公司<b>')
    expect(text).toContain('没收到邮件？请查看垃圾邮件箱')
    expect(text).toContain('PDF 为版式文件，XML 为电子发票原件，请一并妥善保存')
    expect(text).toContain('通勤卡（3104********5678）')
    expect(text).not.toContain('3104100012345678')
  })

  it('escapes the HTML body', () => {
    const { html } = invoiceMail(summary, files)
    expect(html).toContain('武汉某某科技有限公司&lt;b&gt;')
    expect(html).not.toContain('有限公司<b>')
  })

  it('attaches <invoiceNo>.pdf and <invoiceNo>.xml with their types', () => {
    const { attachments } = invoiceMail(summary, files)
    expect(attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['26421000000000000123.pdf', 'application/pdf'],
      ['26421000000000000123.xml', 'application/xml'],
    ])
    expect(attachments[0].content).toBe(pdf)
    expect(attachments[1].content).toBe(xml)
  })

  it('sends to another address on request (a resend)', () => {
    expect(invoiceMail(summary, files, { to: 'new@example.com' }).to).toBe('new@example.com')
  })

  it('refuses files of another invoice, a missing recipient, and files that are not PDF/XML', () => {
    expect(() => invoiceMail(summary, { ...files, invoiceNo: '26421000000000000999' })).toThrow('another invoice')
    expect(() => invoiceMail({ ...summary, email: null }, files)).toThrow('recipient')
    expect(() => invoiceMail(summary, { ...files, pdf: Buffer.from('hello') })).toThrow('PDF')
    expect(() => invoiceMail(summary, { ...files, xml: Buffer.alloc(0) })).toThrow('XML')
    expect(() => invoiceMail({ ...summary, issuedAt: null }, files)).toThrow('not issued')
    expect(() => invoiceMail(summary, { ...files, invoiceNo: '../../etc' })).toThrow('invoiceNo')
  })
})

describe('SMTP settings from the environment', () => {
  it('is null when SMTP_HOST is not set', () => {
    expect(mailConfigFromEnv({})).toBeNull()
  })
  it('reads every key with sensible defaults', () => {
    expect(mailConfigFromEnv({ SMTP_HOST: 'smtp.example.com' })).toEqual({
      host: 'smtp.example.com',
      port: 587,
      secure: false,
      user: undefined,
      pass: undefined,
      from: DEFAULT_MAIL_FROM,
    })
    expect(mailConfigFromEnv({ SMTP_HOST: 'smtp.example.com', SMTP_PORT: '465', SMTP_USER: 'u', SMTP_PASS: 'p', MAIL_FROM: '发票 <a@b.cn>' })).toEqual({
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      user: 'u',
      pass: 'p',
      from: '发票 <a@b.cn>',
    })
    expect(mailConfigFromEnv({ SMTP_HOST: 'h', SMTP_SECURE: 'true' })?.port).toBe(465)
  })
  it('refuses a bad port or secure flag', () => {
    expect(() => mailConfigFromEnv({ SMTP_HOST: 'h', SMTP_PORT: 'abc' })).toThrow('SMTP_PORT')
    expect(() => mailConfigFromEnv({ SMTP_HOST: 'h', SMTP_SECURE: 'maybe' })).toThrow('SMTP_SECURE')
  })
})
